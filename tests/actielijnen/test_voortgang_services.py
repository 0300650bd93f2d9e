import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from actielijnen.models import MijlpaalStand, Voortgangsupdate
from actielijnen.services import (
    VersieConflict,
    voortgangsupdate_opslaan,
    voortgangsupdate_overgang,
)
from regioaanpak import opmaak
from regioaanpak.choices import AuditActie, RolSoort, WorkflowStatus
from regioaanpak.models import AuditRegel
from regioaanpak.workflow import WorkflowFout
from tests.actielijnen.conftest import MijlpaalFactory
from tests.factories import GebruikerFactory, ProjectFactory, RolFactory

pytestmark = pytest.mark.django_db

KWARTAAL = "2021KW02"


def gegevens(**anders) -> dict:
    return {
        "status": "op_schema",
        "toelichting": "Handle with Care draait op tien basisscholen in Dordrecht.",
        "resultaten": "32 intern begeleiders geschoold.",
        "knelpunten": "",
        "volgende_stappen": "Uitbreiden naar Zwijndrecht.",
        "uitgaven_tm_kwartaal": Decimal("12500"),
        "fase": "start_uitvoering",
        "fase_toelichting": "",
        **anders,
    }


def opslaan(zhz, *, gebruiker=None, versie=None, mijlpaalstanden=None, **anders):
    return voortgangsupdate_opslaan(
        project=zhz.handle_with_care,
        periode=KWARTAAL,
        gegevens=gegevens(**anders),
        mijlpaalstanden=mijlpaalstanden or {},
        versie=versie,
        gebruiker=gebruiker or zhz.projectleider,
    )


def auditregels(update):
    return list(
        AuditRegel.objects.filter(
            object_type="actielijnen.voortgangsupdate", object_id=str(update.pk)
        ).order_by("tijdstip", "id")
    )


def test_projectleider_maakt_een_update_aan_met_mijlpalen_en_audit(zhz):
    update = opslaan(zhz, mijlpaalstanden={zhz.scholing.pk: ("behaald", "Op 28 mei afgerond")})

    update.refresh_from_db()
    assert update.periode_id == KWARTAAL
    assert update.workflow_status == WorkflowStatus.CONCEPT
    assert update.versie == 1
    assert update.uitgaven_tm_kwartaal == Decimal("12500.00")
    stand = MijlpaalStand.objects.get(update=update)
    assert (stand.mijlpaal, stand.stand, stand.toelichting) == (
        zhz.scholing,
        "behaald",
        "Op 28 mei afgerond",
    )
    [regel] = auditregels(update)
    assert regel.actie == AuditActie.AANGEMAAKT
    assert regel.gebruiker == zhz.projectleider
    assert regel.regio == zhz.regio
    assert regel.voor is None
    assert regel.na["toelichting"].startswith("Handle with Care draait")
    assert regel.na["uitgaven_tm_kwartaal"] == "12500.00"
    assert "knelpunten" not in regel.na  # empty fields are not news
    assert regel.na["mijlpalen"][str(zhz.scholing.pk)]["stand"] == "behaald"


def test_wijzigen_hoogt_de_versie_op_en_logt_alleen_wat_veranderde(zhz):
    update = opslaan(zhz, mijlpaalstanden={zhz.scholing.pk: ("loopt", "")})

    gewijzigd = opslaan(
        zhz,
        versie=1,
        knelpunten="Twee scholen haken af door personeelstekort.",
        mijlpaalstanden={zhz.scholing.pk: ("behaald", ""), zhz.convenant.pk: ("loopt", "")},
    )

    assert gewijzigd.pk == update.pk
    gewijzigd.refresh_from_db()
    assert gewijzigd.versie == 2
    assert gewijzigd.knelpunten == "Twee scholen haken af door personeelstekort."
    assert set(gewijzigd.mijlpaalstanden.values_list("stand", flat=True)) == {"behaald", "loopt"}
    regel = auditregels(update)[-1]
    assert regel.actie == AuditActie.GEWIJZIGD
    assert regel.voor == {
        "knelpunten": "",
        "mijlpalen": {
            str(zhz.scholing.pk): {
                "titel": "Scholing intern begeleiders",
                "stand": "loopt",
                "toelichting": "",
            },
            str(zhz.convenant.pk): {
                "titel": "Convenant met de politie",
                "stand": "",
                "toelichting": "",
            },
        },
    }
    assert regel.na["knelpunten"] == "Twee scholen haken af door personeelstekort."
    assert regel.na["mijlpalen"][str(zhz.scholing.pk)]["stand"] == "behaald"
    assert "toelichting" not in regel.na  # unchanged


