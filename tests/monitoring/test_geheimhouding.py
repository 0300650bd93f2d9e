"""Disclosure control against differencing: what a partner can work out from everything the API
gives them (quarters, half-years and years of one area; a municipality and its region; a merged
municipality and its predecessors; the country) never narrows a suppressed count below three
candidate values. The attacker (tests/aanval.py) solves the integer constraints exactly."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from monitoring.models import Gegevenslevering, Indicator, Waarneming
from monitoring.selectors import cijfers
from monitoring.selectors.geheimhouding import regel_voor
from regioaanpak.choices import RegioSoort, RolSoort, WorkflowStatus
from regioaanpak.inzage import Inzage
from regioaanpak.perioden import PeriodeCode
from tests.aanval import Aanvaller
from tests.factories import (
    GebruikerFactory,
    GemeenteFactory,
    InwonertalFactory,
    LidmaatschapFactory,
    RegioFactory,
    RolFactory,
    periode,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("indicatoren")]

LIJST = "/api/v1/waarnemingen/"
JAAR = 2022
KWARTALEN = [PeriodeCode.kwartaal(JAAR, n) for n in range(1, 5)]
ALLE_PERIODEN = [*KWARTALEN, PeriodeCode.halfjaar(JAAR, 1), PeriodeCode.halfjaar(JAAR, 2)]
ALLE_PERIODEN.append(PeriodeCode.heel_jaar(JAAR))
MERGER = dt.date(2023, 1, 1)
VRAAG = {"indicator": "vt_meldingen", "periode_van": f"{JAAR}KW01", "periode_tot": f"{JAAR}KW04"}


def gemeente(regio, code, naam, inwoners=20_000, **velden):
    g = GemeenteFactory(cbs_code=code, naam=naam, **velden)
    LidmaatschapFactory(
        regio=regio,
        gemeente=g,
        geldig_tot=velden.get("geldig_tot"),
        geldig_van=velden.get("geldig_van"),
    )
    InwonertalFactory(gemeente=g, jaar=JAAR, aantal=inwoners)
    return g


def kwartalen(gebied: str, waarden: list[int], indicator: str = "vt_meldingen") -> None:
    for kwartaal, waarde in zip(KWARTALEN, waarden, strict=True):
        Waarneming.objects.create(
            indicator_id=indicator,
            gemeente_id=gebied,
            periode=periode(kwartaal.code),
            waarde=waarde,
        )


def goedkeuren(regio) -> None:
    for kwartaal in KWARTALEN:
        Gegevenslevering.objects.create(
            regio=regio,
            periode=periode(kwartaal.code),
            workflow_status=WorkflowStatus.GOEDGEKEURD,
            beoordeeld_op=timezone.now(),
        )


@pytest.fixture
def partner_van(api_token, api):
    def maak(*regios):
        gebruiker = GebruikerFactory(username="vera-vt")
        for regio in regios:
            RolFactory(gebruiker=gebruiker, regio=regio, rol=RolSoort.PARTNER)
        return api(api_token(gebruiker, [r.code for r in regios]))

    return maak


def alles(client, **vraag) -> list[dict]:
    """Every answer of one question, following the pages."""
    rijen, url, params = [], LIJST, {**vraag, "page_size": 1000}
    while url:
        antwoord = client.get(url, params)
        assert antwoord.status_code == 200, antwoord.content[:500]
        data = antwoord.json()
        rijen += data["results"]
        url, params = data["next"], None
    return rijen


def aanval(rijen: list[dict], atomen_van) -> tuple[Aanvaller, list]:
    """The attacker's constraints from the answers; returns the suppressed atoms too."""
    aanvaller = Aanvaller()
    onderdrukt = []
    for rij in rijen:
        atomen = atomen_van(rij["gebied"], PeriodeCode.parse(rij["periode"]))
        if not atomen:
            continue
        waarde = rij["waarde"]
        aanvaller.gepubliceerd(
            atomen,
            None if waarde is None else int(waarde),
            afgerond=rij["geheimhouding"] == "afgerond",
            drempel=10,
        )
        if waarde is None and len(atomen) == 1:
            onderdrukt.append(atomen[0])
    return aanvaller, onderdrukt


