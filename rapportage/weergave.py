"""Rendering a report snapshot: the context of the template, the HTML document and the PDF.

Everything here reads the snapshot (a plain dict) only, so a published report renders the same
forever, whatever happens to the live data afterwards.
"""

from __future__ import annotations

import datetime as dt

from django.template.loader import get_template, render_to_string
from django.utils.safestring import mark_safe

from rapportage.grafieken import rapportgrafieken
from rapportage.pdf import concept_pdf, html_naar_pdf
from regioaanpak import opmaak


def concept_meta(gegevens: dict) -> dict:
    return {
        "status": "concept",
        "datum": gegevens.get("gemaakt_op_tekst", ""),
        "versie": None,
        "reden": "",
        "concept_gegevens": bool(gegevens.get("bevat_concept")),
    }


def publicatie_meta(*, versie: int, gepubliceerd_op: dt.datetime, reden: str) -> dict:
    from django.utils import timezone

    return {
        "status": f"gepubliceerd, versie {versie}",
        "datum": opmaak.datum(timezone.localtime(gepubliceerd_op).date()),
        "versie": versie,
        "reden": reden,
        "concept_gegevens": False,
    }


def rapport_context(gegevens: dict, meta: dict) -> dict:
    grafieken = rapportgrafieken(gegevens)
    trend = [
        (
            reeks,
            grafieken[f"trend_{reeks['indicator']['code']}"],
            any(p["streefwaarde"] for p in reeks["punten"]),
        )
        for reeks in gegevens.get("trend", [])
    ]
    return {"g": gegevens, "meta": meta, "grafieken": grafieken, "trend": trend}


def _print_css() -> str:
    # The stylesheet is a plain file among the templates; it is ours, never user input.
    bron = get_template("rapportage/rapport_print.css").template.source
    return mark_safe(bron)


def rapport_html_document(gegevens: dict, meta: dict) -> str:
    context = {**rapport_context(gegevens, meta), "print_css": _print_css()}
    return render_to_string("rapportage/rapport_document.html", context)


def rapport_pdf(gegevens: dict, meta: dict) -> bytes:
    """The report as an A4 PDF (WeasyPrint; no network access, everything is inline), within
    the time limit PDF_MAX_SECONDEN (rapportage.pdf.PdfTeLang)."""
    return html_naar_pdf(rapport_html_document(gegevens, meta))


def concept_rapport_pdf(gegevens: dict) -> bytes:
    """The concept PDF of a snapshot, built once per version of its data."""
    meta = concept_meta(gegevens)
    return concept_pdf(gegevens, meta, lambda: rapport_pdf(gegevens, meta))
