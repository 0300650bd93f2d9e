"""Disclosure control for partners: counts rounded to fives, below 10 suppressed, rates from
the rounded counts and suppressed with them; internal roles see raw values."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from monitoring.models import Indicator, Waarneming
from monitoring.selectors.geheimhouding import AFGEROND, ONDERDRUKT, Regel
from regioaanpak.choices import RolSoort
from tests.factories import RolFactory, opgeslagen, periode

pytestmark = pytest.mark.django_db
LIJST = "/api/v1/waarnemingen/"


@pytest.mark.parametrize(
    ("waarde", "verwacht"),
    [(0, None), (7, None), (9, None), (10, 10), (12, 10), (13, 15), (22, 20), (23, 25), (412, 410)],
)
def test_regel_rondt_af_op_vijftallen_en_onderdrukt_onder_de_tien(waarde, verwacht):
    uitkomst, wat = Regel(drempel=10, afronding=5).pas_toe(Decimal(waarde))
    assert uitkomst == (None if verwacht is None else Decimal(verwacht))
    assert wat == (ONDERDRUKT if verwacht is None else AFGEROND)


def test_regel_met_andere_instellingen():
    assert Regel(drempel=0, afronding=10).pas_toe(Decimal(15)) == (Decimal(20), AFGEROND)
    assert Regel(drempel=3, afronding=1).pas_toe(Decimal(7)) == (Decimal(7), AFGEROND)
    assert Regel(drempel=3, afronding=1).pas_toe(Decimal(2)) == (None, ONDERDRUKT)


def _rijen(client, query: str) -> dict:
    antwoord = client.get(f"{LIJST}?{query}")
    assert antwoord.status_code == 200, antwoord.json()
    return {(r["indicator"], r["gebied"], r["periode"]): r for r in antwoord.json()["results"]}


@pytest.fixture
def partner(cijferregios, api_token, api):
    return api(api_token(cijferregios["partner"], ["VT24"]))


@pytest.fixture
def intern(cijferregios, api_token, api):
    return api(api_token(cijferregios["beleid"], ["VT24"]))


def test_partner_ziet_afgeronde_en_onderdrukte_aantallen(partner):
    rijen = _rijen(partner, "gemeente=GM0505&periode=2021KW01")
    assert rijen[("vt_hermeldingen", "GM0505", "2021KW01")]["waarde"] == 25  # 23
    assert rijen[("vt_meldingen", "GM0505", "2021KW01")]["waarde"] == 410  # 412
    assert rijen[("vt_adviezen", "GM0505", "2021KW01")]["waarde"] == 1035  # 1.034
    zeven = rijen[("vt_meldingen_eergerelateerd", "GM0505", "2021KW01")]
    assert zeven["waarde"] is None
    assert zeven["status"] == "geheim" and zeven["geheimhouding"] == "onderdrukt"
    assert rijen[("vt_hermeldingen", "GM0505", "2021KW01")]["geheimhouding"] == "afgerond"
    # Days are not a count: untouched.
    dagen = rijen[("vt_doorlooptijd_onderzoek", "GM0505", "2021KW01")]
    assert dagen["waarde"] == 62.5 and dagen["geheimhouding"] is None


def test_partner_csv_toont_punt_voor_onderdrukt(partner):
    antwoord = partner.get(f"{LIJST}?gemeente=GM0505&periode=2021KW01&format=csv")
    tekst = b"".join(antwoord.streaming_content).decode()
    rijen = {r["indicator"]: r for r in csv.DictReader(io.StringIO(tekst))}
    assert rijen["vt_meldingen_eergerelateerd"]["waarde"] == "."
    assert rijen["vt_hermeldingen"]["waarde"] == "25"
    assert "7" not in {r["waarde"] for r in rijen.values()}


def test_intern_ziet_de_ruwe_aantallen(intern):
    rijen = _rijen(intern, "gemeente=GM0505&periode=2021KW01")
    assert rijen[("vt_meldingen_eergerelateerd", "GM0505", "2021KW01")]["waarde"] == 7
    assert rijen[("vt_hermeldingen", "GM0505", "2021KW01")]["waarde"] == 23
    assert all(r["geheimhouding"] is None for r in rijen.values())


def test_percentage_en_per_1000_uit_de_afgeronde_aantallen(partner, intern):
    query = (
        "niveau=gemeente&gemeente=GM0505&periode=2021KW01"
        "&indicator=vt_hermeldingen_percentage,vt_meldingen_per_1000"
    )
    voor_partner, voor_intern = _rijen(partner, query), _rijen(intern, query)
    sleutel = ("vt_hermeldingen_percentage", "GM0505", "2021KW01")
    assert voor_intern[sleutel]["waarde"] == 5.5825  # 23 / 412
    assert voor_partner[sleutel]["waarde"] == 6.0976  # 25 / 410
    assert voor_partner[sleutel]["geheimhouding"] == "afgerond"
    per_1000 = ("vt_meldingen_per_1000", "GM0505", "2021KW01")
    assert voor_intern[per_1000]["waarde"] == 3.4593  # 412 / 119.100 inwoners
    assert voor_partner[per_1000]["waarde"] == 3.4425  # 410 / 119.100: 412 not recoverable


def test_percentage_op_een_onderdrukt_aantal_is_onderdrukt(partner, intern):
    Waarneming.objects.create(
        indicator_id="vt_hermeldingen",
        gemeente_id="GM0505",
        periode=periode("2021KW02"),
        waarde=Decimal(7),
    )
    query = "niveau=gemeente&gemeente=GM0505&periode=2021KW02&indicator=vt_hermeldingen_percentage"
    rij = _rijen(partner, query)[("vt_hermeldingen_percentage", "GM0505", "2021KW02")]
    assert rij["waarde"] is None and rij["status"] == "geheim"
    assert rij["geheimhouding"] == "onderdrukt"
    csv_tekst = b"".join(partner.get(f"{LIJST}?{query}&format=csv").streaming_content).decode()
    assert next(csv.DictReader(io.StringIO(csv_tekst)))["waarde"] == "."
    # The alderman's number (raw) is there for internal roles: 7 / 398.
    assert (
        _rijen(intern, query)[("vt_hermeldingen_percentage", "GM0505", "2021KW02")]["waarde"]
        == 1.7588
    )


def test_regio_wordt_na_het_optellen_afgerond(partner, intern):
    opgeslagen().filter(gemeente_id="GM0642", periode_id="2021KW01").update(waarde=Decimal(112))
    query = "niveau=regio&regio=VT24&periode=2021KW01&indicator=vt_meldingen"
    assert _rijen(intern, query)[("vt_meldingen", "VT24", "2021KW01")]["waarde"] == 524
    # 412 + 112 = 524 -> 525; adding rounded parts would give 410 + 110 = 520.
    assert _rijen(partner, query)[("vt_meldingen", "VT24", "2021KW01")]["waarde"] == 525


def test_drempel_en_afronding_zijn_per_indicator_instelbaar(partner):
    Indicator.objects.filter(code="vt_meldingen").update(
        geheimhouding_drempel=0, geheimhouding_afronding=10
    )
    Indicator.objects.filter(code="vt_meldingen_eergerelateerd").update(
        geheimhouding_drempel=0, geheimhouding_afronding=1
    )
    rijen = _rijen(partner, "gemeente=GM0505,GM0642&periode=2021KW01")
    assert rijen[("vt_meldingen", "GM0642", "2021KW01")]["waarde"] == 120  # 118
    eer = rijen[("vt_meldingen_eergerelateerd", "GM0505", "2021KW01")]
    assert eer["waarde"] == 7 and eer["geheimhouding"] is None


def test_gemengde_rollen_per_regio(cijferregios, api_token, api):
    """Internal in Zuid-Holland Zuid, partner in Gelderland-Zuid: raw there, controlled here."""
    opgeslagen().filter(gemeente_id="GM0268").update(waarde=Decimal(533))
    gebruiker = cijferregios["beleid"]
    RolFactory(gebruiker=gebruiker, regio=cijferregios["gz"], rol=RolSoort.PARTNER)
    client = api(api_token(gebruiker, ["VT24", "VT06"]))
    rijen = _rijen(client, "indicator=vt_meldingen&periode=2021KW01")
    assert rijen[("vt_meldingen", "GM0505", "2021KW01")]["waarde"] == 412
    assert rijen[("vt_meldingen", "GM0268", "2021KW01")]["waarde"] == 535