def controleer(aanvaller: Aanvaller, onderdrukt: list) -> dict:
    kandidaten = {atoom: aanvaller.kandidaten(atoom) for atoom in onderdrukt}
    for atoom, waarden in kandidaten.items():
        assert len(waarden) >= 3, f"{atoom} is terug te rekenen tot {waarden}"
    return kandidaten


def _tijd_atomen(gemeenten: dict[str, list[str]]):
    """Atoms of a municipality or region: the (municipality, quarter) cells it adds up."""

    def atomen_van(gebied: str, p: PeriodeCode):
        leden = gemeenten.get(gebied, [gebied])
        return [(g, k.code) for k in p.kwartalen() for g in leden]

    return atomen_van


# -- one municipality over quarters, half-years and the year -------------------------------------


def test_kwartalen_9_9_3_12_blijven_onherleidbaar(partner_van):
    """The attack of the issue: quarters 9, 9, 3, 12. Before, the published half-year (18,
    rounded to 20) forced both suppressed quarters to 9."""
    zhz = RegioFactory(code="VT24", naam="Zuid-Holland Zuid")
    gemeente(zhz, "GM0642", "Zwijndrecht")
    gemeente(zhz, "GM0505", "Dordrecht", 119_100)
    kwartalen("GM0642", [9, 9, 3, 12])
    kwartalen("GM0505", [412, 398, 405, 431])
    goedkeuren(zhz)
    partner = partner_van(zhz)

    rijen = alles(
        partner,
        niveau="gemeente",
        regio="VT24",
        indicator="vt_meldingen",
        periode_van=f"{JAAR}KW01",
        periode_tot=f"{JAAR}KW04",
    )
    rijen += alles(
        partner,
        niveau="regio",
        regio="VT24",
        indicator="vt_meldingen",
        periode_van=f"{JAAR}KW01",
        periode_tot=f"{JAAR}KW04",
    )
    rijen += alles(partner, regio="VT24", indicator="vt_meldingen")  # the stored figures too
    assert len({r["periode"] for r in rijen}) == 7
    aanvaller, onderdrukt = aanval(rijen, _tijd_atomen({"VT24": ["GM0642", "GM0505"]}))

    kandidaten = controleer(aanvaller, onderdrukt)
    assert set(kandidaten) == {
        ("GM0642", f"{JAAR}KW01"),
        ("GM0642", f"{JAAR}KW02"),
        ("GM0642", f"{JAAR}KW03"),
    }
    zwijndrecht = {r["periode"]: r for r in rijen if r["gebied"] == "GM0642" and r["id"] is None}
    # Every sum with a suppressed quarter is suppressed too (secondary suppression) ...
    for code in (f"{JAAR}HJ01", f"{JAAR}HJ02", f"{JAAR}JJ00"):
        assert zwijndrecht[code]["waarde"] is None
        assert zwijndrecht[code]["geheimhouding"] == "onderdrukt"
    # ... and so is the region's quarter that contains it; the quarter without one is not.
    regio = {r["periode"]: r for r in rijen if r["gebied"] == "VT24"}
    assert regio[f"{JAAR}KW01"]["waarde"] is None
    assert zwijndrecht[f"{JAAR}KW04"]["waarde"] == 10


def test_de_aanvaller_vindt_het_lek_als_alleen_primair_wordt_onderdrukt():
    """The attacker is no paper tiger: with rounding and primary suppression alone (the old
    rule), the quarters 9 and 9 come back exactly."""
    regel = regel_voor(Indicator(code="x", eenheid="aantal"))
    waarden = {f"{JAAR}KW01": 9, f"{JAAR}KW02": 9, f"{JAAR}KW03": 3, f"{JAAR}KW04": 12}
    aanvaller = Aanvaller()
    for p in ALLE_PERIODEN:
        raw = sum(waarden[k.code] for k in p.kwartalen())
        gepubliceerd, wat = regel.pas_toe(Decimal(raw))
        aanvaller.gepubliceerd(
            [k.code for k in p.kwartalen()],
            None if gepubliceerd is None else int(gepubliceerd),
            afgerond=wat == "afgerond",
            drempel=regel.drempel,
        )
    assert aanvaller.kandidaten(f"{JAAR}KW01") == [9]
    assert aanvaller.kandidaten(f"{JAAR}KW02") == [9]


