"""What `make run` loads: seed fixtures, boundaries, demo figures, approved deliveries, users."""

from io import StringIO

import pytest
from django.core.management import call_command

from monitoring.models import Gegevenslevering
from regioaanpak.choices import RolSoort, WorkflowStatus
from regioaanpak.models import Gemeentegrens, Rol
from tests.factories import opgeslagen

pytestmark = pytest.mark.django_db


def test_laad_demodata_zet_een_bruikbare_demo_klaar():
    uit = StringIO()
    call_command("laad_demodata", stdout=uit)
    assert Gemeentegrens.objects.filter(jaar=2023).count() == 342
    assert Gemeentegrens.objects.filter(jaar=2022, gemeente_id="GM0501").exists()  # Brielle
    assert opgeslagen().filter(bron__startswith="Synthetische demodata").count() > 40_000
    # The real Gelderland-Zuid figure survives next to the synthetic ones.
    assert opgeslagen().get(regio_id="VT06", indicator_id="vt_meldingen").waarde == 2839
    zhz = Gegevenslevering.objects.filter(regio_id="VT24")
    assert zhz.filter(workflow_status=WorkflowStatus.GOEDGEKEURD, periode_id="2021KW03").exists()
    # The quarter Zuid-Holland Zuid's pages open on (end of its approach) stays open for entry.
    assert not zhz.filter(periode_id="2021KW04").exists()
    assert Rol.objects.filter(regio_id="VT24").count() == len(RolSoort)
    # Running it again keeps the demo figures and deliveries as they are.
    aantal = Gegevenslevering.objects.count()
    call_command("laad_demodata", stdout=StringIO())
    assert Gegevenslevering.objects.count() == aantal
    assert "Democijfers zijn er al" not in uit.getvalue()
