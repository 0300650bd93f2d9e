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


def test_demo_laadt_een_cbs_voorbeeld_zodat_nederland_op_de_dashboards_staat(client):
    from django.contrib.auth.models import User

    from monitoring.selectors.cijfers import cijfer
    from regioaanpak.inzage import inzage_van

    uit = StringIO()
    call_command("laad_demodata", stdout=uit)
    assert "84847NED (OData v3):" in uit.getvalue()
    wethouder = User.objects.get(username="wethouder")
    land = cijfer("vt_meldingen_per_1000", "NL01", "2024HJ02", inzage=inzage_van(wethouder))
    assert land.waarde is not None and land.bronnen == ("CBS StatLine 84847NED",)
    client.force_login(wethouder)
    html = client.get("/regio/VT24/dashboard/?periode=2024HJ02").content.decode()
    assert "Nederland: 4,30 per 1.000 inwoners (CBS StatLine 84847NED)" in html
    kwartaal = client.get("/regio/VT24/dashboard/?periode=2024KW04").content.decode()
    assert "Nederland, 2e halfjaar 2024: 4,30 per 1.000 inwoners" in kwartaal
    # A second run reads the same sample and changes nothing.
    opnieuw = StringIO()
    call_command("laad_demodata", stdout=opnieuw)
    assert "0 nieuw, 0 gewijzigd" in opnieuw.getvalue()
