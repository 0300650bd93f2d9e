"""Published PDFs move from MEDIA_ROOT on one machine into the database (regioaanpak.opslag),
so every app machine serves them. Their names stay the same; their SHA-256 is checked when they
are served, as before."""

import sys
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
    ontbreekt = []
    for naam in sorted(namen):
        if Bestand.objects.filter(naam=naam).exists():
            continue
        pad = map_ / naam
        if not pad.is_file():
            ontbreekt.append(naam)
            continue
        inhoud = pad.read_bytes()
        Bestand.objects.create(naam=naam, inhoud=inhoud, grootte=len(inhoud))
    if ontbreekt:
        # Not fatal (the download then says "Geen PDF opgeslagen"), but never silent: run the
        # migration on the machine that holds MEDIA_ROOT, or restore the files there and run
        # `manage.py migrate rapportage 0003 && manage.py migrate` again.
        print(
            f"\n  Let op: {len(ontbreekt)} gepubliceerde PDF's niet gevonden in {map_}: "
            + ", ".join(ontbreekt[:10])
            + (" ..." if len(ontbreekt) > 10 else ""),
            file=sys.stderr,
        )


def terug_naar_schijf(apps, schema_editor):
    """Going back writes the PDFs to MEDIA_ROOT again, so reversing 0007 loses nothing."""
    Bestand = apps.get_model("regioaanpak", "Bestand")
    map_ = Path(settings.MEDIA_ROOT)
    for naam, inhoud in Bestand.objects.values_list("naam", "inhoud").iterator():
        pad = map_ / naam
        pad.parent.mkdir(parents=True, exist_ok=True)
        pad.write_bytes(bytes(inhoud))


class Migration(migrations.Migration):
    dependencies = [
        ("rapportage", "0003_twee_edities"),
        ("regioaanpak", "0007_bestand"),
    ]

    operations = [migrations.RunPython(naar_database, terug_naar_schijf)]
