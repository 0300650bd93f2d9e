import pytest
from django.urls import reverse

from actielijnen.models import Voortgangsupdate
from regioaanpak.choices import AuditActie, WorkflowStatus
from regioaanpak.models import AuditRegel
from tests.actielijnen.conftest import VoortgangsupdateFactory
from tests.factories import GebruikerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def beheer(client):
    client.force_login(GebruikerFactory(username="admin", is_superuser=True, is_staff=True))
    return client


def test_voortgangsupdates_staan_in_beheer_met_mijlpaalstanden(beheer, zhz):
    update = VoortgangsupdateFactory(project=zhz.handle_with_care)
    update.mijlpaalstanden.create(mijlpaal=zhz.scholing, stand="behaald")

    lijst = beheer.get(reverse("admin:actielijnen_voortgangsupdate_changelist"))
    assert lijst.status_code == 200
    assert "Handle with Care" in lijst.content.decode()
    wijzig = beheer.get(reverse("admin:actielijnen_voortgangsupdate_change", args=[update.pk]))
    html = wijzig.content.decode()
    assert "Standen van mijlpalen" in html
    assert "Scholing intern begeleiders" in html


def test_correctie_in_beheer_is_een_nieuwe_versie_met_audit(beheer, zhz):
    update = VoortgangsupdateFactory(project=zhz.handle_with_care)
    url = reverse("admin:actielijnen_voortgangsupdate_change", args=[update.pk])
    antwoord = beheer.post(
        url,
        {
            "project": update.project_id,
            "periode": update.periode_id,
            "status": "aandacht",
            "toelichting": update.toelichting,
            "mijlpaalstanden-TOTAL_FORMS": "0",
            "mijlpaalstanden-INITIAL_FORMS": "0",
        },
    )
    assert antwoord.status_code == 302
    update.refresh_from_db()
    assert (update.status, update.versie) == ("aandacht", 2)
    regel = AuditRegel.objects.get(object_id=str(update.pk))
    assert (regel.actie, regel.voor, regel.na) == (
        AuditActie.GEWIJZIGD,
        {"status": "op_schema"},
        {"status": "aandacht"},
    )


def test_goedgekeurde_update_is_in_beheer_alleen_te_lezen(beheer, zhz):
    update = VoortgangsupdateFactory(
        project=zhz.handle_with_care, workflow_status=WorkflowStatus.GOEDGEKEURD
    )
    url = reverse("admin:actielijnen_voortgangsupdate_change", args=[update.pk])
    assert 'name="_save"' not in beheer.get(url).content.decode()
    beheer.post(url, {"status": "gestopt"})
    assert Voortgangsupdate.objects.get().status == "op_schema"
