"""Periods 2010-2035 exist from the start, so fixtures and forms can refer to them by code."""

from django.db import migrations

EERSTE_JAAR = 2010
LAATSTE_JAAR = 2035


def maak_perioden(apps, schema_editor):
    from regioaanpak.perioden import PeriodeCode

    Periode = apps.get_model("regioaanpak", "Periode")
    codes = []
    for jaar in range(EERSTE_JAAR, LAATSTE_JAAR + 1):
        codes.append(PeriodeCode.heel_jaar(jaar))
        codes.extend(PeriodeCode.halfjaar(jaar, n) for n in (1, 2))
        codes.extend(PeriodeCode.kwartaal(jaar, n) for n in (1, 2, 3, 4))
    bestaand = set(Periode.objects.values_list("code", flat=True))
    Periode.objects.bulk_create(
        Periode(
            code=c.code,
            soort=c.soort,
            jaar=c.jaar,
            nummer=c.nummer,
            begindatum=c.begindatum,
            einddatum=c.einddatum,
        )
        for c in codes
        if c.code not in bestaand
    )


class Migration(migrations.Migration):
    dependencies = [("regioaanpak", "0001_initial")]

    operations = [migrations.RunPython(maak_perioden, migrations.RunPython.noop)]
