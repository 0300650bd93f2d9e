"""The page where a region compares its own figures with CBS StatLine's."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from monitoring.grafieken.basis import cijfer_tekst
from monitoring.selectors.cbs_vergelijking import cbs_vergelijking
from regioaanpak import opmaak
from regioaanpak.inzage import inzage
from regioaanpak.toegang import regio_of_404


def _verschil(rij) -> str:
    if rij.verschil is None:
        return "–"
    tekst = opmaak.getal(rij.verschil, 0)
    if rij.verschil > 0:
        tekst = f"+{tekst}"
    if rij.verschil_procent is not None:
        tekst += f" ({opmaak.verandering(rij.verschil_procent, 1)})"
    return tekst


@login_required
@require_GET
def cbs_vergelijking_pagina(request: HttpRequest, regio: str) -> HttpResponse:
    regio_obj = regio_of_404(request.user, regio)
    vergelijking = cbs_vergelijking(regio_obj, inzage=inzage(request))
    rijen = [
        {
            "periode": r.periode,
            "gebied": r.gebied,
            "naam": r.naam,
            "is_regio": r.gebied == regio_obj.code,
            "indicator": r.indicator,
            "eigen": cijfer_tekst(r.eigen, r.indicator),
            "cbs": cijfer_tekst(r.cbs, r.indicator),
            "verschil": _verschil(r),
            "groot": r.opvallend,
        }
        for r in vergelijking.rijen
    ]
    return render(
        request,
        "monitoring/cbs_vergelijking.html",
        {"regio": regio_obj, "vergelijking": vergelijking, "rijen": rijen},
    )
