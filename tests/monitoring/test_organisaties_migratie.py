"""The migration to deliveries per organisation: every existing delivery becomes the Veilig
Thuis delivery of its region and period, with its state, version, people, dates and audit
entries untouched."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from monitoring.models import Gegevenslevering
from regioaanpak.models import AuditRegel, Organisatie

VOOR = [
    ("monitoring", "0008_cbs_koppeling"),
    ("regioaanpak", "0009_auditregel_regio_zonder_losse_index"),
]


def _migreer(doelen):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(doelen)
    return executor.loader.project_state(doelen).apps


@pytest.mark.django_db(transaction=True)
def test_bestaande_leveringen_worden_die_van_veilig_thuis_met_hun_audit():
    oud = _migreer(VOOR)
    Regio = oud.get_model("regioaanpak", "Regio")
    Periode = oud.get_model("regioaanpak", "Periode")
    Levering = oud.get_model("monitoring", "Gegevenslevering")
    Audit = oud.get_model("regioaanpak", "AuditRegel")
    User = oud.get_model("auth", "User")

    beoordelaar = User.objects.create(username="bram")
    regio = Regio.objects.create(
        code="VT24", naam="Zuid-Holland Zuid", soort="veilig_thuis_regio", cbs_code="VT24"
    )
    moment = timezone.make_aware(dt.datetime(2021, 5, 3, 14, 5))
    staten = {
        "2021KW01": ("goedgekeurd", 4),
        "2021KW02": ("teruggestuurd", 2),
        "2021KW03": ("concept", 1),
    }
    for nummer, code in enumerate(staten, start=1):
        begin = dt.date(2021, 3 * nummer - 2, 1)
        Periode.objects.get_or_create(
            code=code,
            defaults={
                "soort": "KW",
                "jaar": 2021,
                "nummer": nummer,
                "begindatum": begin,
                "einddatum": (begin + dt.timedelta(days=92)).replace(day=1) - dt.timedelta(days=1),
            },
        )
    voor = {}
    for code, (status, versie) in staten.items():
        levering = Levering.objects.create(
            regio=regio,
            periode_id=code,
            workflow_status=status,
            versie=versie,
            beoordeeld_door=beoordelaar if status != "concept" else None,
            beoordeeld_op=moment if status != "concept" else None,
            reden="Dordrecht ontbreekt" if status == "teruggestuurd" else "",
        )
        for actie in ("aangemaakt", "gewijzigd"):
            Audit.objects.create(
                gebruiker=beoordelaar,
                regio=regio,
                object_type="monitoring.gegevenslevering",
                object_id=str(levering.pk),
                actie=actie,
                na={"status": status},
            )
        voor[levering.pk] = (code, status, versie, levering.reden)
    audit_voor = sorted(Audit.objects.values_list("id", "object_type", "object_id", "actie", "na"))

    _migreer(MigrationExecutor(connection).loader.graph.leaf_nodes())

    na = {
        lv.pk: (lv.periode_id, lv.workflow_status, lv.versie, lv.reden)
        for lv in Gegevenslevering.objects.all()
    }
    assert na == voor
    assert set(Gegevenslevering.objects.values_list("organisatie_id", flat=True)) == {
        "veilig-thuis"
    }
    assert Organisatie.objects.get(code="veilig-thuis").standaard
    goedgekeurd = Gegevenslevering.objects.get(periode_id="2021KW01")
    assert goedgekeurd.beoordeeld_op == moment and goedgekeurd.beoordeeld_door.username == "bram"
    assert sorted(
        AuditRegel.objects.values_list("id", "object_type", "object_id", "actie", "na")
    ) == (audit_voor)
    assert len(audit_voor) == 6
