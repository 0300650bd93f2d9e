"""The figure selector's reference data kept per process (monitoring/selectors/referentie.py):
read once, yet a new member, a changed population or a merger counts at the next call, and a
change that was rolled back is never believed afterwards."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from monitoring.selectors.referentie import referentie, referentie_gewijzigd
from regioaanpak.models import Inwonertal, Lidmaatschap
from tests.factories import GemeenteFactory, InwonertalFactory, LidmaatschapFactory
from tests.monitoring.test_selectors import cijfer, rijnmond, zet  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_een_tweede_vraag_leest_de_gebieden_niet_opnieuw(rijnmond):  # noqa: F811
    zet("vt_meldingen", "GM0599", "2022KW01", 100)
    cijfer("vt_meldingen", "VT18", "2022KW01")
    with CaptureQueriesContext(connection) as queries:
        cijfer("vt_meldingen", "VT18", "2022KW01")
    tabellen = " ".join(q["sql"] for q in queries.captured_queries)
    for tabel in ("regioaanpak_gemeente", "monitoring_indicator", "regioaanpak_inwonertal"):
        assert f'FROM "{tabel}"' not in tabellen


def test_nieuw_lid_en_nieuw_inwonertal_tellen_meteen_mee(rijnmond):  # noqa: F811
    zet("vt_meldingen", "GM0599", "2022KW01", 100)
    assert cijfer("vt_meldingen", "VT18", "2022KW01").waarde is None  # the old members: none
    for code in ("GM0501", "GM0530", "GM0614"):
        zet("vt_meldingen", code, "2022KW01", 10)
    assert cijfer("vt_meldingen", "VT18", "2022KW01").waarde == Decimal(130)

    schiedam = GemeenteFactory(cbs_code="GM0606", naam="Schiedam")
    LidmaatschapFactory(regio=rijnmond, gemeente=schiedam)
    zet("vt_meldingen", "GM0606", "2022KW01", 7)
    assert cijfer("vt_meldingen", "VT18", "2022KW01").waarde == Decimal(137)

    InwonertalFactory(gemeente=schiedam, jaar=2022, aantal=79_000)
    per_1000 = cijfer("vt_meldingen_per_1000", "VT18", "2022KW01").waarde
    assert per_1000 == (Decimal(137) / Decimal(650_000 + 72_000 + 79_000) * 1000).quantize(
        Decimal("0.0001")
    )


def test_een_bulkwijziging_meldt_zich_zelf(rijnmond):  # noqa: F811
    """A write that bypasses the signals (a queryset update) says so; then it counts."""
    for code in ("GM0599", "GM0501", "GM0530", "GM0614"):
        zet("vt_meldingen", code, "2022KW01", 10)
    assert cijfer("vt_meldingen", "VT18", "2022KW01").waarde == Decimal(40)
    Lidmaatschap.objects.filter(gemeente_id="GM0599").update(geldig_van="2023-01-01")
    referentie_gewijzigd()
    assert cijfer("vt_meldingen", "VT18", "2022KW01").waarde == Decimal(30)


def test_een_teruggedraaide_wijziging_blijft_niet_hangen(rijnmond):  # noqa: F811
    """Read inside a transaction that deleted a population, then rolled back: the snapshot
    of that moment (without the population) is not used afterwards, in this process either."""
    zet("vt_meldingen", "GM0599", "2022KW01", 650)
    for code in ("GM0501", "GM0530", "GM0614"):
        zet("vt_meldingen", code, "2022KW01", 0)
    voor = cijfer("vt_meldingen_per_1000", "VT18", "2022KW01").waarde
    assert voor == Decimal("0.9003")  # 650 per 722.000 inhabitants, per 1.000

    with transaction.atomic():
        Inwonertal.objects.filter(gemeente_id="GM0599", jaar=2022).delete()
        binnen = cijfer("vt_meldingen_per_1000", "VT18", "2022KW01")
        assert binnen.waarde is None and "inwonertal GM0599 2022" in binnen.ontbreekt
        transaction.set_rollback(True)

    assert cijfer("vt_meldingen_per_1000", "VT18", "2022KW01").waarde == voor
    assert ("GM0599", 2022) in referentie().inwonertallen