def test_opslaan_zonder_wijziging_maakt_geen_nieuwe_versie(zhz):
    update = opslaan(zhz)
    opnieuw = opslaan(zhz, versie=1)
    opnieuw.refresh_from_db()
    assert opnieuw.versie == 1
    assert len(auditregels(update)) == 1


def test_versieconflict_wordt_geweigerd_en_overschrijft_niets(zhz):
    opslaan(zhz)
    collega = GebruikerFactory(username="piet", first_name="Piet", last_name="Projectleider")
    RolFactory(gebruiker=collega, regio=zhz.regio, rol=RolSoort.PROJECTLEIDER)
    opslaan(zhz, gebruiker=collega, versie=1, toelichting="Tekst van Piet.")

    with pytest.raises(VersieConflict) as fout:
        opslaan(zhz, versie=1, toelichting="Tekst van Petra.")

    bericht = str(fout.value)
    assert "intussen gewijzigd door Piet Projectleider" in bericht
    assert opmaak.datum(timezone.localdate()) in bericht
    assert "Uw invoer is niet opgeslagen" in bericht
    assert fout.value.versie == 2
    update = Voortgangsupdate.objects.get()
    assert (update.toelichting, update.versie) == ("Tekst van Piet.", 2)


def test_nieuwe_update_terwijl_een_collega_hem_al_aanmaakte_is_een_conflict(zhz):
    opslaan(zhz, toelichting="Eerste versie.")
    with pytest.raises(VersieConflict) as fout:
        opslaan(zhz, versie=None, toelichting="Tweede eerste versie.")
    assert "intussen aangemaakt door Petra Projectleider" in str(fout.value)
    assert Voortgangsupdate.objects.get().toelichting == "Eerste versie."


@pytest.mark.parametrize("status", [WorkflowStatus.INGEDIEND, WorkflowStatus.GOEDGEKEURD])
def test_ingediende_of_goedgekeurde_update_is_niet_te_wijzigen(zhz, status):
    update = opslaan(zhz)
    voortgangsupdate_overgang(
        update=update, naar=WorkflowStatus.INGEDIEND, gebruiker=zhz.projectleider
    )
    if status == WorkflowStatus.GOEDGEKEURD:
        voortgangsupdate_overgang(
            update=update, naar=WorkflowStatus.GOEDGEKEURD, gebruiker=zhz.beleidsmedewerker
        )
    update.refresh_from_db()

    with pytest.raises(WorkflowFout) as fout:
        opslaan(zhz, versie=update.versie, toelichting="Toch nog iets anders.")

    assert f"Deze update is {status}" in str(fout.value)
    update.refresh_from_db()
    assert update.toelichting == "Handle with Care draait op tien basisscholen in Dordrecht."


def test_opslaan_van_een_teruggestuurde_update_zet_hem_terug_naar_concept(zhz):
    update = opslaan(zhz)
    voortgangsupdate_overgang(
        update=update, naar=WorkflowStatus.INGEDIEND, gebruiker=zhz.projectleider
    )
    voortgangsupdate_overgang(
        update=update,
        naar=WorkflowStatus.TERUGGESTUURD,
        gebruiker=zhz.beleidsmedewerker,
        reden="Vul de uitgaven van het tweede kwartaal aan.",
    )
    update.refresh_from_db()

    opslaan(zhz, versie=update.versie, uitgaven_tm_kwartaal=Decimal("18250.50"))

    update.refresh_from_db()
    assert update.workflow_status == WorkflowStatus.CONCEPT
    assert update.uitgaven_tm_kwartaal == Decimal("18250.50")
    stappen = [(r.actie, r.voor, r.na, r.gebruiker.username) for r in auditregels(update)]
    assert stappen[1:] == [
        ("status", {"status": "concept"}, {"status": "ingediend"}, "petra"),
        ("status", {"status": "ingediend"}, {"status": "teruggestuurd"}, "bram"),
        ("status", {"status": "teruggestuurd"}, {"status": "concept"}, "petra"),
        (
            "gewijzigd",
            {"uitgaven_tm_kwartaal": "12500.00"},
            {"uitgaven_tm_kwartaal": "18250.50"},
            "petra",
        ),
    ]
    assert auditregels(update)[2].reden == "Vul de uitgaven van het tweede kwartaal aan."


