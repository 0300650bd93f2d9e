"""Published PDFs move from MEDIA_ROOT on one machine into the database (regioaanpak.opslag),
so every app machine serves them. Their names stay the same; their SHA-256 is checked when they
are served, as before."""

from pathlib import Path

from django.conf import settings
from django.db import migrations


def naar_database(apps, schema_editor):
    Rapport = apps.get_model("rapportage", "Rapport")
    Bestand = apps.get_model("regioaanpak", "Bestand")
    map_ = Path(settings.MEDIA_ROOT)
    namen = set()
    for pdf, afgeschermd in Rapport.objects.values_list("pdf", "pdf_afgeschermd"):
        namen.update(n for n in (pdf, afgeschermd) if n)
    for naam in sorted(namen):
        pad = map_ / naam
        if pad.is_file() and not Bestand.objects.filter(naam=naam).exists():
            inhoud = pad.read_bytes()
            Bestand.objects.create(naam=naam, inhoud=inhoud, grootte=len(inhoud))


class Migration(migrations.Migration):
    dependencies = [
        ("rapportage", "0003_twee_edities"),
        ("regioaanpak", "0007_bestand"),
    ]

    operations = [migrations.RunPython(naar_database, migrations.RunPython.noop)]
