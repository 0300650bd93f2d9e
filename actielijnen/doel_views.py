"""The doelbereik page of a region: its approach's goal tree with the state of every effect,
and the yearly judgements of qualitative effects (written, submitted and approved here)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from actielijnen.choices import Oordeel
from actielijnen.doelbereik import doelbereik, huidige_regioaanpak
from actielijnen.forms import OvergangForm
from actielijnen.models import Effectoordeel, StrategischDoel
from actielijnen.oordelen import effectoordeel_opslaan, oordeel_jaren
from actielijnen.weergave import effectregel
from regioaanpak.choices import RolSoort, WorkflowStatus
from regioaanpak.inzage import inzage
from regioaanpak.toegang import heeft_rol, regio_of_404
from regioaanpak.workflow import WorkflowFout, workflow_overgang

GESLAAGD = {
    WorkflowStatus.INGEDIEND: "Het oordeel is ingediend.",
    WorkflowStatus.GOEDGEKEURD: "Het oordeel is goedgekeurd.",
    WorkflowStatus.TERUGGESTUURD: "Het oordeel is teruggestuurd.",
    WorkflowStatus.CONCEPT: "Het oordeel kan weer worden bewerkt.",
}


@login_required
@require_GET
def doelbereik_pagina(request: HttpRequest, regio: str) -> HttpResponse:
    regio_obj = regio_of_404(request.user, regio)
    aanpak = huidige_regioaanpak(regio_obj.code)
    beleid = inzage(request)
    stand = doelbereik(aanpak, inzage=beleid) if aanpak is not None else None
    schrijft = heeft_rol(request.user, regio_obj.code, RolSoort.BELEIDSMEDEWERKER)
    impacts = []
    for impact in stand.impacts if stand else []:
        doelen = []
        for d in impact.doelen:
            doelen.append(
                {
                    "doel": d.doel,
                    "actielijnen": list(d.doel.actielijnen.all()),
                    "effecten": [effectregel(e) for e in d.effecten],
                    "oordelen": [
                        {
                            "oordeel": o,
                            "overgangen": o.toegestane_overgangen(request.user),
                        }
                        for o in d.oordelen
                    ],
                    "jaren": oordeel_jaren(d.doel) if schrijft else [],
                }
            )
        impacts.append({"impact": impact.impact, "doelen": doelen})
    return render(
        request,
        "actielijnen/doelbereik.html",
        {
            "regio": regio_obj,
            "aanpak": aanpak,
            "impacts": impacts,
            "schrijft": schrijft,
            "oordelen": Oordeel.choices,
            "afgeschermd": bool(stand and stand.afgeschermd),
            "tot": stand.tot if stand else None,
        },
    )


def _doel_of_404(request, regio: str, doel: int) -> StrategischDoel:
    regio_obj = regio_of_404(request.user, regio)
    return get_object_or_404(
        StrategischDoel.objects.select_related("impact__regioaanpak__regio"),
        pk=doel,
        impact__regioaanpak__regio=regio_obj,
    )


@login_required
@require_POST
def oordeel_opslaan(request: HttpRequest, regio: str, doel: int) -> HttpResponse:
    doel_obj = _doel_of_404(request, regio, doel)
    try:
        jaar = int(request.POST.get("jaar", ""))
    except ValueError:
        jaar = 0
    try:
        effectoordeel_opslaan(
            gebruiker=request.user,
            doel=doel_obj,
            jaar=jaar,
            oordeel=request.POST.get("oordeel", ""),
            motivering=request.POST.get("motivering", "")[:20_000],
        )
    except ValidationError as fout:
        for meldingen in fout.message_dict.values():
            for melding in meldingen:
                messages.error(request, f"Doel {doel_obj.nummer}: {melding}")
    except WorkflowFout as fout:
        messages.error(request, str(fout))
    else:
        messages.success(
            request, f"Oordeel over doel {doel_obj.nummer} ({jaar}) opgeslagen als concept."
        )
    return redirect("actielijnen:doelbereik", regio=regio)


@login_required
@require_POST
def oordeel_overgang(request: HttpRequest, regio: str, oordeel: int) -> HttpResponse:
    regio_obj = regio_of_404(request.user, regio)
    if not inzage(request).mag_onvoltooid(regio_obj.code):
        raise Http404("Oordeel niet gevonden.")
    obj = get_object_or_404(Effectoordeel, pk=oordeel, doel__impact__regioaanpak__regio=regio_obj)
    form = OvergangForm(request.POST)
    if not form.is_valid():
        for meldingen in form.errors.values():
            for melding in meldingen:
                messages.error(request, melding)
    else:
        naar = form.cleaned_data["naar"]
        try:
            workflow_overgang(
                obj=obj, naar=naar, gebruiker=request.user, reden=form.cleaned_data["reden"]
            )
        except WorkflowFout as fout:
            messages.error(request, str(fout))
        else:
            messages.success(request, GESLAAGD[naar])
    return redirect("actielijnen:doelbereik", regio=regio)