@pytest.mark.parametrize(
    "rol", [RolSoort.BESTUURDER, RolSoort.BELEIDSMEDEWERKER, RolSoort.BEHEERDER, None]
)
def test_alleen_een_projectleider_van_de_regio_mag_opslaan(zhz, gelderland_zuid, rol):
    if rol is None:
        gebruiker = gelderland_zuid[1]  # project leader, but of another region
    else:
        gebruiker = GebruikerFactory()
        RolFactory(gebruiker=gebruiker, regio=zhz.regio, rol=rol)
    with pytest.raises(WorkflowFout) as fout:
        opslaan(zhz, gebruiker=gebruiker)
    assert "Alleen de projectleider van Zuid-Holland Zuid" in str(fout.value)
    assert not Voortgangsupdate.objects.exists()
    assert not AuditRegel.objects.exists()


def test_goedkeuren_en_terugsturen_alleen_door_beoordelaars_met_audit(zhz):
    update = opslaan(zhz)
    voortgangsupdate_overgang(
        update=update, naar=WorkflowStatus.INGEDIEND, gebruiker=zhz.projectleider
    )
    with pytest.raises(WorkflowFout, match="Alleen een beleidsmedewerker of beheerder"):
        voortgangsupdate_overgang(
            update=update, naar=WorkflowStatus.GOEDGEKEURD, gebruiker=zhz.projectleider
        )
    with pytest.raises(WorkflowFout, match="Geef een reden op"):
        voortgangsupdate_overgang(
            update=update, naar=WorkflowStatus.TERUGGESTUURD, gebruiker=zhz.beleidsmedewerker
        )

    voortgangsupdate_overgang(
        update=update, naar=WorkflowStatus.GOEDGEKEURD, gebruiker=zhz.beleidsmedewerker
    )

    update.refresh_from_db()
    assert update.workflow_status == WorkflowStatus.GOEDGEKEURD
    assert update.beoordeeld_door == zhz.beleidsmedewerker
    regel = auditregels(update)[-1]
    assert (regel.actie, regel.voor, regel.na) == (
        AuditActie.VERGRENDELD,
        {"status": "ingediend"},
        {"status": "goedgekeurd"},
    )
    assert regel.gebruiker == zhz.beleidsmedewerker


def test_onbekende_status_geeft_een_nederlandse_melding(zhz):
    update = opslaan(zhz)
    with pytest.raises(WorkflowFout, match="Onbekende status: 'gepubliceerd'"):
        voortgangsupdate_overgang(update=update, naar="gepubliceerd", gebruiker=zhz.projectleider)


def test_indienen_mailt_de_beleidsmedewerkers_van_de_regio_na_de_commit(
    zhz, gelderland_zuid, django_capture_on_commit_callbacks
):
    zonder_adres = GebruikerFactory(username="bert", email="")
    RolFactory(gebruiker=zonder_adres, regio=zhz.regio, rol=RolSoort.BELEIDSMEDEWERKER)
    update = opslaan(zhz)

    with django_capture_on_commit_callbacks(execute=True):
        voortgangsupdate_overgang(
            update=update,
            naar=WorkflowStatus.INGEDIEND,
            gebruiker=zhz.projectleider,
            basis_url="https://monitor.zhz.example.nl/",
        )

    [bericht] = mail.outbox  # Bram only: Bert has no address, Gina works in Gelderland-Zuid
    assert bericht.to == ["bram@dordrecht.example.nl"]
    assert bericht.subject == "Voortgangsupdate ingediend: Handle with Care, 2e kwartaal 2021"
    assert "Petra Projectleider heeft de voortgangsupdate" in bericht.body
    project = zhz.handle_with_care.pk
    assert f"https://monitor.zhz.example.nl/projecten/{project}/voortgang/2021KW02/" in bericht.body