# -- a region and its municipalities --------------------------------------------------------------


def test_regio_en_gemeenten_samen_verraden_geen_klein_aantal(partner_van):
    """Two members with 9 each: their region's 18 (published as 20) would force both to 9."""
    regio = RegioFactory(code="VT24", naam="Zuid-Holland Zuid")
    gemeente(regio, "GM0642", "Zwijndrecht")
    gemeente(regio, "GM0590", "Papendrecht")
    kwartalen("GM0642", [9, 40, 44, 48])
    kwartalen("GM0590", [9, 51, 8, 60])
    goedkeuren(regio)
    partner = partner_van(regio)
    vraag = {
        "indicator": "vt_meldingen",
        "periode_van": f"{JAAR}KW01",
        "periode_tot": f"{JAAR}KW04",
    }
    rijen = alles(partner, niveau="gemeente", regio="VT24", **vraag)
    rijen += alles(partner, niveau="regio", regio="VT24", **vraag)

    aanvaller, onderdrukt = aanval(rijen, _tijd_atomen({"VT24": ["GM0642", "GM0590"]}))
    controleer(aanvaller, onderdrukt)
    assert len(onderdrukt) == 3
    regio_rijen = {r["periode"]: r for r in rijen if r["gebied"] == "VT24"}
    assert regio_rijen[f"{JAAR}KW01"]["waarde"] is None
    assert regio_rijen[f"{JAAR}KW02"]["waarde"] == 90  # 40 + 51, nothing suppressed in it
    # The rate per 1.000 of a suppressed total is suppressed too.
    per_1000 = alles(
        partner,
        niveau="regio",
        regio="VT24",
        indicator="vt_meldingen_per_1000",
        periode=f"{JAAR}KW01",
    )
    assert per_1000[0]["waarde"] is None and per_1000[0]["geheimhouding"] == "onderdrukt"


# -- a merger ------------------------------------------------------------------------------------


def test_samengevoegde_gemeente_verraadt_haar_voorgangers_niet(partner_van):
    """Voorne aan Zee (2023) answers for 2022 with the sum of its predecessors: 9 + 9 would be
    18, published as 20, and give both away."""
    rr = RegioFactory(code="VT18", naam="Rotterdam-Rijnmond")
    voorne = GemeenteFactory(cbs_code="GM1992", naam="Voorne aan Zee", geldig_van=MERGER)
    LidmaatschapFactory(regio=rr, gemeente=voorne, geldig_van=MERGER)
    tot = MERGER - dt.timedelta(days=1)
    for code, naam in (("GM0501", "Brielle"), ("GM0614", "Westvoorne")):
        g = GemeenteFactory(cbs_code=code, naam=naam, geldig_tot=tot, opgevolgd_door=voorne)
        LidmaatschapFactory(regio=rr, gemeente=g, geldig_tot=tot)
        InwonertalFactory(gemeente=g, jaar=JAAR, aantal=16_000)
    kwartalen("GM0501", [9, 30, 31, 32])
    kwartalen("GM0614", [9, 25, 26, 27])
    goedkeuren(rr)
    partner = partner_van(rr)
    vraag = {
        "indicator": "vt_meldingen",
        "periode_van": f"{JAAR}KW01",
        "periode_tot": f"{JAAR}KW04",
    }
    rijen = alles(partner, niveau="gemeente", gemeente="GM1992,GM0501,GM0614", **vraag)
    rijen += alles(partner, niveau="regio", regio="VT18", **vraag)

    voorgangers = ["GM0501", "GM0614"]
    aanvaller, onderdrukt = aanval(
        rijen, _tijd_atomen({"GM1992": voorgangers, "VT18": voorgangers})
    )
    controleer(aanvaller, onderdrukt)
    assert {a[0] for a in onderdrukt} == {"GM0501", "GM0614"}
    samen = {r["periode"]: r for r in rijen if r["gebied"] == "GM1992"}
    assert samen[f"{JAAR}KW01"]["waarde"] is None
    assert samen[f"{JAAR}KW02"]["waarde"] == 55


