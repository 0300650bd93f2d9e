import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from actielijnen.selectors import regioaanpakken_overzicht
from regioaanpak.choices import RolSoort
from regioaanpak.inzage import ONVOLTOOID_ROLLEN, inzage
from regioaanpak.models import Gemeente, VierOgenUitzondering
from regioaanpak.overzicht import standaard_kwartaal, volledigheid
from regioaanpak.perioden import OngeldigePeriode, PeriodeCode, laatste_volledige_kwartaal
from regioaanpak.selectors import regios_van_gebruiker
from regioaanpak.services import (
    VierOgenFout,
    vier_ogen_uitzondering_intrekken,
    vier_ogen_uitzondering_toestaan,
)
from regioaanpak.toegang import heeft_rol, regio_of_404
from regioaanpak.werklijst import werklijst


def periode_of_404(code: str) -> PeriodeCode:
    try:
        return PeriodeCode.invoer(code)
    except OngeldigePeriode as exc:
        raise Http404(exc.messages[0]) from exc


def metriek(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics (django-prometheus), for a scraper that sends METRIEK_TOKEN; without
    METRIEK_TOKEN there is nothing here."""
    import secrets

    from django.conf import settings

    if not settings.METRIEK_TOKEN:
        raise Http404("Geen metrieken ingesteld.")
    from django_prometheus.exports import ExportToDjangoView

    verwacht = f"Bearer {settings.METRIEK_TOKEN}"
    gegeven = request.headers.get("Authorization", "").encode("utf-8", "surrogateescape")
    if not secrets.compare_digest(gegeven, verwacht.encode("utf-8")):
        return HttpResponse("Geen toegang.", status=403, content_type="text/plain")
    return ExportToDjangoView(request)


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on every page: the app's own icon, not a 404."""
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.http import HttpResponsePermanentRedirect

    return HttpResponsePermanentRedirect(staticfiles_storage.url("favicon.svg"))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    regios = regios_van_gebruiker(request.user)
    beleid = inzage(request)
    overzicht = regioaanpakken_overzicht(regios=regios)
    laatst = laatste_volledige_kwartaal(dt.date.today())
    for aanpak in overzicht:
        # The quarter a project's link opens on: the last one, within the approach's term.
        aanpak.kwartaal = min(laatst, PeriodeCode.van_datum(aanpak.looptijd_tot))
    return render(
        request,
        "regioaanpak/home.html",
        {
            "overzicht": overzicht,
            "regios": regios,
            "werk": werklijst(request),
            "eigen_gemeenten": Gemeente.objects.filter(rollen__gebruiker=request.user)
            .distinct()
            .order_by("naam"),
            # Where the user enters or reviews: the workflow pages (grid, completeness).
            "invoer_regios": {r.code for r in regios if beleid.mag_onvoltooid(r.code)},
            "schrijf_regios": {r.code for r in regios if beleid.mag_schrijven(r.code)},
        },
    )


@login_required
def regio(request: HttpRequest, regio: str) -> HttpResponse:
    """A region's page: its completeness for those who enter or review its data, else its
    dashboard."""
    gevonden = regio_of_404(request.user, regio)
    if not inzage(request).mag_onvoltooid(gevonden.code):
        return redirect("monitoring:regiodashboard", gevonden.code)
    return redirect("volledigheid", regio, standaard_kwartaal(gevonden, dt.date.today()).code)


@login_required
def volledigheid_pagina(request: HttpRequest, regio: str, periode: str) -> HttpResponse:
    """What is filled in and submitted: a workflow page for those who enter or review (it
    shows the state of unapproved work)."""
    gevonden = regio_of_404(request.user, regio, *ONVOLTOOID_ROLLEN)
    code = periode_of_404(periode)
    stand = volledigheid(gevonden, code.code, inzage=inzage(request))
    return render(
        request,
        "regioaanpak/volledigheid.html",
        {
            "stand": stand,
            "regio": gevonden,
            "periode": code,
            "vorige": code.vorige(),
            "volgende": code.volgende(),
            "mag_vier_ogen": heeft_rol(request.user, gevonden, RolSoort.BEHEERDER),
        },
    )


@login_required
def vier_ogen(request: HttpRequest, regio: str) -> HttpResponse:
    """The four-eyes rule of a region: a beheerder records or withdraws an exception."""
    gevonden = regio_of_404(request.user, regio, RolSoort.BEHEERDER)
    fout = ""
    if request.method == "POST":
        reden = request.POST.get("reden", "")
        try:
            if request.POST.get("actie") == "intrekken":
                vier_ogen_uitzondering_intrekken(
                    regio=gevonden, gebruiker=request.user, reden=reden
                )
                messages.success(request, "Het vier-ogenprincipe geldt weer zonder uitzondering.")
            else:
                vier_ogen_uitzondering_toestaan(regio=gevonden, gebruiker=request.user, reden=reden)
                messages.success(
                    request,
                    "De uitzondering is vastgelegd: wie iets indient, mag het in deze regio ook "
                    "zelf goedkeuren. Dat staat bij elke goedkeuring in het auditlog.",
                )
        except VierOgenFout as exc:
            fout = str(exc)
        else:
            return redirect("vier_ogen", gevonden.code)
    return render(
        request,
        "regioaanpak/vier_ogen.html",
        {
            "regio": gevonden,
            "uitzondering": VierOgenUitzondering.objects.filter(regio=gevonden)
            .select_related("toegestaan_door")
            .first(),
            "fout": fout,
        },
        status=400 if fout else 200,
    )
