import pytest
from django.urls import reverse

from actielijnen.models import Voortgangsupdate
from regioaanpak.choices import WorkflowStatus
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


@pytest.mark.parametrize("status", [WorkflowStatus.CONCEPT, WorkflowStatus.GOEDGEKEURD])
def test_beheer_verandert_geen_update_buiten_de_service(beheer, zhz, status):
    """An update changes only on its page (version check, workflow, audit log)."""
    update = VoortgangsupdateFactory(project=zhz.handle_with_care, workflow_status=status)
    url = reverse("admin:actielijnen_voortgangsupdate_change", args=[update.pk])
    assert 'name="_save"' not in beheer.get(url).content.decode()
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
    assert antwoord.status_code == 403
    update.refresh_from_db()
    assert (update.status, update.versie) == ("op_schema", 1)
    assert not AuditRegel.objects.filter(object_id=str(update.pk)).exists()
    assert beheer.get(reverse("admin:actielijnen_voortgangsupdate_add")).status_code == 403


def test_goedgekeurde_update_is_in_beheer_alleen_te_lezen(beheer, zhz):
    update = VoortgangsupdateFactory(
        project=zhz.handle_with_care, workflow_status=WorkflowStatus.GOEDGEKEURD
    )
    url = reverse("admin:actielijnen_voortgangsupdate_change", args=[update.pk])
    assert 'name="_save"' not in beheer.get(url).content.decode()
    beheer.post(url, {"status": "gestopt"})
    assert Voortgangsupdate.objects.get().status == "op_schema"
