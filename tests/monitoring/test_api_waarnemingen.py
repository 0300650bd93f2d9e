"""Reading figures through the API: filters, CSV, pagination, query counts and the roll-up,
which must give the figure selector's numbers."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring.models import Gegevenslevering, Waarneming
from monitoring.selectors import cijfers
from monitoring.selectors.organisaties import aanleververdeling
from monitoring.selectors.referentie import referentie
from regioaanpak.choices import WorkflowStatus
from regioaanpak.inzage import Inzage
from tests.factories import opgeslagen, periode

pytestmark = pytest.mark.django_db
LIJST = "/api/v1/waarnemingen/"


def _csv(antwoord) -> list[dict]:
    tekst = b"".join(antwoord.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(tekst)))


@pytest.fixture
def intern(cijferregios, api_token, api):
    """A beleidsmedewerker of VT24: raw values."""
    return api(api_token(cijferregios["beleid"], ["VT24"]))


def _sleutels(antwoord) -> set[tuple[str, str, str]]:
    assert antwoord.status_code == 200, antwoord.json()
    return {(r["indicator"], r["gebied"], r["periode"]) for r in antwoord.json()["results"]}


def test_opgeslagen_cijfers_van_de_eigen_regio_exact(intern):
    rijen = {
        (r["indicator"], r["gebied"], r["periode"]): r for r in intern.get(LIJST).json()["results"]
    }
    assert len(rijen) == 8  # the 8 figures of Dordrecht and Zwijndrecht, not Nijmegen's
    dordrecht = rijen[("vt_meldingen", "GM0505", "2021KW01")]
    assert dordrecht["waarde"] == 412 and dordrecht["status"] == "definitief"
    assert dordrecht["geheimhouding"] is None and dordrecht["gebied_soort"] == "gemeente"
    assert rijen[("vt_doorlooptijd_onderzoek", "GM0505", "2021KW01")]["waarde"] == 62.5
    assert b'"waarde":62.5' in intern.get(LIJST + "?indicator=vt_doorlooptijd_onderzoek").content


@pytest.mark.parametrize(
    ("filter_", "verwacht"),
    [
        ("indicator=vt_adviezen", {("vt_adviezen", "GM0505", "2021KW01")}),
        (
            "indicator=vt_meldingen&gemeente=GM0642",
            {("vt_meldingen", "GM0642", "2021KW01"), ("vt_meldingen", "GM0642", "2021KW02")},
        ),
        (
            "indicator=vt_meldingen&periode=2021KW02",
            {("vt_meldingen", "GM0505", "2021KW02"), ("vt_meldingen", "GM0642", "2021KW02")},
        ),
        (
            "indicator=vt_meldingen&regio=VT24&periode_van=2021KW02&periode_tot=2021KW04",
            {("vt_meldingen", "GM0505", "2021KW02"), ("vt_meldingen", "GM0642", "2021KW02")},
        ),
        ("indicator=vt_meldingen&periode_soort=HJ", set()),
        (
            "indicator=vt_meldingen,vt_adviezen&gemeente=GM0505&periode=2021KW01",
            {
                ("vt_meldingen", "GM0505", "2021KW01"),
                ("vt_adviezen", "GM0505", "2021KW01"),
            },
        ),
    ],
)
def test_filters(intern, filter_, verwacht):
    assert _sleutels(intern.get(f"{LIJST}?{filter_}")) == verwacht


def test_filter_op_status(intern):
    opgeslagen().filter(gemeente_id="GM0642", periode_id="2021KW02").update(status="voorlopig")
    assert _sleutels(intern.get(f"{LIJST}?status=voorlopig")) == {
        ("vt_meldingen", "GM0642", "2021KW02")
    }


@pytest.mark.parametrize(
    ("filter_", "veld", "tekst"),
    [
        ("indicator=vt_meldingenn", "indicator", "Onbekende indicator: vt_meldingenn"),
        ("gemeente=GM9999", "gemeente", "Onbekende gemeente: GM9999"),
        ("regio=VT99", "regio", "Onbekende regio: VT99"),
        ("periode=2021KW05", "periode", "'2021KW05' is geen geldige periodecode"),
        ("periode_van=2021Q1", "periode_van", "'2021Q1' is geen geldige periodecode"),
        ("status=concept", "status", "Onbekende status: concept"),
        ("periode_soort=MND", "periode_soort", "MND"),
        ("niveau=land", "niveau", "land"),
        ("niveau=regio", "periode", "Geef op niveau regio de perioden op"),
    ],
)
def test_foute_filters_krijgen_een_nederlandse_melding_met_de_parameter(
    intern, filter_, veld, tekst
):
    antwoord = intern.get(f"{LIJST}?{filter_}")
    assert antwoord.status_code == 400
    assert veld in antwoord.json()
    assert tekst in " ".join(antwoord.json()[veld])


def test_alleen_goedgekeurde_cijfers_tenzij_ingediend(intern, cijferregios, api_token, api):
    Gegevenslevering.objects.filter(regio_id="VT24", periode_id="2021KW02").update(
        workflow_status=WorkflowStatus.INGEDIEND
    )
    assert {p for _i, _g, p in _sleutels(intern.get(LIJST))} == {"2021KW01"}
    assert "2021KW02" in {p for _i, _g, p in _sleutels(intern.get(LIJST + "?ingediend=true"))}

    partner = api(api_token(cijferregios["partner"], ["VT24"]))
    antwoord = partner.get(LIJST + "?ingediend=true")
    assert antwoord.status_code == 403
    assert "projectleider, beleidsmedewerker of beheerder" in antwoord.json()["detail"]


def test_csv_met_kopregel_punt_als_decimaalteken_en_punt_voor_geheim(intern):
    opgeslagen().filter(indicator_id="vt_hermeldingen").update(status="geheim", waarde=None)
    for antwoord in (
        intern.get(LIJST + "?format=csv"),
        intern.get(LIJST, HTTP_ACCEPT="text/csv"),
    ):
        assert antwoord.status_code == 200
        assert antwoord["Content-Type"] == "text/csv; charset=utf-8"
        assert 'attachment; filename="waarnemingen_' in antwoord["Content-Disposition"]
        rijen = {(r["indicator"], r["gebied"], r["periode"]): r for r in _csv(antwoord)}
        assert len(rijen) == 8
        assert rijen[("vt_meldingen", "GM0505", "2021KW01")]["waarde"] == "412"
        assert rijen[("vt_doorlooptijd_onderzoek", "GM0505", "2021KW01")]["waarde"] == "62.5"
        assert rijen[("vt_hermeldingen", "GM0505", "2021KW01")]["waarde"] == "."
        assert rijen[("vt_hermeldingen", "GM0505", "2021KW01")]["status"] == "geheim"


def test_csv_ook_met_debug_aan(intern, settings):
    """make run serves with DEBUG on, which logs every query with its parameters."""
    settings.DEBUG = True
    rijen = _csv(intern.get(LIJST + "?format=csv&gemeente=GM0505&periode=2021KW01"))
    assert len(rijen) == 5
    assert all(
        re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z", r["gewijzigd_op"]) for r in rijen
    )


def test_csv_fouten_blijven_json(intern):
    antwoord = intern.get(LIJST + "?format=csv&indicator=onzin")
    assert antwoord.status_code == 400
    assert antwoord["Content-Type"] == "application/json"
    assert "Onbekende indicator" in antwoord.json()["indicator"][0]


def test_elke_lijst_ook_als_csv(intern):
    for pad, kolom in [
        ("regios", "code"),
        ("gemeenten", "cbs_code"),
        ("perioden", "code"),
        ("indicatoren", "code"),
        ("regioaanpakken", "titel"),
        ("voortgang", "periode"),
        ("rapporten", "sha256"),
    ]:
        antwoord = intern.get(f"/api/v1/{pad}/?format=csv")
        assert antwoord.status_code == 200, pad
        kop = b"".join(antwoord.streaming_content).decode().splitlines()[0].split(",")
        assert kolom in kop, (pad, kop)


def test_cursorpaginering_stabiel_en_volledig(intern):
    gezien, url, paginas = [], f"{LIJST}?page_size=3", 0
    while url:
        data = intern.get(url).json()
        gezien += [r["id"] for r in data["results"]]
        # A figure added meanwhile (higher id) never shifts the pages already read.
        opgeslagen().get_or_create(
            indicator_id="vt_adviezen",
            gemeente_id="GM0642",
            periode=periode("2021KW01"),
            defaults={"waarde": Decimal(300)},
        )
        url, paginas = data["next"], paginas + 1
    assert paginas == 3
    assert gezien == sorted(gezien) and len(gezien) == len(set(gezien)) == 9


def test_page_size_hoogstens_1000(intern):
    data = intern.get(LIJST + "?page_size=5000").json()
    assert len(data["results"]) == 8


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as vastgelegd:
        assert client.get(url).status_code == 200
    return len(vastgelegd.captured_queries)


def test_aantal_queries_groeit_niet_met_de_paginagrootte(cijferregios, api_token, api):
    partner = api(api_token(cijferregios["partner"], ["VT24"]))
    for code in ("GM0505", "GM0642"):
        Waarneming.objects.bulk_create(
            Waarneming(
                indicator_id=ind,
                gemeente_id=code,
                periode_id="2021KW01",
                waarde=Decimal(40 + n),
            )
            for n, ind in enumerate(
                [
                    "vt_onderzoeken",
                    "vt_overdrachten_lokaal_veld",
                    "vt_veiligheidsbeoordelingen",
                    "opvang_vrouwen",
                    "csg_consultaties",
                ]
            )
        )
    partner.get("/api/v1/perioden/")  # the token's first use is recorded once
    aanleververdeling()  # who delivers what: read once, then cached for every request
    referentie()  # areas, memberships, indicators: likewise (monitoring/selectors/referentie.py)
    for pad in (LIJST, "/api/v1/gemeenten/", "/api/v1/regios/", "/api/v1/indicatoren/"):
        klein = _queries(partner, f"{pad}?page_size=1")
        groot = _queries(partner, f"{pad}?page_size=1000")
        assert klein == groot, pad
    klein = _queries(partner, f"{LIJST}?niveau=gemeente&periode=2021KW01&indicator=vt_meldingen")
    groot = _queries(
        partner,
        f"{LIJST}?niveau=gemeente&periode=2021KW01,2021KW02,2021HJ01"
        "&indicator=vt_meldingen,vt_adviezen,vt_meldingen_per_1000,vt_hermeldingen_percentage",
    )
    assert klein == groot


@pytest.mark.parametrize(
    "codes",
    [
        ["vt_meldingen", "vt_adviezen"],
        ["vt_meldingen_per_1000", "vt_hermeldingen_percentage", "vt_doorlooptijd_onderzoek"],
    ],
)
def test_optelling_per_regio_is_die_van_de_cijferselector(intern, codes):
    perioden = ["2021KW01", "2021KW02", "2021HJ01", "2021JJ00"]
    antwoord = intern.get(
        f"{LIJST}?niveau=regio&regio=VT24&indicator={','.join(codes)}&periode={','.join(perioden)}"
    )
    assert antwoord.status_code == 200
    rijen = antwoord.json()["results"]
    selector = cijfers(
        inzage=Inzage.intern("VT24"), indicatoren=codes, gebieden=["VT24"], perioden=perioden
    )
    assert len(rijen) == len(selector) == len(codes) * len(perioden)
    for rij in rijen:
        verwacht = selector.get(rij["indicator"], "VT24", rij["periode"])
        waarde = None if rij["waarde"] is None else Decimal(str(rij["waarde"]))
        assert waarde == verwacht.waarde, rij
        assert rij["status"] == verwacht.status
    hj = {r["indicator"]: r for r in rijen if r["periode"] == "2021HJ01"}
    if "vt_meldingen" in hj:
        assert hj["vt_meldingen"]["waarde"] == 412 + 398 + 118 + 121
        assert hj["vt_meldingen"]["samengesteld"] is True


def test_optelling_per_gemeente_en_csv_gelijk_aan_json(intern):
    url = f"{LIJST}?niveau=gemeente&gemeente=GM0505&periode=2021HJ01&indicator=vt_meldingen"
    json_rij = intern.get(url).json()["results"][0]
    assert json_rij["waarde"] == 412 + 398
    csv_rij = _csv(intern.get(url + "&format=csv"))[0]
    assert csv_rij["waarde"] == "810" and csv_rij["gebied_soort"] == "gemeente"


def test_ontbrekend_is_leeg_nooit_nul(intern):
    rij = intern.get(
        f"{LIJST}?niveau=regio&regio=VT24&periode=2021KW03&indicator=vt_meldingen"
    ).json()["results"][0]
    assert rij["waarde"] is None and rij["status"] is None
    assert rij["ontbreekt"]
    csv_rij = _csv(
        intern.get(
            f"{LIJST}?niveau=regio&regio=VT24&periode=2021KW03&indicator=vt_meldingen&format=csv"
        )
    )[0]
    assert csv_rij["waarde"] == ""


def test_te_grote_vraag_op_niveau_gemeente(intern):
    antwoord = intern.get(f"{LIJST}?niveau=gemeente&periode_van=1950KW01&periode_tot=2099KW04")
    assert antwoord.status_code == 400
    assert "maximum is 50.000" in antwoord.json()["periode"][0]


def test_heringedeelde_gemeente_uit_haar_voorgangers(cijferregios, api_token, api):
    """Voorne aan Zee (2023) answers for 2022 from Brielle, a member of Rotterdam-Rijnmond
    until its merger; the stored figure belongs to the region only while Brielle was in it."""
    import datetime as dt

    from django.utils import timezone

    from regioaanpak.choices import RolSoort
    from tests.factories import GemeenteFactory, LidmaatschapFactory, RegioFactory, RolFactory

    rr = RegioFactory(code="VT18", naam="Rotterdam-Rijnmond")
    voorne = GemeenteFactory(
        cbs_code="GM1992", naam="Voorne aan Zee", geldig_van=dt.date(2023, 1, 1)
    )
    brielle = GemeenteFactory(
        cbs_code="GM0501",
        naam="Brielle",
        geldig_tot=dt.date(2022, 12, 31),
        opgevolgd_door=voorne,
    )
    LidmaatschapFactory(regio=rr, gemeente=brielle, geldig_tot=dt.date(2022, 12, 31))
    LidmaatschapFactory(regio=rr, gemeente=voorne, geldig_van=dt.date(2023, 1, 1))
    Waarneming.objects.create(
        indicator_id="vt_meldingen", gemeente=brielle, periode=periode("2022KW01"), waarde=31
    )
    Gegevenslevering.objects.create(
        regio=rr,
        periode=periode("2022KW01"),
        workflow_status=WorkflowStatus.GOEDGEKEURD,
        beoordeeld_op=timezone.now(),
    )
    RolFactory(gebruiker=cijferregios["beleid"], regio=rr, rol=RolSoort.BELEIDSMEDEWERKER)
    client = api(api_token(cijferregios["beleid"], ["VT18"]))

    rij = client.get(
        f"{LIJST}?niveau=gemeente&gemeente=GM1992&periode=2022KW01&indicator=vt_meldingen"
    ).json()["results"][0]
    assert rij["waarde"] == 31 and rij["samengesteld"] is True
    assert _sleutels(client.get(f"{LIJST}?regio=VT18")) == {("vt_meldingen", "GM0501", "2022KW01")}
    assert _sleutels(client.get(f"{LIJST}?regio=VT18&periode=2023KW01")) == set()


def test_csv_tijdstip_als_in_json(intern):
    """The CSV's timestamp is the JSON's, to the microsecond, on SQLite as on PostgreSQL (SQLite
    gave milliseconds: 09:05:07.123Z against 09:05:07.123456Z)."""
    import datetime as dt

    rijen = list(opgeslagen().filter(gemeente_id="GM0505", periode_id="2021KW01").order_by("id"))
    microseconden = [123456, 1, 999999, 500000, 10]
    assert len(rijen) == len(microseconden)
    for rij, micro in zip(rijen, microseconden, strict=True):
        tijd = dt.datetime(2026, 3, 1, 9, 5, 7, micro, tzinfo=dt.UTC)
        opgeslagen().filter(pk=rij.pk).update(gewijzigd_op=tijd)
    json_rijen = intern.get(LIJST + "?gemeente=GM0505&periode=2021KW01").json()["results"]
    json_tijden = {r["id"]: r["gewijzigd_op"] for r in json_rijen}
    csv_tijden = {
        int(r["id"]): r["gewijzigd_op"]
        for r in _csv(intern.get(LIJST + "?format=csv&gemeente=GM0505&periode=2021KW01"))
    }
    assert csv_tijden == json_tijden
    assert csv_tijden[rijen[0].pk] == "2026-03-01T09:05:07.123456Z"
    assert csv_tijden[rijen[1].pk] == "2026-03-01T09:05:07.000001Z"
