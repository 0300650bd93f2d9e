"""The 'Concept-PDF's genereren' button: queued with a Celery broker, in-process without one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rapportage import batch
from rapportage.models import RapportTaak, TaakStatus
from rapportage.tasks import rapporten_genereren_taak

pytestmark = pytest.mark.django_db

GENEREREN = reverse("rapportage:genereren", args=["VT24"])


@pytest.fixture
def nep_batch(monkeypatch):
    """A batch of two regions, one of which fails; records the call."""
    aanroepen = []

    def nep(*, periode, regio_codes=None, bij_voortgang=None):
        aanroepen.append({"periode": periode, "regio_codes": regio_codes})
        # Progress as seen mid-run, checked by reading the row back.
        bij_voortgang(1, 2, "VT24")
        taak = RapportTaak.objects.get()
        aanroepen[-1]["tussenstand"] = (taak.status, taak.klaar, taak.totaal, taak.huidige_regio)
        bij_voortgang(2, 2, "VT06")
        return batch.BatchResultaat(
            gelukt=["VT24"], mislukt={"VT06": "Geen gegevens voor deze periode."}, duur=0.1
        )

    monkeypatch.setattr(batch, "rapporten_genereren", nep)
    return aanroepen


def test_zonder_broker_draait_de_taak_meteen_en_toont_de_uitkomst(
    client, settings, zuid_holland_zuid, beleidsmedewerker, nep_batch
):
    settings.CELERY_BROKER_URL = ""
    client.force_login(beleidsmedewerker)
    assert (
        "Concept-PDF's genereren"
        in client.get(reverse("rapportage:archief", args=["VT24"])).content.decode()
    )

    antwoord = client.post(GENEREREN, {"periode": "2022kw03"})

    taak = RapportTaak.objects.get()
    assert antwoord.status_code == 302
    assert antwoord.url == reverse("rapportage:taak", args=[taak.pk])
    assert nep_batch == [
        {"periode": "2022KW03", "regio_codes": ["VT24"], "tussenstand": ("bezig", 1, 2, "VT24")}
    ]
    assert taak.status == TaakStatus.KLAAR
    assert (taak.klaar, taak.totaal, taak.aangevraagd_door) == (2, 2, beleidsmedewerker)
    assert taak.gestart_op and taak.klaar_op

    pagina = client.get(antwoord.url).content.decode()
    assert "<strong>klaar</strong>" in pagina
    assert "2 van 2 regio's klaar" in pagina
    assert "VT06</strong>: Geen gegevens voor deze periode." in pagina
    assert 'http-equiv="refresh"' not in pagina  # done: no more refreshing
    assert reverse("rapportage:taak_pdf", args=[taak.pk, "VT24"]) in pagina


def test_met_broker_gaat_de_taak_in_de_wachtrij(
    client,
    settings,
    zuid_holland_zuid,
    beleidsmedewerker,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    settings.CELERY_BROKER_URL = "redis://wachtrij.invalid:6379/0"
    vertraagd = []
    monkeypatch.setattr(rapporten_genereren_taak, "delay", lambda pk: vertraagd.append(pk))
    client.force_login(beleidsmedewerker)

    with django_capture_on_commit_callbacks(execute=True):
        antwoord = client.post(GENEREREN, {"periode": "2022HJ02"})

    taak = RapportTaak.objects.get()
    assert vertraagd == [taak.pk]
    assert (taak.status, taak.periode_id, taak.regio_id) == ("wachtend", "2022HJ02", "VT24")
    pagina = client.get(antwoord.url).content.decode()
    assert "<strong>wachtend</strong>" in pagina
    assert '<meta http-equiv="refresh" content="2">' in pagina


def test_onbereikbare_broker_markeert_de_taak_als_mislukt(
    client,
    settings,
    zuid_holland_zuid,
    beleidsmedewerker,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    settings.CELERY_BROKER_URL = "redis://wachtrij.invalid:6379/0"

    def kapot(pk):
        raise ConnectionError("geen verbinding")

    monkeypatch.setattr(rapporten_genereren_taak, "delay", kapot)
    client.force_login(beleidsmedewerker)
    with django_capture_on_commit_callbacks(execute=True):
        antwoord = client.post(GENEREREN, {"periode": "2022HJ02"})

    assert antwoord.status_code == 302
    assert RapportTaak.objects.get().status == TaakStatus.MISLUKT
    assert "De wachtrij is niet bereikbaar" in client.get(antwoord.url).content.decode()


@pytest.mark.parametrize(
    ("periode", "melding"),
    [
        ("kwartaal", "geen geldige periodecode"),
        ("2040KW01", "niet bekend"),
    ],
)
def test_verkeerde_periode_geeft_een_melding(
    client, zuid_holland_zuid, beleidsmedewerker, nep_batch, periode, melding
):
    client.force_login(beleidsmedewerker)
    antwoord = client.post(GENEREREN, {"periode": periode}, follow=True)

    assert melding in antwoord.content.decode()
    assert not RapportTaak.objects.exists()
    assert nep_batch == []


def test_bestuurder_en_andere_regio_kunnen_niet_genereren(
    client, zuid_holland_zuid, bestuurder, buitenstaander, nep_batch
):
    client.force_login(bestuurder)
    archief = client.get(reverse("rapportage:archief", args=["VT24"])).content.decode()
    assert GENEREREN not in archief
    assert client.post(GENEREREN, {"periode": "2022KW03"}).status_code == 404

    client.force_login(buitenstaander)
    assert client.post(GENEREREN, {"periode": "2022KW03"}).status_code == 404
    assert not RapportTaak.objects.exists()
    assert nep_batch == []


def test_voortgang_alleen_voor_wie_een_rol_in_de_regio_heeft(
    client, zuid_holland_zuid, beleidsmedewerker, bestuurder, buitenstaander, nep_batch
):
    client.force_login(beleidsmedewerker)
    url = client.post(GENEREREN, {"periode": "2022KW03"}).url
    taak = RapportTaak.objects.get()
    pdf = reverse("rapportage:taak_pdf", args=[taak.pk, "VT24"])

    client.force_login(bestuurder)  # a role in the region: may follow along
    assert client.get(url).status_code == 200
    client.force_login(buitenstaander)
    assert client.get(url).status_code == 404
    assert client.get(pdf).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_taak_legt_mislukte_regios_vast(zuid_holland_zuid, beleidsmedewerker, nep_batch):
    taak = RapportTaak.objects.create(periode_id="2022KW03", aangevraagd_door=beleidsmedewerker)

    rapporten_genereren_taak(taak.pk)

    taak.refresh_from_db()
    assert nep_batch[0]["regio_codes"] is None  # no region: all regions
    assert taak.status == TaakStatus.KLAAR
    assert taak.gelukt == ["VT24"]
    assert taak.mislukt == {"VT06": "Geen gegevens voor deze periode."}
    assert taak.huidige_regio == ""


def test_taak_die_als_geheel_faalt_is_mislukt(zuid_holland_zuid, monkeypatch):
    def kapot(**kwargs):
        raise batch.OngeldigRapport("Onbekende regio: VT99.")

    monkeypatch.setattr(batch, "rapporten_genereren", kapot)
    taak = RapportTaak.objects.create(periode_id="2022KW03", regio=zuid_holland_zuid)

    rapporten_genereren_taak(taak.pk)

    taak.refresh_from_db()
    assert taak.status == TaakStatus.MISLUKT
    assert taak.mislukt == {"VT24": "Onbekende regio: VT99."}
    assert taak.klaar_op is not None


def test_taak_die_te_lang_duurt_stopt_de_hele_batch(zuid_holland_zuid, monkeypatch):
    """Celery's soft time limit in the middle of a region stops the batch (not only that
    region), and the progress page says why instead of showing 'bezig' forever."""
    from celery.exceptions import SoftTimeLimitExceeded

    gebouwd = []

    def traag(regio, code, soort):
        gebouwd.append(regio.code)
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(batch, "batch_regios", lambda codes: [zuid_holland_zuid] * 3)
    monkeypatch.setattr(batch, "_concept_pdf", traag)
    taak = RapportTaak.objects.create(periode_id="2022KW03", regio=zuid_holland_zuid)

    rapporten_genereren_taak(taak.pk)

    taak.refresh_from_db()
    assert gebouwd == ["VT24"]
    assert taak.status == TaakStatus.MISLUKT
    assert "duurde langer dan 30 minuten" in taak.mislukt["VT24"]
    assert taak.klaar_op is not None


def test_echte_batch_levert_een_downloadbare_pdf(
    client, settings, zuid_holland_zuid, beleidsmedewerker
):
    settings.CELERY_BROKER_URL = ""
    client.force_login(beleidsmedewerker)
    url = client.post(GENEREREN, {"periode": "2022KW03"}).url
    taak = RapportTaak.objects.get()

    assert taak.status == TaakStatus.KLAAR, taak.mislukt
    assert "1 van 1 regio's klaar" in client.get(url).content.decode()
    download = client.get(reverse("rapportage:taak_pdf", args=[taak.pk, "VT24"]))
    assert download.status_code == 200
    assert download.content.startswith(b"%PDF")
    assert "concept_VT24_2022KW03.pdf" in download["Content-Disposition"]
