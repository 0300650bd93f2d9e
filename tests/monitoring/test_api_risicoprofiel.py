"""The risk profile in the API: the selector's ranking as JSON and CSV, within the token's
regions, with the signalling columns for a period."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from monitoring.models import Gegevenslevering, Waarneming
from monitoring.selectors.risicoprofiel import risicoprofiel
from regioaanpak.choices import RolSoort, WorkflowStatus
from tests.factories import GebruikerFactory, InwonertalFactory, RolFactory, periode
from tests.monitoring.test_risicoprofiel import RIJNMOND, _zet, rijnmond  # noqa: F401

pytestmark = pytest.mark.django_db
ZES = [code for code, _naam in RIJNMOND[:6]]
LIJST = "/api/v1/risicoprofielen/"


@pytest.fixture
def rr(rijnmond, indicatoren):  # noqa: F811
    _zet(rijnmond, "Werkloosheidspercentage", 1, {c: 3 + i for i, c in enumerate(ZES)})
    for i, code in enumerate(ZES):
        InwonertalFactory(gemeente_id=code, jaar=2021, aantal=40_000)
        Waarneming.objects.create(
            indicator_id="vt_meldingen",
            gemeente_id=code,
            periode=periode("2021KW01"),
            waarde=Decimal(203 + 20 * i),
        )
    Gegevenslevering.objects.create(
        regio=rijnmond,
        periode=periode("2021KW01"),
        workflow_status=WorkflowStatus.GOEDGEKEURD,
        beoordeeld_op=timezone.now(),
    )
    return rijnmond


def _client(regio, rol, api, api_token, naam):
    gebruiker = GebruikerFactory(username=naam)
    RolFactory(gebruiker=gebruiker, regio=regio, rol=rol)
    return api(api_token(gebruiker, [regio.code]))


def test_rangorde_als_in_de_selector_en_als_csv(rr, api, api_token):
    client = _client(rr, RolSoort.BELEIDSMEDEWERKER, api, api_token, "analist")
    rijen = client.get(f"{LIJST}?regio=VT18").json()["results"]
    verwacht = risicoprofiel(rr).scores
    assert [(r["gemeente"], r["rang"], r["klasse"]) for r in rijen] == [
        (s.gemeente, s.rang, s.klasse) for s in verwacht
    ]
    assert rijen[0]["score"] == pytest.approx(verwacht[0].score)
    assert rijen[0]["meldingen_per_1000"] is None
    antwoord = client.get(f"{LIJST}?regio=VT18&periode=2021KW01&format=csv")
    tekst = b"".join(antwoord.streaming_content).decode()
    csv_rijen = list(csv.DictReader(io.StringIO(tekst)))
    assert csv_rijen[0]["gemeente"] == "GM0614" and csv_rijen[0]["meldingen_per_1000"] == "7.575"
    assert {r["oordeel"] for r in csv_rijen} == {""}
    # Negative scores (below the regional mean) stay numbers: no quote before the minus sign.
    negatief = [r["score"] for r in csv_rijen if r["score"].startswith("-")]
    assert negatief and all(float(s) < 0 for s in negatief)


def test_partner_krijgt_de_afgeschermde_meldingen(rr, api, api_token):
    client = _client(rr, RolSoort.PARTNER, api, api_token, "partner-rr")
    rijen = {
        r["gemeente"]: r
        for r in client.get(f"{LIJST}?regio=VT18&periode=2021KW01").json()["results"]
    }
    # 203 meldingen / 40.000 inwoners is 5,075 per 1.000; the partner's rate comes from the
    # count rounded to 205.
    assert rijen["GM0530"]["meldingen_per_1000"] == 5.125


def test_andere_regio_en_foute_vraag(rr, api, api_token):
    from tests.factories import RegioFactory

    ander = _client(RegioFactory(code="VT06"), RolSoort.PARTNER, api, api_token, "ggd")
    assert ander.get(f"{LIJST}?regio=VT18").status_code == 403
    client = _client(rr, RolSoort.PARTNER, api, api_token, "partner-rr")
    fout = client.get(LIJST)
    assert fout.status_code == 400 and "regio" in fout.json()
    fout = client.get(f"{LIJST}?regio=VT18&periode=2021Q1")
    assert fout.status_code == 400 and "geen geldige periodecode" in fout.json()["periode"][0]
