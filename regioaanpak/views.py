import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from actielijnen.selectors import regioaanpakken_overzicht
from regioaanpak.models import Gemeente
from regioaanpak.overzicht import standaard_kwartaal, taken_van, volledigheid
from regioaanpak.perioden import OngeldigePeriode, PeriodeCode
from regioaanpak.selectors import regios_van_gebruiker
from regioaanpak.toegang import regio_of_404


def periode_of_404(code: str) -> PeriodeCode:
    try:
        return PeriodeCode.parse(code)
    except OngeldigePeriode as exc:
        raise Http404(exc.messages[0]) from exc


@login_required
def home(request: HttpRequest) -> HttpResponse:
    regios = regios_van_gebruiker(request.user)
    kwartaal, taken = taken_van(request.user)
    return render(
        request,
        "regioaanpak/home.html",
        {
            "overzicht": regioaanpakken_overzicht(regios=regios),
            "regios": regios,
            "kwartaal": kwartaal,
            "taken": taken,
            "eigen_gemeenten": Gemeente.objects.filter(rollen__gebruiker=request.user)
            .distinct()
            .order_by("naam"),
        },
    )


@login_required
def regio(request: HttpRequest, regio: str) -> HttpResponse:
    gevonden = regio_of_404(request.user, regio)
    return redirect("volledigheid", regio, standaard_kwartaal(gevonden, dt.date.today()).code)


@login_required
def volledigheid_pagina(request: HttpRequest, regio: str, periode: str) -> HttpResponse:
    gevonden = regio_of_404(request.user, regio)
    code = periode_of_404(periode)
    stand = volledigheid(gevonden, code.code)
    return render(
        request,
        "regioaanpak/volledigheid.html",
        {
            "stand": stand,
            "regio": gevonden,
            "periode": code,
            "vorige": code.vorige(),
            "volgende": code.volgende(),
        },
    )