# -- the country -----------------------------------------------------------------------------------


def _land_met(regio, buiten_waarde: int):
    land = RegioFactory(code="NL01", naam="Nederland", soort=RegioSoort.LAND)
    elders = RegioFactory(code="VT06", naam="Gelderland-Zuid")
    nijmegen = gemeente(elders, "GM0268", "Nijmegen", 177_000)
    kwartalen("GM0268", [buiten_waarde] * 4)
    goedkeuren(elders)
    for g in regio.gemeenten.all() | elders.gemeenten.all():
        LidmaatschapFactory(regio=land, gemeente=g)
    return land, nijmegen


def test_land_blijft_zichtbaar_als_de_rest_van_het_land_het_kleine_aantal_verbergt(partner_van):
    regio = RegioFactory(code="VT24", naam="Zuid-Holland Zuid")
    gemeente(regio, "GM0642", "Zwijndrecht")
    gemeente(regio, "GM0590", "Papendrecht")
    kwartalen("GM0642", [9, 40, 44, 48])
    kwartalen("GM0590", [9, 51, 8, 60])
    goedkeuren(regio)
    _land_met(regio, buiten_waarde=530)
    partner = partner_van(regio)
    rijen = alles(
        partner, niveau="regio", regio="NL01", indicator="vt_meldingen", periode=f"{JAAR}KW01"
    )
    assert rijen[0]["waarde"] == 550  # 9 + 9 + 530, rounded: the partner may see the country
    rijen += alles(
        partner,
        niveau="gemeente",
        regio="VT24",
        indicator="vt_meldingen",
        periode=f"{JAAR}KW01",
    )
    leden = {"NL01": ["GM0642", "GM0590", "GM0268"]}
    aanvaller, onderdrukt = aanval(rijen, _tijd_atomen(leden))
    controleer(aanvaller, onderdrukt)  # Nijmegen's 530 is unknown to the partner
    assert len(onderdrukt) == 2


def test_land_onderdrukt_als_de_rest_van_het_land_te_klein_is(partner_van):
    regio = RegioFactory(code="VT24", naam="Zuid-Holland Zuid")
    gemeente(regio, "GM0642", "Zwijndrecht")
    kwartalen("GM0642", [9, 40, 44, 48])
    goedkeuren(regio)
    _land_met(regio, buiten_waarde=4)
    partner = partner_van(regio)
    rijen = alles(
        partner, niveau="regio", regio="NL01", indicator="vt_meldingen", periode=f"{JAAR}KW01"
    )
    assert rijen[0]["waarde"] is None and rijen[0]["geheimhouding"] == "onderdrukt"


# -- stored sums and secret parts ------------------------------------------------------------------


def test_opgeslagen_halfjaar_met_onderdrukt_kwartaal_is_onderdrukt(partner_van):
    """A stored half-year (as CBS publishes them) besides its stored quarters follows the same
    rule in the list of stored figures."""
    regio = RegioFactory(code="VT24", naam="Zuid-Holland Zuid")
    gemeente(regio, "GM0642", "Zwijndrecht")
    kwartalen("GM0642", [9, 9, 30, 40])
    Waarneming.objects.create(
        indicator_id="vt_meldingen", gemeente_id="GM0642", periode=periode(f"{JAAR}HJ01"), waarde=18
    )
    Waarneming.objects.create(
        indicator_id="vt_meldingen", gemeente_id="GM0642", periode=periode(f"{JAAR}HJ02"), waarde=70
    )
    goedkeuren(regio)
    for code in (f"{JAAR}HJ01", f"{JAAR}HJ02"):
        Gegevenslevering.objects.create(
            regio=regio, periode=periode(code), workflow_status=WorkflowStatus.GOEDGEKEURD
        )
    partner = partner_van(regio)

    rijen = {r["periode"]: r for r in alles(partner, regio="VT24")}
    assert rijen[f"{JAAR}HJ01"]["waarde"] is None
    assert rijen[f"{JAAR}HJ01"]["geheimhouding"] == "onderdrukt"
    assert rijen[f"{JAAR}HJ02"]["waarde"] == 70
    tekst = b"".join(partner.get(LIJST, {"regio": "VT24", "format": "csv"}).streaming_content)
    regels = {r.split(",")[4]: r.split(",")[5] for r in tekst.decode().splitlines()[1:]}
    assert regels[f"{JAAR}HJ01"] == "." and regels[f"{JAAR}HJ02"] == "70"


