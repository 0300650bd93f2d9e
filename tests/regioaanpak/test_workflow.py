"""The transition table: every allowed and every refused transition, per role."""

import itertools

import pytest

from actielijnen.models import Voortgangsupdate
from monitoring.models import Gegevenslevering
from regioaanpak.choices import AuditActie, RolSoort, WorkflowStatus
from regioaanpak.models import AuditRegel
from regioaanpak.workflow import (
    OVERGANGEN_GEGEVENS,
    OVERGANGEN_VOORTGANG,
    WorkflowFout,
    workflow_overgang,
)
from tests.factories import GebruikerFactory, ProjectFactory, RegioFactory, RolFactory, periode

pytestmark = pytest.mark.django_db

S = WorkflowStatus
ROLLEN = list(RolSoort)


@pytest.fixture
def zhz():
    return RegioFactory(code="VT24", naam="Zuid-Holland Zuid")


@pytest.fixture
def gebruikers(zhz):
    """One user per role in Zuid-Holland Zuid, and a beleidsmedewerker of another region."""
    per_rol = {}
    for rol in ROLLEN:
        gebruiker = GebruikerFactory(username=f"zhz-{rol}")
        RolFactory(gebruiker=gebruiker, regio=zhz, rol=rol)
        per_rol[rol] = gebruiker
    elders = GebruikerFactory(username="gz-beleid")
    RolFactory(
        gebruiker=elders,
        regio=RegioFactory(code="VT06", naam="Gelderland-Zuid"),
        rol=RolSoort.BELEIDSMEDEWERKER,
    )
    per_rol["andere_regio"] = elders
    return per_rol


def _update(zhz, status):
    project = ProjectFactory(
        actielijn__regioaanpak__regio=zhz, titel=f"Handle with Care ({status})"
    )
    return Voortgangsupdate.objects.create(
        project=project, periode=periode("2021KW02"), status="op_schema", workflow_status=status
    )


def _levering(zhz, status):
    return Gegevenslevering.objects.create(
        regio=zhz, periode=periode("2021KW02"), workflow_status=status
    )


SOORTEN = {
    "voortgang": (_update, OVERGANGEN_VOORTGANG),
    "gegevens": (_levering, OVERGANGEN_GEGEVENS),
}
GEVALLEN = [
    (soort, van, naar, rol)
    for soort in SOORTEN
    for van, naar in itertools.permutations(list(S), 2)
    for rol in [*ROLLEN, "andere_regio"]
]


@pytest.mark.parametrize(("soort", "van", "naar", "rol"), GEVALLEN)
def test_overgangstabel_per_rol(zhz, gebruikers, soort, van, naar, rol):
    maak, tabel = SOORTEN[soort]
    obj = maak(zhz, van)
    gebruiker = gebruikers[rol]
    overgang = tabel.get((van, naar))
    toegestaan = overgang is not None and rol in overgang.rollen
    if toegestaan:
        bijgewerkt = workflow_overgang(obj=obj, naar=naar, gebruiker=gebruiker, reden="Klopt niet")
        assert bijgewerkt.workflow_status == naar
        assert bijgewerkt.versie == obj.versie + 1
        regel = AuditRegel.objects.get(object_id=str(obj.pk), object_type=obj._meta.label_lower)
        assert regel.voor == {"status": van} and regel.na == {"status": naar}
        assert regel.gebruiker == gebruiker and regel.regio == zhz
    else:
        with pytest.raises(WorkflowFout) as fout:
            workflow_overgang(obj=obj, naar=naar, gebruiker=gebruiker, reden="Klopt niet")
        obj.refresh_from_db()
        assert obj.workflow_status == van
        assert not AuditRegel.objects.exists()
        melding = str(fout.value)
        if overgang is None:
            assert "is niet toegestaan" in melding
        else:
            assert melding.startswith("Alleen ") and "Zuid-Holland Zuid" in melding


@pytest.mark.parametrize("soort", SOORTEN)
def test_terugsturen_vraagt_een_reden(zhz, gebruikers, soort):
    maak, _ = SOORTEN[soort]
    obj = maak(zhz, S.INGEDIEND)
    with pytest.raises(WorkflowFout, match="Geef een reden op om terug te sturen"):
        workflow_overgang(
            obj=obj, naar=S.TERUGGESTUURD, gebruiker=gebruikers[RolSoort.BELEIDSMEDEWERKER]
        )
    bijgewerkt = workflow_overgang(
        obj=obj,
        naar=S.TERUGGESTUURD,
        gebruiker=gebruikers[RolSoort.BELEIDSMEDEWERKER],
        reden="Toelichting bij de uitgaven ontbreekt.",
    )
    assert bijgewerkt.reden == "Toelichting bij de uitgaven ontbreekt."
    assert bijgewerkt.beoordeeld_door == gebruikers[RolSoort.BELEIDSMEDEWERKER]


def test_vergrendeling_opheffen_vraagt_reden_en_wordt_gelogd(zhz, gebruikers):
    levering = _levering(zhz, S.GOEDGEKEURD)
    with pytest.raises(WorkflowFout, match="Geef een reden op om de vergrendeling op te heffen"):
        workflow_overgang(obj=levering, naar=S.CONCEPT, gebruiker=gebruikers[RolSoort.BEHEERDER])
    workflow_overgang(
        obj=levering,
        naar=S.CONCEPT,
        gebruiker=gebruikers[RolSoort.BEHEERDER],
        reden="Veilig Thuis levert gecorrigeerde cijfers over Dordrecht.",
    )
    regel = AuditRegel.objects.get()
    assert regel.actie == AuditActie.ONTGRENDELD
    assert regel.reden == "Veilig Thuis levert gecorrigeerde cijfers over Dordrecht."


def test_goedkeuren_vergrendelt_en_wordt_zo_gelogd(zhz, gebruikers):
    levering = _levering(zhz, S.INGEDIEND)
    workflow_overgang(
        obj=levering, naar=S.GOEDGEKEURD, gebruiker=gebruikers[RolSoort.BELEIDSMEDEWERKER]
    )
    levering.refresh_from_db()
    assert levering.is_vergrendeld and not levering.is_bewerkbaar
    assert AuditRegel.objects.get().actie == AuditActie.VERGRENDELD


def test_knoppen_tonen_alleen_wat_de_gebruiker_mag(zhz, gebruikers):
    update = _update(zhz, S.INGEDIEND)
    assert [n for n, _ in update.toegestane_overgangen(gebruikers[RolSoort.PROJECTLEIDER])] == []
    assert sorted(
        n for n, _ in update.toegestane_overgangen(gebruikers[RolSoort.BELEIDSMEDEWERKER])
    ) == [S.GOEDGEKEURD, S.TERUGGESTUURD]
    assert update.toegestane_overgangen(gebruikers["andere_regio"]) == []
    beheerder = GebruikerFactory(username="super", is_superuser=True)
    assert len(update.toegestane_overgangen(beheerder)) == 2
