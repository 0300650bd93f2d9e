"""The dashboard selector: every number it returns is the figure selector's answer to the same
question; period choice, merger roll-up on the map, progress and budget.

The data builders here are also used by test_dashboard_views.py and the browser test.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actielijnen.choices import BegrotingSoort, Financieringsbron, ProjectStatus
from actielijnen.models import Begrotingspost, Voortgangsupdate
from monitoring.choices import WaarnemingStatus
from monitoring.models import Gegevenslevering, Streefwaarde, Waarneming
from monitoring.selectors import cijfer as selector_cijfer
from monitoring.selectors import dashboard as dashboards
from monitoring.selectors.dashboard import (
    MELDERS,
    PER_1000,
    TREND,
    gemeente_lidmaatschappen,
    grensjaar,
    kies_periode,
    streefwaarde_perioden,
)
from monitoring.selectors.organisaties import aanleververdeling
from monitoring.selectors.referentie import referentie
from regioaanpak.choices import RegioSoort, RolSoort, WorkflowStatus
from regioaanpak.inzage import Inzage
from regioaanpak.models import Gemeentegrens, Lidmaatschap, Regio
from regioaanpak.perioden import PeriodeCode
from tests.factories import (
    ActielijnFactory,
    GebruikerFactory,
    GemeenteFactory,
    InwonertalFactory,
    LidmaatschapFactory,
    ProjectFactory,
    RegioaanpakFactory,
    RegioFactory,
    RolFactory,
    opgeslagen,
    periode,
)

pytestmark = pytest.mark.django_db

# An internal viewer of every region (raw values, approved figures), and with submitted ones.
GOEDGEKEURD = Inzage(lees=None, ruw=None, onvoltooid=None)
MET_INGEDIEND = GOEDGEKEURD.met_ingediend()


def cijfer(indicator, gebied, periode, inzage=GOEDGEKEURD):
    return selector_cijfer(indicator, gebied, periode, inzage=inzage)


def regiodashboard(regio, periode=None, *, inzage=GOEDGEKEURD, **opties):
    return dashboards.regiodashboard(regio, periode, inzage=inzage, **opties)


def gemeentedashboard(gemeente, periode=None, *, inzage=GOEDGEKEURD, **opties):
    return dashboards.gemeentedashboard(gemeente, periode, inzage=inzage, **opties)


WACHTWOORD = "geheim-wachtwoord-123"
ZHZ_KWARTALEN = [f"{jaar}KW0{n}" for jaar in (2021, 2022) for n in range(1, 5)]
MERGER = dt.date(2023, 1, 1)


# -- data builders ------------------------------------------------------------------------------


def waarden(basis: int, index: int) -> dict[str, int]:
    """Plausible, consistent counts of one municipality for one quarter."""
    meldingen = basis + 3 * index
    vb = meldingen
    return {
        "vt_meldingen": meldingen,
        "vt_adviezen": 2 * basis + index,
        "vt_veiligheidsbeoordelingen": vb,
        "vt_veiligheidsbeoordelingen_binnen_termijn": vb * 92 // 100,
        "vt_onderzoeken": 50 + index,
        "vt_onderzoeken_binnen_termijn": (50 + index) * 78 // 100,
        "vt_meldingen_politie_justitie": meldingen * 4 // 10,
        "vt_meldingen_beroepsmatig": meldingen * 2 // 10,
        "vt_meldingen_onderwijs": meldingen // 10,
        "vt_meldingen_gezondheidszorg": meldingen // 10,
        "vt_meldingen_niet_beroepsmatig": meldingen - meldingen * 8 // 10,
    }


def vul(gemeenten: dict[str, int], kwartalen: list[str], bron: str = "Veilig Thuis ZHZ"):
    """Store every base figure of the dashboards for the municipalities and quarters."""
    rijen = []
    for code, basis in gemeenten.items():
        for index, kwartaal in enumerate(kwartalen):
            periode(kwartaal)
            for indicator, waarde in waarden(basis, index).items():
                rijen.append(
                    Waarneming(
                        indicator_id=indicator,
                        gemeente_id=code,
                        periode_id=kwartaal,
                        waarde=Decimal(waarde),
                        bron=bron,
                    )
                )
    Waarneming.objects.bulk_create(rijen)


def leveringen(regio, kwartalen: list[str], status=WorkflowStatus.GOEDGEKEURD):
    for kwartaal in kwartalen:
        Gegevenslevering.objects.create(
            regio=regio, periode=periode(kwartaal), workflow_status=status
        )


def vierkant(x: float, y: float, grootte: float = 0.05) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [
            [[x, y], [x + grootte, y], [x + grootte, y + grootte], [x, y + grootte], [x, y]]
        ],
    }


def nederland(*gemeenten):
    regio = RegioFactory(code="NL01", naam="Nederland", soort=RegioSoort.LAND, cbs_code="NL01")
    for gemeente in gemeenten:
        LidmaatschapFactory(regio=regio, gemeente=gemeente)
    return regio


@pytest.fixture
def zuid_holland_zuid(indicatoren):
    """VT24 with Dordrecht and Papendrecht, 8 quarters of figures (2021-2022), approved except
    the last quarter (submitted), a regioaanpak with three projects and a budget, a target."""
    regio = RegioFactory(code="VT24", naam="Zuid-Holland Zuid")
    dordrecht = GemeenteFactory(cbs_code="GM0505", naam="Dordrecht")
    papendrecht = GemeenteFactory(cbs_code="GM0590", naam="Papendrecht")
    for gemeente, inwoners in ((dordrecht, 119_100), (papendrecht, 32_200)):
        LidmaatschapFactory(regio=regio, gemeente=gemeente)
        for jaar in (2021, 2022):
            InwonertalFactory(gemeente=gemeente, jaar=jaar, aantal=inwoners + (jaar - 2021) * 500)
    regio.centrumgemeente = dordrecht
    regio.save()
    vul({"GM0505": 300, "GM0590": 80}, ZHZ_KWARTALEN)
    leveringen(regio, ZHZ_KWARTALEN[:-1])
    leveringen(regio, ZHZ_KWARTALEN[-1:], WorkflowStatus.INGEDIEND)
    for jaar, x in ((2022, 4.6), (2023, 4.6)):
        Gemeentegrens.objects.create(gemeente=dordrecht, jaar=jaar, geometrie=vierkant(x, 51.8))
        Gemeentegrens.objects.create(
            gemeente=papendrecht, jaar=jaar, geometrie=vierkant(x + 0.06, 51.8)
        )
    Streefwaarde.objects.create(
        indicator_id="vt_meldingen_per_1000",
        regio=regio,
        periode=periode("2022JJ00"),
        waarde=Decimal("2.5"),
        bron="Regiovisie",
    )

    aanpak = RegioaanpakFactory(
        regio=regio,
        titel="Regiovisie en actieplan GHNT Zuid-Holland Zuid",
        looptijd_van=dt.date(2020, 1, 1),
        looptijd_tot=dt.date(2022, 12, 31),
    )
    lijn = ActielijnFactory(regioaanpak=aanpak, nummer=1, titel="Eerder en beter in beeld")
    hwc = ProjectFactory(
        actielijn=lijn,
        titel="Handle with Care",
        begroting=Decimal(50_000),
        financieringsbron=Financieringsbron.DU_VO,
    )
    hwc.gemeenten.add(dordrecht)
    ouderen = ProjectFactory(
        actielijn=lijn,
        titel="Aanpak ouderenmishandeling",
        financieringsbron=Financieringsbron.PROJECTENPOOL_GHNT,
    )
    ouderen.gemeenten.add(papendrecht)
    tweede = ActielijnFactory(regioaanpak=aanpak, nummer=2, titel="Stoppen en duurzaam oplossen")
    ProjectFactory(
        actielijn=tweede,
        titel="Regionaal zorgpad",
        begroting=Decimal(30_000),
        financieringsbron=Financieringsbron.DU_VO,
    )
    for kwartaal, status, uitgaven, toelichting in (
        ("2022KW02", ProjectStatus.OP_SCHEMA, 10_000, "Gestart op vier scholen."),
        ("2022KW03", ProjectStatus.AANDACHT, 20_000, "Scholen in Papendrecht doen nog niet mee."),
    ):
        Voortgangsupdate.objects.create(
            project=hwc,
            periode=periode(kwartaal),
            status=status,
            toelichting=toelichting,
            uitgaven_tm_kwartaal=Decimal(uitgaven),
            workflow_status=WorkflowStatus.GOEDGEKEURD,
        )
    Voortgangsupdate.objects.create(
        project=ouderen,
        periode=periode("2022KW03"),
        status=ProjectStatus.ACHTER,
        toelichting="Nog niet goedgekeurd.",
        workflow_status=WorkflowStatus.INGEDIEND,
    )
    for soort, project, bedrag in (
        (BegrotingSoort.UITGAVE, None, 100_000),
        (BegrotingSoort.UITGAVE, hwc, 50_000),  # already counted as the project's budget
        (BegrotingSoort.DEKKING, None, 500_000),
    ):
        Begrotingspost.objects.create(
            regioaanpak=aanpak,
            project=project,
            soort=soort,
            omschrijving="Veilig Thuis",
            bedrag=Decimal(bedrag),
            financieringsbron=Financieringsbron.DU_VO,
            van_jaar=2020,
            tot_jaar=2022,
        )
    return regio


@pytest.fixture
def rijnmond(indicatoren):
    """VT18 with Rotterdam and the 2023 merger of Brielle, Hellevoetsluis and Westvoorne into
    Voorne aan Zee; figures 2022 (predecessors) and 2023 (Voorne aan Zee), all approved."""
    regio = RegioFactory(code="VT18", naam="Rotterdam-Rijnmond")
    rotterdam = GemeenteFactory(cbs_code="GM0599", naam="Rotterdam")
    voorne = GemeenteFactory(cbs_code="GM1992", naam="Voorne aan Zee", geldig_van=MERGER)
    oud = [
        GemeenteFactory(
            cbs_code=code,
            naam=naam,
            geldig_tot=MERGER - dt.timedelta(days=1),
            opgevolgd_door=voorne,
        )
        for code, naam in (
            ("GM0501", "Brielle"),
            ("GM0530", "Hellevoetsluis"),
            ("GM0614", "Westvoorne"),
        )
    ]
    LidmaatschapFactory(regio=regio, gemeente=rotterdam)
    LidmaatschapFactory(regio=regio, gemeente=voorne, geldig_van=MERGER)
    for gemeente in oud:
        LidmaatschapFactory(regio=regio, gemeente=gemeente, geldig_tot=MERGER - dt.timedelta(1))
    for gemeente, aantal in ((rotterdam, 650_000), (oud[0], 17_000), (oud[1], 40_000)):
        InwonertalFactory(gemeente=gemeente, jaar=2022, aantal=aantal)
    InwonertalFactory(gemeente=oud[2], jaar=2022, aantal=15_000)
    InwonertalFactory(gemeente=rotterdam, jaar=2023, aantal=655_000)
    InwonertalFactory(gemeente=voorne, jaar=2023, aantal=72_500)
    kw2022 = [f"2022KW0{n}" for n in range(1, 5)]
    kw2023 = [f"2023KW0{n}" for n in range(1, 5)]
    vul({"GM0599": 1500, "GM0501": 20, "GM0530": 45, "GM0614": 18}, kw2022)
    vul({"GM0599": 1520, "GM1992": 85}, kw2023)
    leveringen(regio, kw2022 + kw2023)
    Gemeentegrens.objects.create(gemeente=rotterdam, jaar=2023, geometrie=vierkant(4.4, 51.9))
    Gemeentegrens.objects.create(gemeente=voorne, jaar=2023, geometrie=vierkant(4.1, 51.9))
    return regio


@pytest.fixture
def wethouder(zuid_holland_zuid):
    """The alderman of Dordrecht: bestuurder in VT24, narrowed to Dordrecht."""
    gebruiker = GebruikerFactory(username="wim", first_name="Wim", last_name="Wethouder")
    RolFactory(
        gebruiker=gebruiker,
        regio=zuid_holland_zuid,
        gemeente_id="GM0505",
        rol=RolSoort.BESTUURDER,
    )
    return gebruiker


@pytest.fixture
def projectleider_zhz(zuid_holland_zuid):
    gebruiker = GebruikerFactory(username="petra", first_name="Petra", last_name="Projectleider")
    RolFactory(gebruiker=gebruiker, regio=zuid_holland_zuid, rol=RolSoort.PROJECTLEIDER)
    return gebruiker


# -- every number is the selector's answer ------------------------------------------------------


def test_kerncijfers_trend_en_gemeenten_zijn_de_antwoorden_van_de_cijferselector(
    zuid_holland_zuid,
):
    dashboard = regiodashboard(zuid_holland_zuid, "2022KW03")

    assert dashboard.periode.code == "2022KW03"
    for kern in dashboard.kerncijfers:
        code = kern.indicator.code
        assert kern.aantal == cijfer(code, "VT24", "2022KW03", GOEDGEKEURD)
        assert kern.per_1000 == cijfer(PER_1000[code], "VT24", "2022KW03", GOEDGEKEURD)
        assert kern.vorige.eerder == cijfer(code, "VT24", "2022KW02", GOEDGEKEURD)
        assert kern.jaar_eerder.eerder == cijfer(code, "VT24", "2021KW03", GOEDGEKEURD)
    meldingen = dashboard.kerncijfers[0]
    assert meldingen.aantal.waarde == (300 + 3 * 6) + (80 + 3 * 6)
    assert meldingen.vorige.absoluut == 6
    assert meldingen.jaar_eerder.absoluut == 24

    for norm in dashboard.normen:
        assert norm.cijfer == cijfer(norm.indicator.code, "VT24", "2022KW03", GOEDGEKEURD)
    assert [r.indicator.code for r in dashboard.trend] == list(TREND)
    assert [r.indicator.code for r in dashboard.melders] == list(MELDERS)
    for reeks in dashboard.trend + dashboard.melders:
        assert list(reeks.cijfers) == [
            cijfer(reeks.indicator.code, "VT24", p, GOEDGEKEURD) for p in dashboard.perioden
        ]
    assert [r.gemeente.naam for r in dashboard.gemeenten] == ["Dordrecht", "Papendrecht"]
    for rij in dashboard.gemeenten:
        for code, antwoord in rij.cijfers.items():
            assert antwoord == cijfer(code, rij.gemeente.cbs_code, "2022KW03", GOEDGEKEURD)
    assert [v.cijfer for v in dashboard.kaart.vlakken] == [
        cijfer("vt_meldingen_per_1000", code, "2022KW03", GOEDGEKEURD)
        for code in ("GM0505", "GM0590")
    ]


def test_landelijk_cijfer_alleen_uit_goedgekeurde_cijfers(zuid_holland_zuid, rijnmond):
    # The country adds up the approved figures of every region: submitted or concept figures
    # of another region reach nobody outside it, also not through the national total.
    nederland(*zuid_holland_zuid.gemeenten.all(), *rijnmond.gemeenten.all())

    zhz = Inzage.intern("VT24").met_ingediend()  # the region's own staff, submitted included
    dashboard = regiodashboard(zuid_holland_zuid, "2022KW03", inzage=zhz)
    landelijk = dashboard.kerncijfers[0].landelijk_per_1000
    assert landelijk == cijfer("vt_meldingen_per_1000", "NL01", "2022KW03", zhz)
    assert landelijk.waarde is not None
    assert landelijk.is_afgerond  # nobody of VT24 holds a role in the country: protected
    # The country's trend next to the region's, from the same answers, protected the same way.
    assert [(r.indicator.code, r.gebied) for r in dashboard.landelijke_trend] == [
        ("vt_meldingen_per_1000", "NL01"),
        ("vt_adviezen_per_1000", "NL01"),
    ]
    assert dashboard.landelijke_trend[0].cijfers[-1] == landelijk
    assert list(dashboard.landelijke_trend[0].cijfers) == [
        cijfer("vt_meldingen_per_1000", "NL01", p.code, zhz) for p in dashboard.perioden
    ]

    Gegevenslevering.objects.filter(regio=rijnmond).update(workflow_status=WorkflowStatus.INGEDIEND)
    dashboard = regiodashboard(zuid_holland_zuid, "2022KW03", inzage=zhz)
    assert dashboard.kerncijfers[0].landelijk_per_1000.ontbreekt_geheel
    assert dashboard.landelijke_trend == []  # no line of gaps: the country is unknown throughout


def test_standaardperiode_is_de_nieuwste_goedgekeurde_levering(zuid_holland_zuid):
    assert regiodashboard(zuid_holland_zuid).periode.code == "2022KW03"
    assert regiodashboard(zuid_holland_zuid, inzage=MET_INGEDIEND).periode.code == "2022KW04"


def test_zonder_goedgekeurde_levering_de_laatste_periode_met_cijfers(zuid_holland_zuid):
    Gegevenslevering.objects.all().delete()

    dashboard = regiodashboard(zuid_holland_zuid)

    assert dashboard.keuze.zonder_vrijgave
    assert dashboard.periode.code == "2022KW04"
    # Not approved, so an alderman sees no numbers (never a 0).
    assert dashboard.kerncijfers[0].aantal.ontbreekt_geheel


def test_ingediende_cijfers_alleen_als_erom_gevraagd_wordt(zuid_holland_zuid):
    goedgekeurd = regiodashboard(zuid_holland_zuid, "2022KW04")
    met_ingediend = regiodashboard(zuid_holland_zuid, "2022KW04", inzage=MET_INGEDIEND)

    assert goedgekeurd.kerncijfers[0].aantal.waarde is None
    assert met_ingediend.kerncijfers[0].aantal == cijfer(
        "vt_meldingen", "VT24", "2022KW04", MET_INGEDIEND
    )
    assert met_ingediend.kerncijfers[0].aantal.waarde == 300 + 21 + 80 + 21
    assert met_ingediend.ingediend == {"2022KW04"}
    assert goedgekeurd.ingediend == set()


@pytest.mark.parametrize(
    ("gevraagd", "verwacht"),
    [
        ("2022HJ02", ["2021HJ01", "2021HJ02", "2022HJ01", "2022HJ02"]),
        ("2022JJ00", ["2021JJ00", "2022JJ00"]),
        ("2021KW03", ["2021KW01", "2021KW02", "2021KW03"]),
    ],
)
def test_trend_over_alle_perioden_van_hetzelfde_soort(zuid_holland_zuid, gevraagd, verwacht):
    dashboard = regiodashboard(zuid_holland_zuid, gevraagd, inzage=MET_INGEDIEND)

    assert [p.code for p in dashboard.perioden] == verwacht
    jaar = dashboard.trend[0]
    assert list(jaar.cijfers) == [
        cijfer("vt_meldingen_per_1000", "VT24", p, MET_INGEDIEND) for p in verwacht
    ]


def test_periodekeuze_biedt_alleen_volledige_halfjaren_en_jaren():
    leveringen = dict.fromkeys(ZHZ_KWARTALEN[:7], "goedgekeurd")
    keuze = kies_periode(
        gevraagd=None,
        leveringen=leveringen,
        met_cijfers=set(),
        statussen=frozenset({"goedgekeurd"}),
    )
    codes = {p.code for p in keuze.opties}
    assert keuze.periode.code == "2022KW03"
    assert {"2021JJ00", "2021HJ02", "2022HJ01"} <= codes
    assert "2022HJ02" not in codes and "2022JJ00" not in codes
    assert keuze.opties[0].code == "2022KW03"  # newest first


def test_streefwaarde_van_een_jaar_geldt_voor_zijn_kwartalen(zuid_holland_zuid):
    dashboard = regiodashboard(zuid_holland_zuid, "2022KW03")

    meldingen = dashboard.trend[0]
    assert [s.waarde for s in meldingen.streefwaarden] == [Decimal("2.5")]
    posities = streefwaarde_perioden(meldingen.streefwaarden[0], dashboard.perioden)
    assert [dashboard.perioden[i].code for i in posities] == ["2022KW01", "2022KW02", "2022KW03"]


# -- mergers ------------------------------------------------------------------------------------


def test_kaart_voor_een_herindeling_toont_de_opvolger_met_de_som_van_de_voorgangers(rijnmond):
    dashboard = regiodashboard(rijnmond, "2022KW02")

    assert dashboard.kaart.jaar == 2023  # no 2022 boundaries: the earliest available
    assert [g.naam for g in (r.gemeente for r in dashboard.gemeenten)] == [
        "Brielle",
        "Hellevoetsluis",
        "Rotterdam",
        "Westvoorne",
    ]
    voorne = next(v for v in dashboard.kaart.vlakken if v.gemeente.cbs_code == "GM1992")
    assert [g.naam for g in voorne.staat_voor] == ["Brielle", "Hellevoetsluis", "Westvoorne"]
    assert voorne.cijfer == cijfer("vt_meldingen_per_1000", "GM1992", "2022KW02", GOEDGEKEURD)
    # (20 + 45 + 18 + 3 x 3) meldingen per 1.000 of 72.000 inwoners
    assert voorne.cijfer.waarde == (Decimal(92) / 72_000 * 1000).quantize(Decimal("0.0001"))
    assert dashboard.kaart.niet_op_kaart == []


def test_kaart_met_grenzen_van_dat_jaar_toont_de_voorgangers_zelf(rijnmond):
    for code, x in (("GM0501", 4.0), ("GM0530", 4.1), ("GM0614", 4.2), ("GM0599", 4.4)):
        Gemeentegrens.objects.create(gemeente_id=code, jaar=2022, geometrie=vierkant(x, 51.9))

    dashboard = regiodashboard(rijnmond, "2022KW02")

    assert dashboard.kaart.jaar == 2022
    assert sorted(v.gemeente.cbs_code for v in dashboard.kaart.vlakken) == [
        "GM0501",
        "GM0530",
        "GM0599",
        "GM0614",
    ]
    assert all(not v.staat_voor for v in dashboard.kaart.vlakken)


def test_gemeente_zonder_grens_staat_niet_op_de_kaart_maar_wel_in_de_vergelijking(rijnmond):
    Gemeentegrens.objects.filter(gemeente_id="GM1992").delete()

    dashboard = regiodashboard(rijnmond, "2022KW02")

    assert sorted(g.naam for g in dashboard.kaart.niet_op_kaart) == [
        "Brielle",
        "Hellevoetsluis",
        "Westvoorne",
    ]
    assert len(dashboard.gemeenten) == 4


def test_regio_voor_en_na_de_herindeling(rijnmond):
    voor = regiodashboard(rijnmond, "2022KW04")
    na = regiodashboard(rijnmond, "2023KW01")

    assert voor.kerncijfers[0].aantal.waarde == (1500 + 20 + 45 + 18) + 4 * 9
    assert na.kerncijfers[0].aantal.waarde == 1520 + 85
    assert [r.gemeente.naam for r in na.gemeenten] == ["Rotterdam", "Voorne aan Zee"]
    # A year earlier for 2023KW01 is 2022KW01: the region of then, predecessors included.
    assert na.kerncijfers[0].jaar_eerder.eerder == cijfer(
        "vt_meldingen", "VT18", "2022KW01", GOEDGEKEURD
    )
    assert na.kerncijfers[0].jaar_eerder.eerder.waarde == 1500 + 20 + 45 + 18


def test_gemeentedashboard_van_een_nieuwe_gemeente_telt_de_voorgangers_op(rijnmond):
    voorne = rijnmond.gemeenten.get(cbs_code="GM1992")

    dashboard = gemeentedashboard(
        voorne, "2022KW02", lidmaatschappen=gemeente_lidmaatschappen(voorne)
    )

    assert dashboard.regio == rijnmond
    assert dashboard.kerncijfers[0].aantal == cijfer("vt_meldingen", "GM1992", "2022KW02")
    assert dashboard.kerncijfers[0].aantal.waarde == 20 + 45 + 18 + 3 * 3
    assert [v.naam for v in dashboard.voorgangers] == ["Brielle", "Hellevoetsluis", "Westvoorne"]


# -- the municipality dashboard -----------------------------------------------------------------


def test_gemeentedashboard_tegen_regio_en_land(zuid_holland_zuid, rijnmond):
    nederland(*zuid_holland_zuid.gemeenten.all(), *rijnmond.gemeenten.all())
    dordrecht = zuid_holland_zuid.gemeenten.get(cbs_code="GM0505")

    dashboard = gemeentedashboard(dordrecht, lidmaatschappen=gemeente_lidmaatschappen(dordrecht))

    assert dashboard.periode.code == "2022KW03"
    assert dashboard.regio == zuid_holland_zuid  # the country is no comparison region
    kern = dashboard.kerncijfers[0]
    assert kern.aantal == cijfer("vt_meldingen", "GM0505", "2022KW03", GOEDGEKEURD)
    assert kern.regio_per_1000 == cijfer("vt_meldingen_per_1000", "VT24", "2022KW03", GOEDGEKEURD)
    assert kern.landelijk_per_1000 == cijfer("vt_meldingen_per_1000", "NL01", "2022KW03")
    assert [(r.indicator.code, r.gebied) for r in dashboard.trend] == [
        ("vt_meldingen_per_1000", "GM0505"),
        ("vt_meldingen_per_1000", "VT24"),
        ("vt_meldingen_per_1000", "NL01"),
        ("vt_adviezen_per_1000", "GM0505"),
        ("vt_adviezen_per_1000", "VT24"),
        ("vt_adviezen_per_1000", "NL01"),
    ]
    # The country's trend: the same selector's answers, period by period.
    land = dashboard.trend[2]
    assert land.naam == "Nederland"
    assert list(land.cijfers) == [
        cijfer("vt_meldingen_per_1000", "NL01", p.code) for p in dashboard.perioden
    ]
    assert land.cijfers[-1] == kern.landelijk_per_1000
    assert land.cijfers[-1].waarde is not None
    # Projects Dordrecht takes part in, and the region-wide ones; not Papendrecht's.
    assert sorted(s.project.titel for s in dashboard.voortgang.projecten) == [
        "Handle with Care",
        "Regionaal zorgpad",
    ]


# -- progress and budget ------------------------------------------------------------------------


def test_voortgang_volgens_de_laatste_goedgekeurde_update(zuid_holland_zuid):
    stand = regiodashboard(zuid_holland_zuid, "2022KW03").voortgang

    per_lijn = {lijn.actielijn.nummer: lijn.aantallen for lijn in stand.actielijnen}
    assert per_lijn[1]["aandacht"] == 1
    assert per_lijn[1]["geen_update"] == 1  # the submitted update does not count yet
    assert per_lijn[2]["geen_update"] == 1
    assert [s.project.titel for s in stand.aandacht] == ["Handle with Care"]
    assert stand.aandacht[0].update.toelichting == "Scholen in Papendrecht doen nog niet mee."

    eerder = regiodashboard(zuid_holland_zuid, "2022KW02").voortgang
    assert eerder.actielijnen[0].aantallen["op_schema"] == 1
    assert eerder.aandacht == []


def test_begroting_per_financieringsbron_met_onbekend_in_plaats_van_nul(zuid_holland_zuid):
    regels = {
        r.financieringsbron: r
        for r in regiodashboard(zuid_holland_zuid, "2022KW03").begroting.regels
    }

    du_vo = regels[Financieringsbron.DU_VO]
    # Projects 50.000 + 30.000, plus the budget line without a project; not the one of a
    # project (counted in its budget) nor the cover (dekking).
    assert du_vo.begroot == Decimal(180_000)
    assert du_vo.uitgegeven == Decimal(20_000)
    assert (du_vo.projecten, du_vo.projecten_met_uitgaven) == (2, 1)
    pool = regels[Financieringsbron.PROJECTENPOOL_GHNT]
    assert pool.begroot is None and pool.uitgegeven is None


def test_afgelopen_regioaanpak_toont_de_laatste_stand(zuid_holland_zuid):
    stand = regiodashboard(zuid_holland_zuid, "2022KW04", inzage=MET_INGEDIEND).voortgang
    assert not stand.afgelopen
    later = PeriodeCode.parse("2023KW02")
    periode(later.code)
    stand = regiodashboard(zuid_holland_zuid, later).voortgang
    assert stand.afgelopen
    assert stand.regioaanpakken[0].titel.startswith("Regiovisie")


# -- helpers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("jaren", "periode_code", "verwacht"),
    [
        ([2022, 2023], "2024KW01", 2023),
        ([2022, 2023], "2022KW04", 2022),
        ([2022, 2023], "2019JJ00", 2022),
        ([], "2022KW01", None),
    ],
)
def test_grensjaar(jaren, periode_code, verwacht):
    assert grensjaar(jaren, PeriodeCode.parse(periode_code)) == verwacht


def test_aantal_queries_hangt_niet_af_van_de_hoeveelheid_gegevens(zuid_holland_zuid):
    aanleververdeling()  # who delivers what: read once, then cached for every request
    referentie()  # areas, memberships, indicators: likewise (monitoring/selectors/referentie.py)
    with CaptureQueriesContext(connection) as klein:
        regiodashboard(zuid_holland_zuid, "2021KW02")
    with CaptureQueriesContext(connection) as groot:
        regiodashboard(zuid_holland_zuid, "2022KW03")
    assert len(klein.captured_queries) == len(groot.captured_queries)


def test_lidmaatschap_van_het_land_telt_niet_als_regio(zuid_holland_zuid):
    nederland(*zuid_holland_zuid.gemeenten.all())
    dordrecht = zuid_holland_zuid.gemeenten.get(cbs_code="GM0505")
    assert [lid.regio_id for lid in gemeente_lidmaatschappen(dordrecht)] == ["VT24"]
    assert Lidmaatschap.objects.filter(gemeente=dordrecht).count() == 2
    assert Regio.objects.filter(code="NL01").exists()


def test_geheim_deel_maakt_het_regiocijfer_geheim(zuid_holland_zuid):
    opgeslagen().filter(
        indicator_id="vt_meldingen", gemeente_id="GM0590", periode_id="2022KW02"
    ).update(waarde=None, status=WaarnemingStatus.GEHEIM)

    dashboard = regiodashboard(zuid_holland_zuid, "2022KW02")

    assert dashboard.kerncijfers[0].aantal.is_geheim
    assert dashboard.kerncijfers[0].aantal.waarde is None
    assert dashboard.kerncijfers[0].vorige.absoluut is None


def test_regio_zonder_eigen_levering_volgt_de_leveringen_van_haar_gemeenten(zuid_holland_zuid):
    # A centre municipality region has no deliveries of its own; its members' figures are
    # released by their Veilig Thuis region, as in the figure selector.
    centrum = RegioFactory(
        code="CG-DOR", naam="Centrumgemeenteregio Dordrecht", soort=RegioSoort.CENTRUMGEMEENTEREGIO
    )
    LidmaatschapFactory(regio=centrum, gemeente_id="GM0505")

    dashboard = regiodashboard(centrum)

    assert not dashboard.keuze.zonder_vrijgave
    assert dashboard.periode.code == "2022KW03"
    aantal = dashboard.kerncijfers[0].aantal
    assert aantal == cijfer("vt_meldingen", "CG-DOR", "2022KW03", GOEDGEKEURD)
    assert aantal.waarde == 318