def test_geheim_deel_onderdrukt_een_opgeslagen_totaal_voor_partners():
    regio = RegioFactory(code="VT24", naam="Zuid-Holland Zuid")
    gemeente(regio, "GM0642", "Zwijndrecht")
    gemeente(regio, "GM0590", "Papendrecht")
    kwartalen("GM0642", [40, 40, 40, 40])
    Waarneming.objects.create(
        indicator_id="vt_meldingen",
        gemeente_id="GM0590",
        periode=periode(f"{JAAR}KW01"),
        waarde=None,
        status="geheim",
    )
    Waarneming.objects.create(
        indicator_id="vt_meldingen", regio=regio, periode=periode(f"{JAAR}KW01"), waarde=52
    )
    goedkeuren(regio)

    partner = Inzage.afgeschermd_voor("VT24")
    antwoord = cijfers(
        inzage=partner, indicatoren=["vt_meldingen"], gebieden=["VT24"], perioden=[f"{JAAR}KW01"]
    ).get("vt_meldingen", "VT24", f"{JAAR}KW01")
    assert antwoord.waarde is None and antwoord.is_onderdrukt
    intern = cijfers(
        inzage=Inzage.intern("VT24"),
        indicatoren=["vt_meldingen"],
        gebieden=["VT24"],
        perioden=[f"{JAAR}KW01"],
    ).get("vt_meldingen", "VT24", f"{JAAR}KW01")
    assert intern.waarde == 52


# -- parts outside the person's reach --------------------------------------------------------


def test_fusie_met_een_voorganger_uit_een_andere_regio_verraadt_die_voorganger_niet(partner_van):
    """Vijfheerenlanden (in VT24 since 2019) answers for 2018 with Leerdam and Zederik (VT24)
    plus Vianen (Utrecht). The merged figure minus the two it knows would give a VT24 partner
    Vianen's small count: the rest outside reach is below the threshold, so it is suppressed."""
    zhz = RegioFactory(code="VT24", naam="Zuid-Holland Zuid")
    utrecht = RegioFactory(code="VT20", naam="Utrecht")
    vijfheerenlanden = GemeenteFactory(
        cbs_code="GM1961", naam="Vijfheerenlanden", geldig_van=MERGER
    )
    LidmaatschapFactory(regio=zhz, gemeente=vijfheerenlanden, geldig_van=MERGER)
    tot = MERGER - dt.timedelta(days=1)
    for code, naam, regio in (
        ("GM0545", "Leerdam", zhz),
        ("GM0707", "Zederik", zhz),
        ("GM0620", "Vianen", utrecht),
    ):
        g = GemeenteFactory(
            cbs_code=code, naam=naam, geldig_tot=tot, opgevolgd_door=vijfheerenlanden
        )
        LidmaatschapFactory(regio=regio, gemeente=g, geldig_tot=tot)
        InwonertalFactory(gemeente=g, jaar=JAAR, aantal=12_000)
    kwartalen("GM0545", [14, 14, 10, 13])
    kwartalen("GM0707", [16, 28, 27, 22])
    kwartalen("GM0620", [0, 0, 1, 7])
    goedkeuren(zhz)
    goedkeuren(utrecht)

    partner = partner_van(zhz)
    rijen = alles(partner, niveau="gemeente", gemeente="GM1961,GM0545,GM0707", **VRAAG)
    samen = {r["periode"]: r for r in rijen if r["gebied"] == "GM1961"}
    assert all(r["waarde"] is None for r in samen.values())  # 0, 0, 1 and 7 from Vianen
    leden = {"GM1961": ["GM0545", "GM0707", "GM0620"]}
    aanvaller, _onderdrukt = aanval(rijen, _tijd_atomen(leden))
    aanvaller.atoom(("GM0620", f"{JAAR}KW01"), 0, 10**9)  # all the partner knows of Vianen
    assert len(aanvaller.kandidaten(("GM0620", f"{JAAR}KW01"))) >= 3

    # The region's own wethouder sees Leerdam and Zederik raw, and still not Vianen.
    wethouder = GebruikerFactory(username="willem")
    RolFactory(gebruiker=wethouder, regio=zhz, rol=RolSoort.BESTUURDER)
    from regioaanpak.inzage import inzage_van

    antwoord = cijfers(
        inzage=inzage_van(wethouder),
        indicatoren=["vt_meldingen"],
        gebieden=["GM1961"],
        perioden=[f"{JAAR}KW01"],
    ).get("vt_meldingen", "GM1961", f"{JAAR}KW01")
    assert antwoord.waarde is None and antwoord.is_onderdrukt


