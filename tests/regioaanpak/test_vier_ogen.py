"""The four-eyes rule: whoever submitted a delivery or an update cannot approve it, unless a
beheerder of the region recorded an exception with a reason (in the audit log)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from actielijnen.models import Voortgangsupdate
from monitoring.models import Gegevenslevering
from regioaanpak.choices import AuditActie, RolSoort, WorkflowStatus
from regioaanpak.models import AuditRegel, VierOgenUitzondering
from regioaanpak.workflow import WorkflowFout, workflow_overgang
from tests.factories import GebruikerFactory, ProjectFactory, RegioFactory, RolFactory, periode

pytestmark = pytest.mark.django_db
S = WorkflowStatus


@pytest.fixture
def zhz():
    return RegioFactory(code="VT24", naam="Zuid-Holland Zuid")


def persoon(regio, naam, *rollen):
    gebruiker = GebruikerFactory(username=naam)
    for rol in rollen:
        RolFactory(gebruiker=gebruiker, regio=regio, rol=rol)
    return GebruikerFactory._meta.model.objects.get(pk=gebruiker.pk)  # fresh role cache


@pytest.fixture
def beiden(zhz):
    """One person who is projectleider and beleidsmedewerker of the region."""
    return persoon(zhz, "petra", RolSoort.PROJECTLEIDER, RolSoort.BELEIDSMEDEWERKER)


def ingediend_door(obj, gebruiker):
    return workflow_overgang(obj=obj, naar=S.INGEDIEND, gebruiker=gebruiker)


def _levering(zhz):
    return Gegevenslevering.objects.create(regio=zhz, periode=periode("2021KW02"))


def _update(zhz):
    project = ProjectFactory(actielijn__regioaanpak__regio=zhz, titel="Handle with Care")
    return Voortgangsupdate.objects.create(
        project=project, periode=periode("2021KW02"), status="op_schema"
    )


@pytest.mark.parametrize("maak", [_levering, _update], ids=["levering", "update"])
def test_wie_indient_keurt_niet_zelf_goed(zhz, beiden, maak):
    obj = ingediend_door(maak(zhz), beiden)

    with pytest.raises(WorkflowFout, match=r"zelf ingediend.*vier-ogenprincipe"):
        workflow_overgang(obj=obj, naar=S.GOEDGEKEURD, gebruiker=beiden)
    obj.refresh_from_db()
    assert obj.workflow_status == S.INGEDIEND
    # The approve button is not offered to them; returning it (withdrawing) is.
    assert [naar for naar, _o in obj.toegestane_overgangen(beiden)] == [S.TERUGGESTUURD]

    collega = persoon(zhz, "bart", RolSoort.BELEIDSMEDEWERKER)
    assert S.GOEDGEKEURD in [naar for naar, _o in obj.toegestane_overgangen(collega)]
    goedgekeurd = workflow_overgang(obj=obj, naar=S.GOEDGEKEURD, gebruiker=collega)
    assert goedgekeurd.workflow_status == S.GOEDGEKEURD
    assert (goedgekeurd.ingediend_door, goedgekeurd.beoordeeld_door) == (beiden, collega)


def test_ook_in_de_schermen_geweigerd_met_een_nederlandse_melding(client, zhz, beiden):
    update = ingediend_door(_update(zhz), beiden)
    client.force_login(beiden)
    url = reverse(
        "actielijnen:voortgang_overgang",
        kwargs={"project": update.project_id, "periode": "2021KW02"},
    )
    antwoord = client.post(url, {"naar": S.GOEDGEKEURD}, follow=True)
    assert "U heeft dit zelf ingediend" in antwoord.content.decode()
    update.refresh_from_db()
    assert update.workflow_status == S.INGEDIEND


def test_uitzondering_met_reden_staat_het_toe_en_staat_in_het_auditlog(client, zhz, beiden):
    beheerder = persoon(zhz, "bea", RolSoort.BEHEERDER)
    pagina = reverse("vier_ogen", args=["VT24"])
    client.force_login(beheerder)
    assert "Het vier-ogenprincipe geldt" in client.get(pagina).content.decode()

    zonder_reden = client.post(pagina, {"actie": "toestaan", "reden": "  "})
    assert zonder_reden.status_code == 400
    assert "Geef een reden" in zonder_reden.content.decode()
    assert not VierOgenUitzondering.objects.exists()

    client.post(pagina, {"actie": "toestaan", "reden": "Eén beleidsmedewerker in de regio"})
    uitzondering = VierOgenUitzondering.objects.get()
    assert uitzondering.toegestaan_door == beheerder
    regel = AuditRegel.objects.get(object_type="regioaanpak.vierogenuitzondering")
    assert (regel.actie, regel.gebruiker, regel.na) == (
        AuditActie.AANGEMAAKT,
        beheerder,
        {"reden": "Eén beleidsmedewerker in de regio"},
    )

    levering = ingediend_door(_levering(zhz), beiden)
    goedgekeurd = workflow_overgang(obj=levering, naar=S.GOEDGEKEURD, gebruiker=beiden)
    assert goedgekeurd.workflow_status == S.GOEDGEKEURD
    goedkeuring = AuditRegel.objects.filter(object_type="monitoring.gegevenslevering").first()
    assert goedkeuring.actie == AuditActie.VERGRENDELD
    assert "vier-ogenuitzondering: Eén beleidsmedewerker in de regio" in goedkeuring.omschrijving

    # Withdrawn: the rule holds again.
    client.post(pagina, {"actie": "intrekken", "reden": "tweede beleidsmedewerker begonnen"})
    assert not VierOgenUitzondering.objects.exists()
    assert AuditRegel.objects.filter(actie=AuditActie.VERWIJDERD).exists()
    update = ingediend_door(_update(zhz), beiden)
    with pytest.raises(WorkflowFout, match="vier-ogenprincipe"):
        workflow_overgang(obj=update, naar=S.GOEDGEKEURD, gebruiker=beiden)


def test_alleen_een_beheerder_van_de_regio_maakt_een_uitzondering(client, zhz, beiden):
    elders = persoon(RegioFactory(code="VT06", naam="Gelderland-Zuid"), "gea", RolSoort.BEHEERDER)
    pagina = reverse("vier_ogen", args=["VT24"])
    for wie in (beiden, elders):
        client.force_login(wie)
        assert client.get(pagina).status_code == 404
        assert client.post(pagina, {"actie": "toestaan", "reden": "x"}).status_code == 404
    assert not VierOgenUitzondering.objects.exists()
