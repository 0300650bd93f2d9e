"""Delivering figures through the API: dry run, all or nothing, idempotent, locked and submitted
periods refused, CSV and Excel bodies, exact numbers, audit log and the region's delivery."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from monitoring.models import Gegevenslevering, Indicator
from regioaanpak.choices import AuditActie, WorkflowStatus
from regioaanpak.models import ApiToken, AuditRegel, Gemeente, token_hash
from regioaanpak.paginacache import gegevens_gewijzigd
from tests.factories import opgeslagen, periode

pytestmark = pytest.mark.django_db
IMPORT = "/api/v1/waarnemingen/import/"

KWARTAAL3 = [
    {"indicator": "vt_meldingen", "gebied": "GM0505", "periode": "2021KW03", "waarde": 405},
    {"indicator": "vt_meldingen", "gebied": "GM0642", "periode": "2021KW03", "waarde": "117"},
    {
        "indicator": "vt_adviezen",
        "gebied": "GM0505",
        "periode": "2021KW03",
        "waarde": "1021",
        "status": "voorlopig",
        "bron": "Veilig Thuis Zuid-Holland Zuid, kwartaalrapportage",
    },
]


@pytest.fixture
def sleutel(cijferregios, api_token):
    """The projectleider's write token: they see the stored figures, so the answer counts
    new, changed and unchanged rows (a partner's answer does not, see below)."""
    return api_token(
        cijferregios["projectleider"], ["VT24"], scope="schrijven", naam="aanlevering VT"
    )


@pytest.fixture
def vt(sleutel, api):
    return api(sleutel)


def _kwartaal3() -> dict:
    return {(w.indicator_id, w.gemeente_id): w for w in opgeslagen().filter(periode_id="2021KW03")}


def test_proefdraai_telt_maar_schrijft_niets(vt):
    antwoord = vt.post(f"{IMPORT}?dry_run=true", KWARTAAL3, format="json")
    assert antwoord.status_code == 200
    data = antwoord.json()
    assert data["dry_run"] is True and data["opgeslagen"] is False
    assert (data["regels"], data["nieuw"], data["gewijzigd"], data["ongewijzigd"]) == (3, 3, 0, 0)
    assert "niets opgeslagen" in data["bericht"]
    assert _kwartaal3() == {}
    assert not Gegevenslevering.objects.filter(periode_id="2021KW03").exists()
    assert not AuditRegel.objects.filter(object_type="monitoring.waarneming").exists()


def test_opslaan_met_auditlog_op_naam_van_de_eigenaar_en_een_levering(vt, sleutel, cijferregios):
    antwoord = vt.post(IMPORT, KWARTAAL3, format="json")
    assert antwoord.status_code == 200, antwoord.json()
    assert antwoord.json()["opgeslagen"] is True and antwoord.json()["nieuw"] == 3
    assert antwoord.json()["bericht"] == "Opgeslagen: 3 nieuw, 0 gewijzigd, 0 ongewijzigd."
    opgeslagen = _kwartaal3()
    assert opgeslagen[("vt_meldingen", "GM0505")].waarde == Decimal(405)
    assert opgeslagen[("vt_adviezen", "GM0505")].waarde == Decimal(1021)
    assert opgeslagen[("vt_adviezen", "GM0505")].status == "voorlopig"

    regels = AuditRegel.objects.filter(object_type="monitoring.waarneming")
    assert regels.count() == 3
    prefix = ApiToken.objects.get(sleutel_hash=token_hash(sleutel)).prefix
    for regel in regels:
        assert regel.gebruiker == cijferregios["projectleider"]
        assert regel.actie == AuditActie.AANGEMAAKT
        assert prefix in regel.reden and "aanlevering VT" in regel.reden
    # Each entry names its own figure, with the value and status it was stored with.
    adviezen = regels.get(object_id=str(opgeslagen[("vt_adviezen", "GM0505")].pk))
    assert adviezen.voor is None
    assert adviezen.na == {"waarde": "1021", "status": "voorlopig", "toelichting": ""}
    indicator = Indicator.objects.get(code="vt_adviezen").naam
    gemeente = Gemeente.objects.get(cbs_code="GM0505").naam
    assert adviezen.omschrijving == f"{indicator} — {gemeente} — 2021KW03"
    levering = Gegevenslevering.objects.get(regio_id="VT24", periode_id="2021KW03")
    assert levering.workflow_status == WorkflowStatus.CONCEPT and levering.versie == 1


def test_dezelfde_aanlevering_nogmaals_verandert_niets(vt):
    assert vt.post(IMPORT, KWARTAAL3, format="json").status_code == 200
    audit = AuditRegel.objects.count()
    gewijzigd_op = {k: w.gewijzigd_op for k, w in _kwartaal3().items()}

    antwoord = vt.post(IMPORT, KWARTAAL3, format="json")
    assert antwoord.status_code == 200
    data = antwoord.json()
    assert (data["nieuw"], data["gewijzigd"], data["ongewijzigd"]) == (0, 0, 3)
    assert data["bericht"] == "Niets gewijzigd: deze cijfers stonden er al zo."
    assert AuditRegel.objects.count() == audit
    assert {k: w.gewijzigd_op for k, w in _kwartaal3().items()} == gewijzigd_op
    assert Gegevenslevering.objects.get(regio_id="VT24", periode_id="2021KW03").versie == 1


def test_een_wijziging_geeft_een_nieuwe_versie_van_de_levering(vt):
    vt.post(IMPORT, KWARTAAL3, format="json")
    nieuw = [dict(KWARTAAL3[0], waarde=407)]
    data = vt.post(IMPORT, nieuw, format="json").json()
    assert (data["nieuw"], data["gewijzigd"]) == (0, 1)
    assert _kwartaal3()[("vt_meldingen", "GM0505")].waarde == Decimal(407)
    assert Gegevenslevering.objects.get(regio_id="VT24", periode_id="2021KW03").versie == 2
    wijziging = AuditRegel.objects.get(
        object_type="monitoring.waarneming", actie=AuditActie.GEWIJZIGD
    )
    assert wijziging.voor["waarde"] == "405" and wijziging.na["waarde"] == "407"


def test_alles_of_niets_bij_een_foute_regel(vt):
    rijen = [*KWARTAAL3[:1], dict(KWARTAAL3[1], waarde="veel"), *KWARTAAL3[2:]]
    antwoord = vt.post(IMPORT, rijen, format="json")
    assert antwoord.status_code == 400
    data = antwoord.json()
    assert data["opgeslagen"] is False and data["fouten_totaal"] == 1
    assert data["fouten"] == [{"regel": 2, "veld": "waarde", "reden": "'veel' is geen getal."}]
    assert "Er is niets opgeslagen" in data["bericht"]
    assert _kwartaal3() == {}
    assert not Gegevenslevering.objects.filter(periode_id="2021KW03").exists()


def test_elke_foute_regel_met_regel_veld_en_reden(vt):
    rijen = [
        {"indicator": "vt_meldingenn", "gebied": "GM0505", "periode": "2021KW03", "waarde": 1},
        {"indicator": "vt_meldingen", "gebied": "GM9999", "periode": "2021KW03", "waarde": 1},
        {"indicator": "vt_meldingen", "gebied": "GM0505", "periode": "2021KW5", "waarde": 1},
        {"indicator": "vt_meldingen", "gebied": "GM0505", "periode": "2021KW03", "waarde": -4},
        {
            "indicator": "vt_meldingen_per_1000",
            "gebied": "GM0505",
            "periode": "2021KW03",
            "waarde": 3,
        },
        {"indicator": "vt_meldingen", "gebied": "GM0505", "periode": "2021KW03", "waarde": 2.5},
        {"indicator": "vt_meldingen", "gebied": "GM0505", "periode": "2021KW03", "aantal": 1},
        {"indicator": "vt_adviezen", "gebied": "GM0505", "periode": "2021KW03", "waarde": True},
        "geen object",
    ]
    data = vt.post(IMPORT, rijen, format="json").json()
    fouten = {(f["regel"], f["veld"]): f["reden"] for f in data["fouten"]}
    assert "'vt_meldingenn' is geen bekende indicator" in fouten[(1, "indicator")]
    assert "'GM9999' is geen bekende gemeente" in fouten[(2, "gebied")]
    assert "'2021KW5' is geen geldige periodecode" in fouten[(3, "periode")]
    assert "negatief" in fouten[(4, "waarde")]
    assert "wordt berekend" in fouten[(5, "indicator")]
    assert "geen geheel getal" in fouten[(6, "waarde")]
    assert "onbekend veld" in fouten[(7, "aantal")]
    assert "geen tekst of getal" in fouten[(8, "waarde")]
    assert "geen object" in fouten[(9, None)]
    assert opgeslagen().filter(periode_id="2021KW03").count() == 0


def test_dubbele_regel_geweigerd(vt):
    data = vt.post(IMPORT, [KWARTAAL3[0], KWARTAAL3[0]], format="json").json()
    assert "staan al op regel 1" in data["fouten"][0]["reden"]
    assert data["fouten"][0]["regel"] == 2


def test_vergrendelde_periode_geweigerd(vt):
    rij = [{"indicator": "vt_meldingen", "gebied": "GM0505", "periode": "2021KW01", "waarde": 400}]
    antwoord = vt.post(IMPORT, rij, format="json")
    assert antwoord.status_code == 409
    reden = antwoord.json()["fouten"][0]["reden"]
    assert "Zuid-Holland Zuid over 2021KW01 zijn goedgekeurd en vergrendeld" in reden
    assert opgeslagen().get(
        indicator_id="vt_meldingen", gemeente_id="GM0505", periode_id="2021KW01"
    ).waarde == Decimal(412)


def test_ingediende_periode_wacht_op_beoordeling(vt):
    Gegevenslevering.objects.create(
        regio_id="VT24", periode=periode("2021KW03"), workflow_status=WorkflowStatus.INGEDIEND
    )
    antwoord = vt.post(IMPORT, KWARTAAL3, format="json")
    assert antwoord.status_code == 409
    assert "ingediend en wachten op beoordeling" in antwoord.json()["fouten"][0]["reden"]
    assert _kwartaal3() == {}


def test_csv_als_body_met_puntkomma_en_decimale_komma(vt):
    inhoud = (
        b"indicator;gebied;periode;waarde;status\n"
        b"vt_meldingen;GM0505;2021KW03;405;\n"
        b"uitgaven_du_vo;GM0505;2021KW03;12.500,75;voorlopig\n"
        b"vt_meldingen;GM0642;2021KW03;onbekend;\n"
    )
    antwoord = vt.post(IMPORT, data=inhoud, content_type="text/csv")
    assert antwoord.status_code == 400
    assert antwoord.json()["fouten"] == [
        {"regel": 4, "veld": "waarde", "reden": "'onbekend' is geen getal."}
    ]
    goed = inhoud.rsplit(b"\n", 2)[0] + b"\n"
    antwoord = vt.post(IMPORT, data=goed, content_type="text/csv")
    assert antwoord.status_code == 200, antwoord.json()
    assert _kwartaal3()[("uitgaven_du_vo", "GM0505")].waarde == Decimal("12500.75")


def test_bestand_als_formulier(vt):
    from openpyxl import Workbook

    boek = Workbook()
    blad = boek.active
    blad.append(["indicator", "gebied", "periode", "waarde"])
    blad.append(["vt_meldingen", "GM0505", "2021KW03", 405])
    uit = io.BytesIO()
    boek.save(uit)
    bestand = SimpleUploadedFile("vt_2021kw03.xlsx", uit.getvalue())
    antwoord = vt.post(IMPORT, {"bestand": bestand}, format="multipart")
    assert antwoord.status_code == 200, antwoord.json()
    assert _kwartaal3()[("vt_meldingen", "GM0505")].waarde == Decimal(405)
    zonder = vt.post(IMPORT, {"iets": "anders"}, format="multipart")
    assert zonder.status_code == 400
    assert zonder.json()["fouten"][0]["veld"] == "bestand"


def test_json_getallen_blijven_exact(vt):
    tekst = (
        '[{"indicator": "uitgaven_du_vo", "gebied": "GM0505", "periode": "2021KW03", '
        '"waarde": 1234567.89}, {"indicator": "vt_doorlooptijd_onderzoek", "gebied": "GM0505", '
        '"periode": "2021KW03", "waarde": 0.1}]'
    )
    antwoord = vt.post(IMPORT, data=tekst, content_type="application/json")
    assert antwoord.status_code == 200, antwoord.json()
    opgeslagen = _kwartaal3()
    assert opgeslagen[("uitgaven_du_vo", "GM0505")].waarde == Decimal("1234567.89")
    assert opgeslagen[("vt_doorlooptijd_onderzoek", "GM0505")].waarde == Decimal("0.1")


@pytest.mark.parametrize(
    ("body", "tekst"),
    [("{niet: json", "niet leesbaar"), (json.dumps({"indicator": "x"}), "Stuur een lijst")],
)
def test_onleesbare_body(vt, body, tekst):
    antwoord = vt.post(IMPORT, data=body, content_type="application/json")
    assert antwoord.status_code == 400
    assert tekst in antwoord.json()["fouten"][0]["reden"]


def test_lijst_onder_waarnemingen_en_regiocijfer(vt):
    data = {
        "waarnemingen": [
            {"indicator": "vt_meldingen", "gebied": "VT24", "periode": "2021KW03", "waarde": 522},
            {"indicator": "vt_meldingen", "gebied": "VT06", "periode": "2021KW03", "waarde": 530},
        ]
    }
    antwoord = vt.post(IMPORT, data, format="json")
    assert antwoord.status_code == 400
    assert antwoord.json()["fouten"] == [
        {
            "regel": 2,
            "veld": "gebied",
            "reden": "U mag geen cijfers van de regio VT06 aanleveren (wel van Zuid-Holland Zuid).",
        }
    ]
    antwoord = vt.post(IMPORT, {"waarnemingen": data["waarnemingen"][:1]}, format="json")
    assert antwoord.status_code == 200
    assert opgeslagen().get(regio_id="VT24", periode_id="2021KW03").waarde == 522


def test_aangeleverde_cijfers_na_goedkeuring_in_de_api(vt, cijferregios, api_token, api):
    vt.post(IMPORT, KWARTAAL3, format="json")
    lezer = api(api_token(cijferregios["beleid"], ["VT24"]))
    lijst = "/api/v1/waarnemingen/?periode=2021KW03"
    assert lezer.get(lijst).json()["results"] == []  # concept: not yet approved
    Gegevenslevering.objects.filter(periode_id="2021KW03").update(
        workflow_status=WorkflowStatus.GOEDGEKEURD
    )
    gegevens_gewijzigd()  # as the approval service does after its bulk update (page cache)
    assert len(lezer.get(lijst).json()["results"]) == 3


def test_te_grote_aanlevering_geweigerd_voor_het_lezen(vt, settings):
    """Refused on its Content-Length, before anything reads the body, in the answer's shape."""
    settings.INVOER_MAX_IMPORT_MB = 1
    body = json.dumps(KWARTAAL3 * 20_000)
    assert len(body) > 1024 * 1024
    antwoord = vt.generic("POST", IMPORT, body, content_type="application/json")
    assert antwoord.status_code == 413
    reden = antwoord.json()["fouten"][0]["reden"]
    assert "hier is ten hoogste 1 MB toegestaan" in reden, reden
    assert _kwartaal3() == {}


def test_een_partner_leert_uit_het_antwoord_geen_opgeslagen_cijfers(cijferregios, api_token, api):
    """Veilig Thuis delivers with a partner's write token, but may not read the figures the
    region entered: sending 0..9 and seeing which one is 'ongewijzigd' must tell nothing."""
    from monitoring.models import Waarneming

    Waarneming.objects.create(
        indicator_id="tijdelijke_huisverboden",
        gemeente_id="GM0642",
        periode=periode("2021KW03"),
        waarde=3,
    )
    partner = api(api_token(cijferregios["partner"], ["VT24"], scope="schrijven"))
    antwoorden = set()
    for waarde in range(10):
        rij = {
            "indicator": "tijdelijke_huisverboden",
            "gebied": "GM0642",
            "periode": "2021KW03",
            "waarde": waarde,
        }
        data = partner.post(f"{IMPORT}?dry_run=true", [rij], format="json").json()
        assert (data["nieuw"], data["gewijzigd"], data["ongewijzigd"]) == (None, None, None)
        antwoorden.add(json.dumps(data, sort_keys=True))
    assert len(antwoorden) == 1  # the same answer for every probed value