def test_land_min_de_eigen_regio_verraadt_geen_klein_aantal_elders(partner_van):
    regio = RegioFactory(code="VT24", naam="Zuid-Holland Zuid")
    gemeente(regio, "GM0642", "Zwijndrecht")
    kwartalen("GM0642", [22, 19, 10, 12])
    goedkeuren(regio)
    _land_met(regio, buiten_waarde=1)  # the rest of the country: one small count
    partner = partner_van(regio)
    rijen = alles(partner, niveau="regio", regio="NL01", **VRAAG)
    assert all(r["waarde"] is None for r in rijen)


def test_twee_tokens_van_dezelfde_partner_tellen_niet_op(api_token, api):
    """Reach is the person's, not the token's: a VT18 token and a VT06 token of one partner
    together must not give away Brielle's 9 through Voorne aan Zee's 2022 figure."""
    rr = RegioFactory(code="VT18", naam="Rotterdam-Rijnmond")
    gz = RegioFactory(code="VT06", naam="Gelderland-Zuid")
    voorne = GemeenteFactory(cbs_code="GM1992", naam="Voorne aan Zee", geldig_van=MERGER)
    LidmaatschapFactory(regio=rr, gemeente=voorne, geldig_van=MERGER)
    tot = MERGER - dt.timedelta(days=1)
    for code, naam, regio in (("GM0501", "Brielle", rr), ("GM0614", "Westvoorne", gz)):
        g = GemeenteFactory(cbs_code=code, naam=naam, geldig_tot=tot, opgevolgd_door=voorne)
        LidmaatschapFactory(regio=regio, gemeente=g, geldig_tot=tot)
        InwonertalFactory(gemeente=g, jaar=JAAR, aantal=16_000)
    kwartalen("GM0501", [9, 27, 11, 16])
    kwartalen("GM0614", [23, 19, 29, 18])
    goedkeuren(rr)
    goedkeuren(gz)
    vera = GebruikerFactory(username="vera")
    for regio in (rr, gz):
        RolFactory(gebruiker=vera, regio=regio, rol=RolSoort.PARTNER)
    t18, t06 = api(api_token(vera, ["VT18"])), api(api_token(vera, ["VT06"]))

    rijen = alles(t18, niveau="gemeente", gemeente="GM1992,GM0501", **VRAAG)
    rijen += alles(t06, niveau="gemeente", gemeente="GM0614", **VRAAG)
    samen = {r["periode"]: r["waarde"] for r in rijen if r["gebied"] == "GM1992"}
    assert samen[f"{JAAR}KW01"] is None
    aanvaller, onderdrukt = aanval(rijen, _tijd_atomen({"GM1992": ["GM0501", "GM0614"]}))
    controleer(aanvaller, onderdrukt)
    assert ("GM0501", f"{JAAR}KW01") in onderdrukt
