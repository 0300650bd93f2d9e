"""A PDF within its time limit, and concept PDFs built once per version of their data."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse

from rapportage import weergave
from rapportage.pdf import PdfTeLang, html_naar_pdf, versiesleutel

pytestmark = pytest.mark.django_db

CONCEPT = ["VT24", "2022KW03", "kwartaal"]


def test_pdf_binnen_de_tijd():
    pdf = html_naar_pdf("<html><body><h1>Rapport</h1></body></html>")
    assert pdf.startswith(b"%PDF-")


def test_te_trage_pdf_wordt_gestopt_met_een_melding():
    zwaar = "<html><body>" + "<p>Lang verhaal over de voortgang.</p>" * 40_000 + "</body></html>"
    with pytest.raises(PdfTeLang) as fout:
        html_naar_pdf(zwaar, limiet=0.5)
    assert "duurde langer dan 0,5 seconden en is gestopt" in str(fout.value)
    # The child was killed and reaped: no process of ours is left behind.
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_fout_bij_het_maken_komt_terug_als_melding(monkeypatch):
    from rapportage import pdf

    def kapot(_document):
        raise ValueError("lettertype ontbreekt")

    monkeypatch.setattr(pdf, "_render", kapot)
    with pytest.raises(RuntimeError, match="ValueError: lettertype ontbreekt"):
        html_naar_pdf("<p>x</p>")


def test_versiesleutel_negeert_het_moment_maar_niet_de_cijfers():
    a = {"gemaakt_op": "2026-12-01T10:00", "cijfer": 412}
    b = {"gemaakt_op": "2026-12-02T11:00", "cijfer": 412}
    c = {"gemaakt_op": "2026-12-01T10:00", "cijfer": 413}
    meta = {"status": "concept", "datum": "1 december 2026"}
    assert versiesleutel(a, meta) == versiesleutel(b, {**meta, "datum": "2 december 2026"})
    assert versiesleutel(a, meta) != versiesleutel(c, meta)


def test_concept_pdf_een_keer_per_versie_van_de_gegevens(client, beleidsmedewerker, monkeypatch):
    """Asking again serves the stored file; a changed progress update makes a new one."""
    from actielijnen.models import Voortgangsupdate

    gemaakt = []
    echt = weergave.rapport_pdf

    def tellen(gegevens, meta):
        gemaakt.append(1)
        return echt(gegevens, meta)

    monkeypatch.setattr(weergave, "rapport_pdf", tellen)
    client.force_login(beleidsmedewerker)
    url = reverse("rapportage:concept_pdf", args=CONCEPT)
    eerste = client.get(url)
    tweede = client.get(url)
    assert eerste.status_code == tweede.status_code == 200
    assert eerste.content == tweede.content
    assert len(gemaakt) == 1

    update = Voortgangsupdate.objects.filter(periode_id="2022KW03").first()
    assert update is not None
    Voortgangsupdate.objects.filter(pk=update.pk).update(toelichting="Nieuwe stand van zaken.")
    derde = client.get(url)
    assert len(gemaakt) == 2
    assert derde.content != eerste.content


def test_te_trage_concept_pdf_geeft_een_nederlandse_pagina(client, beleidsmedewerker, settings):
    settings.PDF_MAX_SECONDEN = 0.01
    client.force_login(beleidsmedewerker)
    antwoord = client.get(reverse("rapportage:concept_pdf", args=CONCEPT))
    assert antwoord.status_code == 503
    html = antwoord.content.decode()
    assert "PDF niet gemaakt" in html and "duurde langer dan" in html
