"""The real seed data (fixtures/regioaanpak_*.yaml) loads and says what the policy documents say."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Sum

from actielijnen.choices import BegrotingSoort, Fase
from actielijnen.models import (
    Actielijn,
    Begrotingspost,
    Mijlpaal,
    PlanningFase,
    Project,
    Regioaanpak,
)
from monitoring.choices import WaarnemingStatus
from monitoring.models import Streefwaarde
from regioaanpak.choices import PeriodeSoort
from regioaanpak.management.commands.laad_demodata import FIXTURES as LAAD_DEMODATA_FIXTURES
from tests.factories import opgeslagen

FIXTURES = settings.BASE_DIR / "fixtures"
# The same files, in the same order, that `make run` loads.
BESTANDEN = LAAD_DEMODATA_FIXTURES

ZHZ, GZ, RR, GRONINGEN = 1000, 2000, 3000, 4000
CENTRUMREGIO_ROTTERDAM = 3900


@pytest.fixture
def seeddata(db):
    call_command("loaddata", *[str(FIXTURES / naam) for naam in BESTANDEN], verbosity=0)


def titels(regioaanpak_pk: int) -> list[str]:
    return list(
        Actielijn.objects.filter(regioaanpak_id=regioaanpak_pk)
        .order_by("nummer")
        .values_list("titel", flat=True)
    )


def planning(titel: str, periode: str) -> PlanningFase:
    return PlanningFase.objects.get(
        project__actielijn__regioaanpak_id=RR, project__titel=titel, periode_id=periode
    )


def begroting(regioaanpak_pk: int, soort: str) -> Decimal:
    posten = Begrotingspost.objects.filter(regioaanpak_id=regioaanpak_pk, soort=soort)
    return posten.aggregate(totaal=Sum("bedrag"))["totaal"]


def test_elke_regio_heeft_haar_regioaanpak(seeddata):
    assert dict(Regioaanpak.objects.values_list("pk", "regio_id")) == {
        ZHZ: "VT24",
        GZ: "VT06",
        RR: "VT18",
        CENTRUMREGIO_ROTTERDAM: "CG-ROT",
        GRONINGEN: "VT08",
    }


def test_zuid_holland_zuid_heeft_de_negen_projecten_uit_de_raadsinformatiebrief(seeddata):
    projecten = Project.objects.filter(actielijn__regioaanpak_id=ZHZ)
    assert set(projecten.values_list("titel", flat=True)) == {
        "Versterken lokale infrastructuur",
        "Ouderenmishandeling",
        "Complexe scheidingen",
        "Meldcode en voorlichtingen",
        "MDA++",
        "Ervaringsdeskundigheid",
        "Aanpak Seksueel geweld",
        "Traumascreening",
        "Handle with Care",
    }
    assert titels(ZHZ) == [
        "Eerder en beter in beeld",
        "Stoppen en duurzaam oplossen",
        "Specifieke groepen",
    ]
    scheidingen = projecten.get(titel="Complexe scheidingen")
    assert set(scheidingen.gemeenten.values_list("naam", flat=True)) == {
        "Dordrecht",
        "Papendrecht",
        "Zwijndrecht",
    }
    # "De projecten ... kennen een doorlooptijd tot eind 2021"; no amounts in the letter.
    assert {str(p.einddatum) for p in projecten} == {"2021-12-31"}
    assert not projecten.filter(begroting__isnull=False).exists()


def test_gelderland_zuid_heeft_vier_actielijnen_op_volgorde(seeddata):
    assert titels(GZ) == [
        "Preventie en signalering",
        "Expertise lokale teams",
        "Helpende data",
        "Samenwerking zorg- en veiligheidspartners",
    ]
    assert not Actielijn.objects.filter(regioaanpak_id=GZ, beoogd_effect="").exists()


def test_rotterdam_rijnmond_planning_snel_handelen_op_signalen(seeddata):
    assert len(titels(RR)) == 3
    team = "Uitvoeringsteam snel handelen op signalen"
    assert planning(team, "2019KW04").fase == Fase.START_UITVOERING
    derde_kwartaal = planning(team, "2021KW03")
    assert derde_kwartaal.fase == Fase.BORGEN
    assert derde_kwartaal.omschrijving == "Borgen in hele regio (heel 2021)"
    project = Project.objects.get(actielijn__regioaanpak_id=RR, titel=team)
    assert set(project.gemeenten.values_list("pk", flat=True)) == {"GM0599", "GM0502", "GM0622"}


def test_rotterdam_rijnmond_lege_cellen_hebben_geen_planning(seeddata):
    assert PlanningFase.objects.filter(project__actielijn__regioaanpak_id=RR).count() == 70
    handle_with_care = PlanningFase.objects.filter(
        project__titel="Uitvoeringsteam Handle with Care"
    )
    assert not handle_with_care.filter(periode_id="2019KW04").exists()
    flexibel = planning("Flexibele inzet specialistische expertise", "2020KW01")
    assert flexibel.fase == Fase.PLAN
    assert "Indien haalbaar gebleken" in flexibel.omschrijving


def test_planning_staat_altijd_in_een_kwartaal(seeddata):
    for fase in PlanningFase.objects.select_related("periode"):
        assert fase.periode.soort == PeriodeSoort.KWARTAAL, fase
        fase.full_clean()


def test_gelderland_zuid_raming_sluit(seeddata):
    # One year's amounts: the cover is the DU VO of the December 2020 circular.
    assert set(
        Begrotingspost.objects.filter(regioaanpak_id=GZ).values_list("van_jaar", "tot_jaar")
    ) == {(2021, 2021)}
    assert begroting(GZ, BegrotingSoort.UITGAVE) == Decimal("5519594.00")
    assert begroting(GZ, BegrotingSoort.DEKKING) == Decimal("5519594.00")


def test_rotterdam_begroting_2020_houdt_het_verschil_uit_de_bron(seeddata):
    # The centrumgemeente Rotterdam's budget covers only its own centrumgemeenteregio, so it is
    # kept apart from the Rotterdam-Rijnmond action plan's budget.
    rotterdam_2020 = Begrotingspost.objects.filter(regioaanpak_id=CENTRUMREGIO_ROTTERDAM)
    uitgaven = rotterdam_2020.filter(soort=BegrotingSoort.UITGAVE).aggregate(t=Sum("bedrag"))["t"]
    inkomsten = rotterdam_2020.filter(soort=BegrotingSoort.DEKKING).aggregate(t=Sum("bedrag"))["t"]
    assert uitgaven == Decimal("13090000.00")
    assert inkomsten == Decimal("13084805.00")
    assert not Begrotingspost.objects.filter(regioaanpak_id=RR, van_jaar=2020, tot_jaar=2020)
    assert begroting(RR, BegrotingSoort.DEKKING) == Decimal("690000.00")
    # The EUR 228.000 for other activities is only mentioned, not a line of its own.
    assert not Begrotingspost.objects.filter(bedrag=Decimal("228000")).exists()


def test_gelderland_zuid_cijfers_2020_uit_de_infographic(seeddata):
    meldingen = opgeslagen().get(indicator_id="vt_meldingen", regio_id="VT06")
    assert meldingen.periode_id == "2020JJ00"
    assert meldingen.waarde == Decimal("2839")
    assert meldingen.gemeente_id is None
    huisverboden = opgeslagen().get(indicator_id="tijdelijke_huisverboden", regio_id="VT06")
    assert huisverboden.status == WaarnemingStatus.VOORLOPIG
    assert "B5" in huisverboden.toelichting
    eergerelateerd = opgeslagen().get(indicator_id="vt_meldingen_eergerelateerd")
    assert eergerelateerd.status == WaarnemingStatus.VOORLOPIG


def test_elke_waarneming_is_geldig(seeddata):
    waarnemingen = opgeslagen().select_related("indicator", "gemeente")
    assert waarnemingen.filter(regio_id="VT06", periode_id="2020JJ00").count() == 12
    for waarneming in waarnemingen:
        waarneming.full_clean()


def test_recidivedoelen_zuid_holland_zuid(seeddata):
    doelen = Streefwaarde.objects.filter(
        indicator_id="recidive_zonder_nieuw_geweld", regio_id="VT24"
    )
    assert dict(doelen.values_list("periode_id", "waarde")) == {
        "2016JJ00": Decimal("60"),
        "2018JJ00": Decimal("80"),
    }


def test_groningen_drie_actielijnen_en_mijlpalen_het_hogeland(seeddata):
    assert titels(GRONINGEN) == [
        "Het geweld eerder en beter in beeld",
        "Het geweld stoppen en duurzaam oplossen",
        "Specifieke acties voor specifieke groepen",
    ]
    zelfscan = Project.objects.get(
        titel="Zelfscan kwaliteitskader Werken aan Veiligheid Het Hogeland"
    )
    assert list(zelfscan.gemeenten.values_list("pk", flat=True)) == ["GM1966"]
    assert str(zelfscan.mijlpalen.get(titel__startswith="Evaluatie").geplande_datum) == "2021-06-30"


def test_pks_liggen_in_de_reeks_van_de_regio(seeddata):
    reeksen = {ZHZ: "VT24", GZ: "VT06", RR: "VT18", GRONINGEN: "VT08", 3900: "CG-ROT"}
    for begin, regio in reeksen.items():
        reeks = range(begin - begin % 1000, begin - begin % 1000 + 1000)
        assert Regioaanpak.objects.get(regio_id=regio).pk in reeks
        for model, pad in [
            (Actielijn, "regioaanpak__regio"),
            (Project, "actielijn__regioaanpak__regio"),
            (Mijlpaal, "project__actielijn__regioaanpak__regio"),
            (PlanningFase, "project__actielijn__regioaanpak__regio"),
            (Begrotingspost, "regioaanpak__regio"),
        ]:
            pks = model.objects.filter(**{pad: regio}).values_list("pk", flat=True)
            assert all(pk in reeks for pk in pks), (model.__name__, regio)


@pytest.mark.parametrize("model", [Regioaanpak, Actielijn, Project, Mijlpaal, Begrotingspost])
def test_alle_seedgegevens_zijn_geldig(seeddata, model):
    for obj in model.objects.all():
        obj.full_clean()