def test_zonder_commit_wordt_er_niet_gemaild(zhz, django_capture_on_commit_callbacks):
    update = opslaan(zhz)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        voortgangsupdate_overgang(
            update=update, naar=WorkflowStatus.INGEDIEND, gebruiker=zhz.projectleider
        )
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_goedkeuren_mailt_niet(zhz, django_capture_on_commit_callbacks):
    update = opslaan(zhz)
    voortgangsupdate_overgang(
        update=update, naar=WorkflowStatus.INGEDIEND, gebruiker=zhz.projectleider
    )
    with django_capture_on_commit_callbacks(execute=True):
        voortgangsupdate_overgang(
            update=update, naar=WorkflowStatus.GOEDGEKEURD, gebruiker=zhz.beleidsmedewerker
        )
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("periode", "melding"),
    [
        ("2021HJ01", "Een voortgangsupdate is per kwartaal; 2021HJ01 is dat niet."),
        ("2021KW05", "'2021KW05' is geen geldige periodecode"),
    ],
)
def test_alleen_bestaande_kwartalen(zhz, periode, melding):
    with pytest.raises(ValidationError) as fout:
        voortgangsupdate_opslaan(
            project=zhz.handle_with_care,
            periode=periode,
            gegevens=gegevens(),
            mijlpaalstanden={},
            versie=None,
            gebruiker=zhz.projectleider,
        )
    assert melding in str(fout.value)
    assert not Voortgangsupdate.objects.exists()


def test_negatieve_uitgaven_worden_geweigerd_met_de_naam_van_het_veld(zhz):
    with pytest.raises(ValidationError) as fout:
        opslaan(zhz, uitgaven_tm_kwartaal=Decimal("-1"))
    assert "Uitgaven kunnen niet negatief zijn." in str(fout.value)
    assert not Voortgangsupdate.objects.exists()


def test_mijlpaal_van_een_ander_project_wordt_geweigerd_en_niets_opgeslagen(zhz):
    vreemd = MijlpaalFactory(project=ProjectFactory(titel="Zorgroutes"), titel="Start")
    with pytest.raises(ValidationError) as fout:
        opslaan(zhz, mijlpaalstanden={vreemd.pk: ("loopt", "")})
    assert "hoort niet bij het project Handle with Care" in str(fout.value)
    assert not Voortgangsupdate.objects.exists()


def test_toelichting_bij_mijlpaal_zonder_stand_wordt_geweigerd(zhz):
    with pytest.raises(ValidationError) as fout:
        opslaan(zhz, mijlpaalstanden={zhz.scholing.pk: ("", "Nog even wachten")})
    assert f"mijlpaal_{zhz.scholing.pk}_stand" in fout.value.message_dict


def test_lege_stand_haalt_een_eerdere_stand_weg(zhz):
    opslaan(zhz, mijlpaalstanden={zhz.scholing.pk: ("loopt", "")})
    update = opslaan(zhz, versie=1, mijlpaalstanden={zhz.scholing.pk: ("", "")})
    assert not update.mijlpaalstanden.exists()
    assert update.versie == 2


def test_onbekend_veld_is_een_programmeerfout(zhz):
    with pytest.raises(ValueError, match="workflow_status"):
        opslaan(zhz, workflow_status="goedgekeurd")


def test_datum_in_het_conflict_is_nederlandse_tijd(zhz):
    update = opslaan(zhz)
    AuditRegel.objects.filter(object_id=str(update.pk)).update(
        tijdstip=dt.datetime(2026, 11, 22, 13, 3, tzinfo=dt.UTC)
    )
    with pytest.raises(VersieConflict) as fout:
        opslaan(zhz, versie=7)
    assert "(22 november 2026 om 14:03)" in str(fout.value)
