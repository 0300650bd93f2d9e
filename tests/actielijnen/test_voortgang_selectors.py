import datetime as dt
from decimal import Decimal

import pytest

from actielijnen.choices import Fase
from actielijnen.selectors import (
    voortgang_geschiedenis,
    voortgang_pagina,
    voortgang_per_project,
    vorige_update,
)
from actielijnen.services import voortgangsupdate_opslaan, voortgangsupdate_overgang
from regioaanpak.choices import WorkflowStatus
from regioaanpak.inzage import Inzage
from tests.actielijnen.conftest import PlanningFaseFactory, VoortgangsupdateFactory
from tests.factories import ActielijnFactory, ProjectFactory, RegioaanpakFactory, periode

INTERN = Inzage.intern("VT24")  # the region's own staff: every update
pytestmark = pytest.mark.django_db


def test_vorige_update_is_die_van_het_kwartaal_ervoor(zhz):
    eerste = VoortgangsupdateFactory(project=zhz.handle_with_care, periode=periode("2021KW01"))
    VoortgangsupdateFactory(project=zhz.traumascreening, periode=periode("2021KW01"))
    assert vorige_update(zhz.handle_with_care, "2021KW02") == eerste
    assert vorige_update(zhz.handle_with_care, "2021KW03") is None  # no update in KW02


def test_vorige_update_over_de_jaargrens(zhz):
    december = VoortgangsupdateFactory(project=zhz.handle_with_care, periode=periode("2020KW04"))
    assert vorige_update(zhz.handle_with_care, "2021KW01") == december


def test_voortgang_per_project_met_update_en_planning_in_vaste_volgorde(zhz, gelderland_zuid):
    aanpak = zhz.handle_with_care.actielijn.regioaanpak
    eerste_lijn = ActielijnFactory(regioaanpak=aanpak, nummer=1, titel="Eerder in beeld")
    meldcode = ProjectFactory(actielijn=eerste_lijn, titel="Meldcode en voorlichtingen")
    update = VoortgangsupdateFactory(project=zhz.traumascreening)
    VoortgangsupdateFactory(project=zhz.traumascreening, periode=periode("2021KW01"))
    ProjectFactory(  # ended before the quarter
        actielijn=eerste_lijn, titel="Pilot 2020", einddatum=dt.date(2021, 3, 31)
    )
    ProjectFactory(  # starts after the quarter
        actielijn=eerste_lijn, titel="Aanpak ouderenmishandeling", startdatum=dt.date(2021, 7, 1)
    )
    oude_aanpak = RegioaanpakFactory(
        regio=zhz.regio, looptijd_van=dt.date(2017, 1, 1), looptijd_tot=dt.date(2020, 12, 31)
    )
    ProjectFactory(actielijn=ActielijnFactory(regioaanpak=oude_aanpak), titel="Oud project")

    rijen = voortgang_per_project(zhz.regio, "2021KW02", inzage=INTERN)

    assert [(p.titel, u, pf.fase if pf else None) for p, u, pf in rijen] == [
        ("Meldcode en voorlichtingen", None, None),
        ("Handle with Care", None, Fase.START_UITVOERING),
        ("Traumascreening", update, None),
    ]
    assert rijen[0][0] == meldcode


def test_voortgang_per_project_gebruikt_drie_queries(zhz, django_assert_num_queries):
    for nummer in range(8):
        project = ProjectFactory(actielijn=zhz.handle_with_care.actielijn, titel=f"Extra {nummer}")
        VoortgangsupdateFactory(project=project)
        PlanningFaseFactory(project=project)
    with django_assert_num_queries(3):
        rijen = voortgang_per_project("VT24", "2021KW02", inzage=INTERN)
        for project, update, planning in rijen:
            str(project.actielijn.regioaanpak), str(update), str(planning)
    assert len(rijen) == 10


def test_geschiedenis_is_leesbaar_met_labels_en_euro(zhz):
    update = voortgangsupdate_opslaan(
        project=zhz.handle_with_care,
        periode="2021KW02",
        gegevens={"status": "op_schema", "uitgaven_tm_kwartaal": Decimal("12500")},
        mijlpaalstanden={zhz.scholing.pk: ("loopt", "")},
        versie=None,
        gebruiker=zhz.projectleider,
    )
    voortgangsupdate_opslaan(
        project=zhz.handle_with_care,
        periode="2021KW02",
        gegevens={"status": "achter", "uitgaven_tm_kwartaal": Decimal("18250.5")},
        mijlpaalstanden={zhz.scholing.pk: ("vertraagd", "Docent ziek")},
        versie=1,
        gebruiker=zhz.projectleider,
    )
    voortgangsupdate_overgang(
        update=update, naar=WorkflowStatus.INGEDIEND, gebruiker=zhz.projectleider
    )

    nieuwste, wijziging, aanmaak = voortgang_geschiedenis(update)

    assert (nieuwste.wie, nieuwste.wat) == ("Petra Projectleider", "Status gewijzigd (indienen)")
    assert [(w.veld, w.voor, w.na) for w in nieuwste.wijzigingen] == [
        ("Status van de update", "concept", "ingediend")
    ]
    assert wijziging.wat == "Gewijzigd"
    assert [(w.veld, w.voor, w.na) for w in wijziging.wijzigingen] == [
        ("Status van het project", "op schema", "achter op schema"),
        ("Uitgaven tot en met dit kwartaal (euro)", "€\u00a012.500,00", "€\u00a018.250,50"),
        (
            "Mijlpaal 'Scholing intern begeleiders'",
            "loopt volgens plan",
            "vertraagd — Docent ziek",
        ),
    ]
    assert aanmaak.wat == "Aangemaakt"
    assert all(w.voor == "" for w in aanmaak.wijzigingen)


def test_pagina_toont_de_laatste_terugsturing_tot_opnieuw_ingediend(zhz):
    update = VoortgangsupdateFactory(project=zhz.handle_with_care)
    voortgangsupdate_overgang(
        update=update, naar=WorkflowStatus.INGEDIEND, gebruiker=zhz.projectleider
    )
    voortgangsupdate_overgang(
        update=update,
        naar=WorkflowStatus.TERUGGESTUURD,
        gebruiker=zhz.beleidsmedewerker,
        reden="Resultaten ontbreken.",
    )
    pagina = voortgang_pagina(project=zhz.handle_with_care, periode_code="2021KW02", inzage=INTERN)
    assert pagina.terugsturing.reden == "Resultaten ontbreken."
    assert pagina.terugsturing.wie == "Bram Beleid"

    voortgangsupdate_overgang(
        update=update, naar=WorkflowStatus.CONCEPT, gebruiker=zhz.projectleider
    )
    pagina = voortgang_pagina(project=zhz.handle_with_care, periode_code="2021KW02", inzage=INTERN)
    assert pagina.terugsturing.reden == "Resultaten ontbreken."  # still to be acted on

    voortgangsupdate_overgang(
        update=update, naar=WorkflowStatus.INGEDIEND, gebruiker=zhz.projectleider
    )
    pagina = voortgang_pagina(project=zhz.handle_with_care, periode_code="2021KW02", inzage=INTERN)
    assert pagina.terugsturing is None
