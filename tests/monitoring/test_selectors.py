"""The figure selector: roll-ups over periods, municipalities and mergers; derived rates."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring.choices import WaarnemingStatus
from monitoring.models import Indicator, Waarneming
from monitoring.selectors import cijfer as selector_cijfer
from monitoring.selectors import cijfers as selector_cijfers
from monitoring.selectors import inwoners
from regioaanpak.inzage import Inzage
from regioaanpak.perioden import PeriodeCode
from tests.factories import (
    GemeenteFactory,
    InwonertalFactory,
    LidmaatschapFactory,
    RegioFactory,
    periode,
)

pytestmark = pytest.mark.django_db
# The roll-up itself: every stored figure, raw (the viewer policy has tests of its own).
ALLES = Inzage.alles()


def cijfer(indicator, gebied, code, inzage=ALLES):
    return selector_cijfer(indicator, gebied, code, inzage=inzage)


def cijfers(**vraag):
    return selector_cijfers(inzage=ALLES, **vraag)


MERGER = dt.date(2023, 1, 1)
LAATSTE_DAG = dt.date(2022, 12, 31)


@pytest.fixture
def rijnmond(indicatoren):
    """A small Rotterdam-Rijnmond: Rotterdam plus the 2023 merger into Voorne aan Zee."""
    regio = RegioFactory(code="VT18", naam="Rotterdam-Rijnmond")
    rotterdam = GemeenteFactory(cbs_code="GM0599", naam="Rotterdam")
    voorne = GemeenteFactory(cbs_code="GM1992", naam="Voorne aan Zee", geldig_van=MERGER)
    oud = [
        GemeenteFactory(cbs_code=code, naam=naam, geldig_tot=LAATSTE_DAG, opgevolgd_door=voorne)
        for code, naam in [
            ("GM0501", "Brielle"),
            ("GM0530", "Hellevoetsluis"),
            ("GM0614", "Westvoorne"),
        ]
    ]
    LidmaatschapFactory(regio=regio, gemeente=rotterdam)
    LidmaatschapFactory(regio=regio, gemeente=voorne, geldig_van=MERGER)
    for gemeente in oud:
        LidmaatschapFactory(regio=regio, gemeente=gemeente, geldig_tot=LAATSTE_DAG)
    for gemeente, aantal in [
        (rotterdam, 650_000),
        (oud[0], 17_000),
        (oud[1], 40_000),
        (oud[2], 15_000),
    ]:
        InwonertalFactory(gemeente=gemeente, jaar=2022, aantal=aantal)
    InwonertalFactory(gemeente=rotterdam, jaar=2023, aantal=655_000)
    InwonertalFactory(gemeente=voorne, jaar=2023, aantal=72_500)
    return regio


def zet(indicator, gebied, code, waarde, status=WaarnemingStatus.DEFINITIEF, bron=""):
    is_gemeente = gebied.startswith("GM")
    return Waarneming.objects.create(
        indicator=Indicator.objects.get(code=indicator),
        gemeente_id=gebied if is_gemeente else None,
        regio_id=None if is_gemeente else gebied,
        periode=periode(code),
        waarde=None if waarde is None else Decimal(waarde),
        status=status,
        bron=bron,
    )


def vul_kwartalen(indicator, gebied, jaar, waarden):
    for nummer, waarde in enumerate(waarden, start=1):
        zet(indicator, gebied, f"{jaar}KW0{nummer}", waarde)


def test_kwartaal_direct_en_opgeteld_tot_halfjaar_en_jaar(rijnmond):
    vul_kwartalen("vt_meldingen", "GM0599", 2022, [1000, 1100, 900, 1200])
    assert cijfer("vt_meldingen", "GM0599", "2022KW02").waarde == 1100
    halfjaar = cijfer("vt_meldingen", "GM0599", "2022HJ01")
    assert halfjaar.waarde == 2100 and halfjaar.samengesteld
    assert cijfer("vt_meldingen", "GM0599", "2022HJ02").waarde == 2100
    assert cijfer("vt_meldingen", "GM0599", "2022JJ00").waarde == 4200


def test_jaar_uit_halfjaren_als_er_geen_kwartalen_zijn(rijnmond):
    zet("vt_meldingen", "GM0599", "2022HJ01", 2000)
    zet("vt_meldingen", "GM0599", "2022HJ02", 2300)
    assert cijfer("vt_meldingen", "GM0599", "2022JJ00").waarde == 4300


def test_ontbrekend_kwartaal_maakt_het_jaar_onbekend_niet_nul(rijnmond):
    vul_kwartalen("vt_meldingen", "GM0599", 2022, [1000, 1100, 900])
    jaar = cijfer("vt_meldingen", "GM0599", "2022JJ00")
    assert jaar.waarde is None
    assert jaar.ontbreekt_geheel
    assert "GM0599 2022KW04" in jaar.ontbreekt
    niets = cijfer("vt_meldingen", "GM0599", "2019KW01")
    assert niets.waarde is None and niets.status is None


def test_regio_telt_de_gemeenten_op_die_in_die_periode_lid_waren(rijnmond):
    for gemeente, waarde in [("GM0599", 1000), ("GM0501", 20), ("GM0530", 50), ("GM0614", 15)]:
        zet("vt_meldingen", gemeente, "2022KW04", waarde)
    zet("vt_meldingen", "GM0599", "2023KW01", 1010)
    zet("vt_meldingen", "GM1992", "2023KW01", 90)
    assert cijfer("vt_meldingen", "VT18", "2022KW04").waarde == 1085
    assert cijfer("vt_meldingen", "VT18", "2023KW01").waarde == 1100


def test_regio_onbekend_als_een_lid_ontbreekt(rijnmond):
    for gemeente, waarde in [("GM0599", 1000), ("GM0501", 20), ("GM0530", 50)]:
        zet("vt_meldingen", gemeente, "2022KW04", waarde)
    antwoord = cijfer("vt_meldingen", "VT18", "2022KW04")
    assert antwoord.waarde is None
    assert antwoord.ontbreekt == ("GM0614 2022KW04",)


def test_nieuwe_gemeente_krijgt_voor_de_herindeling_de_som_van_haar_voorgangers(rijnmond):
    for jaar in (2021, 2022):
        vul_kwartalen("vt_meldingen", "GM0501", jaar, [5, 6, 4, 5])
        vul_kwartalen("vt_meldingen", "GM0530", jaar, [12, 10, 11, 13])
        vul_kwartalen("vt_meldingen", "GM0614", jaar, [3, 4, 3, 2])
    vul_kwartalen("vt_meldingen", "GM1992", 2023, [21, 22, 20, 19])
    assert cijfer("vt_meldingen", "GM1992", "2022KW01").waarde == 20
    assert cijfer("vt_meldingen", "GM1992", "2022JJ00").waarde == 78
    assert cijfer("vt_meldingen", "GM1992", "2023JJ00").waarde == 82
    # The predecessors themselves have nothing after the merger.
    assert cijfer("vt_meldingen", "GM0501", "2023KW01").waarde is None
    assert inwoners("GM1992", "2022KW01") == 72_000


def test_afgeleid_cijfer_per_1000_uit_opgetelde_aantallen_niet_gemiddeld(rijnmond):
    # Rotterdam: 1300 per 650.000 = 2,0 per 1.000; Brielle 100 per 17.000 = 5,9 per 1.000 ...
    for gemeente, waarde in [("GM0599", 1300), ("GM0501", 100), ("GM0530", 40), ("GM0614", 15)]:
        zet("vt_meldingen", gemeente, "2022KW03", waarde)
    antwoord = cijfer("vt_meldingen_per_1000", "VT18", "2022KW03")
    verwacht = (Decimal(1455) / Decimal(722_000) * 1000).quantize(Decimal("0.0001"))
    assert antwoord.waarde == verwacht == Decimal("2.0152")
    per_gemeente = [
        cijfer("vt_meldingen_per_1000", g, "2022KW03").waarde
        for g in ("GM0599", "GM0501", "GM0530", "GM0614")
    ]
    assert antwoord.waarde != sum(per_gemeente) / 4
    per_100000 = cijfer("vt_meldingen_per_100000", "VT18", "2022KW03").waarde
    assert per_100000 == Decimal("201.5235")


def test_afgeleid_percentage_uit_opgetelde_teller_en_noemer(rijnmond):
    for gemeente, binnen, totaal in [
        ("GM0599", 850, 1000),
        ("GM0501", 19, 20),
        ("GM0530", 50, 50),
        ("GM0614", 10, 15),
    ]:
        zet("vt_veiligheidsbeoordelingen_binnen_termijn", gemeente, "2022KW02", binnen)
        zet("vt_veiligheidsbeoordelingen", gemeente, "2022KW02", totaal)
    antwoord = cijfer("vt_veiligheidsbeoordeling_tijdig", "VT18", "2022KW02")
    assert antwoord.waarde == (Decimal(929) / Decimal(1085) * 100).quantize(Decimal("0.0001"))
    assert (
        Indicator.objects.get(code="vt_veiligheidsbeoordeling_tijdig").norm_gehaald(antwoord.waarde)
        is False
    )


def test_afgeleid_cijfer_zonder_inwonertal_is_onbekend(rijnmond):
    zet("vt_meldingen", "GM0599", "2021KW01", 1000)
    antwoord = cijfer("vt_meldingen_per_1000", "GM0599", "2021KW01")
    assert antwoord.waarde is None
    assert "inwonertal GM0599 2021" in antwoord.ontbreekt


def test_geheim_deel_maakt_de_som_geheim_en_voorlopig_deel_voorlopig(rijnmond):
    zet("vt_meldingen", "GM0599", "2022KW04", 1000, WaarnemingStatus.VOORLOPIG)
    zet("vt_meldingen", "GM0501", "2022KW04", 20)
    zet("vt_meldingen", "GM0530", "2022KW04", 50)
    zet("vt_meldingen", "GM0614", "2022KW04", 3, WaarnemingStatus.GEHEIM)
    geheim = cijfer("vt_meldingen", "VT18", "2022KW04")
    assert geheim.is_geheim and geheim.waarde is None and not geheim.ontbreekt_geheel
    assert cijfer("vt_meldingen", "GM0614", "2022KW04").waarde is None
    assert cijfer("vt_meldingen_per_1000", "GM0614", "2022KW04").is_geheim
    voorlopig = cijfer("vt_meldingen", "GM0599", "2022HJ02")
    assert voorlopig.waarde is None  # KW03 is missing
    zet("vt_meldingen", "GM0599", "2022KW03", 900)
    voorlopig = cijfer("vt_meldingen", "GM0599", "2022HJ02")
    assert voorlopig.waarde == 1900 and voorlopig.is_voorlopig


def test_regiocijfer_gaat_voor_de_optelling_van_gemeenten(rijnmond):
    for gemeente in ("GM0599", "GM0501", "GM0530", "GM0614"):
        vul_kwartalen("vt_adviezen", gemeente, 2022, [1, 1, 1, 1])
    zet("vt_adviezen", "VT18", "2022JJ00", 6453, bron="Veilig Thuis Rotterdam-Rijnmond")
    antwoord = cijfer("vt_adviezen", "VT18", "2022JJ00")
    assert antwoord.waarde == 6453 and not antwoord.samengesteld
    assert antwoord.bronnen == ("Veilig Thuis Rotterdam-Rijnmond",)
    assert cijfer("vt_adviezen", "VT18", "2022HJ01").waarde == 8


def test_gemiddelde_over_kwartalen_en_niet_opgeteld_over_gemeenten(rijnmond):
    vul_kwartalen("vt_doorlooptijd_onderzoek", "GM0599", 2022, ["60", "70", "65", "55.5"])
    assert cijfer("vt_doorlooptijd_onderzoek", "GM0599", "2022JJ00").waarde == Decimal("62.6250")
    assert cijfer("vt_doorlooptijd_onderzoek", "VT18", "2022KW01").waarde is None


def test_onbekend_gebied_of_indicator_geeft_een_duidelijke_fout(rijnmond):
    with pytest.raises(ValueError, match="Onbekend gebied: VT99"):
        cijfer("vt_meldingen", "VT99", "2022KW01")
    with pytest.raises(ValueError, match="Onbekende indicator: bestaat_niet"):
        cijfer("bestaat_niet", "VT18", "2022KW01")


def _aantal_queries(**vraag) -> int:
    with CaptureQueriesContext(connection) as queries:
        cijfers(**vraag)
    return len(queries)


def test_aantal_queries_groeit_niet_met_de_hoeveelheid_gegevens(rijnmond):
    kwartalen = PeriodeCode.reeks("2021KW01", "2023KW04")
    for gemeente in ("GM0599", "GM0501", "GM0530", "GM0614"):
        for kwartaal in kwartalen[:8]:
            zet("vt_meldingen", gemeente, kwartaal.code, 10)
    indicatoren = ["vt_meldingen", "vt_meldingen_per_1000", "vt_veiligheidsbeoordeling_tijdig"]
    # The first call of a process reads the reference data (indicators, areas, memberships,
    # population: 5 queries) once; later calls only the figures.
    koud = _aantal_queries(indicatoren=indicatoren[:1], gebieden=["VT18"], perioden=kwartalen[:2])
    klein = _aantal_queries(indicatoren=indicatoren[:1], gebieden=["VT18"], perioden=kwartalen[:2])
    groot = _aantal_queries(
        indicatoren=indicatoren,
        gebieden=["VT18", "GM0599", "GM1992", "GM0501"],
        perioden=[*kwartalen, "2021JJ00", "2022JJ00", "2022HJ02"],
    )
    assert koud == klein + 5
    assert klein == groot <= 3


def test_alleen_goedgekeurde_cijfers_voor_bestuurders(rijnmond):
    from monitoring.models import Gegevenslevering
    from regioaanpak.choices import WorkflowStatus

    for gemeente, waarde in [("GM0599", 1000), ("GM0501", 20), ("GM0530", 50), ("GM0614", 15)]:
        zet("vt_meldingen", gemeente, "2022KW04", waarde)
        zet("vt_meldingen", gemeente, "2022KW03", waarde)
    Gegevenslevering.objects.create(
        regio_id="VT18", periode=periode("2022KW04"), workflow_status=WorkflowStatus.GOEDGEKEURD
    )
    Gegevenslevering.objects.create(
        regio_id="VT18", periode=periode("2022KW03"), workflow_status=WorkflowStatus.INGEDIEND
    )
    goedgekeurd = Inzage.intern("VT18")
    assert cijfer("vt_meldingen", "VT18", "2022KW04", goedgekeurd).waarde == 1085
    assert cijfer("vt_meldingen", "GM0501", "2022KW04", goedgekeurd).waarde == 20
    # Submitted but not approved: not for aldermen, but visible when asked for.
    assert cijfer("vt_meldingen", "VT18", "2022KW03", goedgekeurd).waarde is None
    met_ingediend = goedgekeurd.met_ingediend()
    assert cijfer("vt_meldingen", "VT18", "2022KW03", met_ingediend).waarde == 1085
    assert cijfer("vt_meldingen", "VT18", "2022HJ02", goedgekeurd).waarde is None
    assert cijfer("vt_meldingen", "VT18", "2022HJ02").waarde == 2170
    # A wethouder asking for submitted figures still gets approved ones only: the policy caps.
    wethouder = Inzage(frozenset({"VT18"}), frozenset({"VT18"}), frozenset()).met_ingediend()
    assert cijfer("vt_meldingen", "VT18", "2022KW03", wethouder).waarde is None
