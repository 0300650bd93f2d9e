"""The risk profile page of a region: the table, the ranking, the signalling scatter, and the
upload of factors (preview, then all or nothing) and of an analyst's own meldingen table."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from monitoring.grafieken.risicoprofiel import profieltabel, signaleringsgrafiek
from monitoring.models import Gegevenslevering
from monitoring.selectors.organisaties import aanleververdeling
from monitoring.selectors.risicoprofiel import (
    meldingen_uit_cijfers,
    risicoprofiel,
    signalering,
)
from monitoring.services.risicofactoren import (
    meldingen_lezen,
    risicofactoren_controleer,
    risicofactoren_importeer,
)
from regioaanpak.choices import RolSoort, WorkflowStatus
from regioaanpak.inzage import inzage
from regioaanpak.middleware import invoergrens
from regioaanpak.perioden import PeriodeCode
from regioaanpak.tabellen import Grenzen, mb, te_groot
from regioaanpak.toegang import heeft_rol, regio_of_404

SESSIE = "monitoring_risicofactoren_upload"
UPLOADERS = (RolSoort.PROJECTLEIDER, RolSoort.BELEIDSMEDEWERKER, RolSoort.BEHEERDER)

VOORBEHOUD = [
    "Een lager aantal meldingen dan de risicoscore doet verwachten kan betekenen dat de "
    "signaleringsstructuur niet goed werkt: niet alle signalen worden gemeld.",
    "Het kan ook een goed teken zijn: de lokale teams handelen meer zelf af, zodat doorgeleiding "
    "naar Veilig Thuis of escalatie minder vaak nodig is.",
    "De bronnen over risicofactoren kunnen gebrekkig zijn: komt een factor waarover geen "
    "betrouwbare gegevens zijn veel voor in een gemeente, dan is de werkelijke risicoscore hoger.",
    "Alle factoren wegen even zwaar, terwijl de ene factor in werkelijkheid sterker samenhangt "
    "met huiselijk geweld en kindermishandeling dan de andere.",
]


def _perioden(regio) -> list[PeriodeCode]:
    """Quarters with approved figures, and the years of which all four quarters are approved."""
    kwartalen = {
        PeriodeCode.parse(p)
        for p in Gegevenslevering.objects.filter(
            regio=regio,
            workflow_status=WorkflowStatus.GOEDGEKEURD,
            periode__soort="KW",
            # The risk profile reads Veilig Thuis's reports: its delivery decides.
            organisatie_id=aanleververdeling().standaard,
        ).values_list("periode_id", flat=True)
    }
    jaren = {
        PeriodeCode.heel_jaar(k.jaar)
        for k in kwartalen
        if set(PeriodeCode.heel_jaar(k.jaar).kwartalen()) <= kwartalen
    }
    return sorted(jaren | kwartalen, reverse=True)


def uit_bestand_of_ruw(request, regio_obj, meldingen_bestand) -> bool:
    """The meldingen are the analyst's own table or raw for this viewer (no legend needed)."""
    return meldingen_bestand is not None or inzage(request).is_ruw(regio_obj.code)


def _pagina(request, regio_obj, *, meldingen_bestand=None, fouten=(), status: int = 200):
    profiel = risicoprofiel(regio_obj)
    perioden = _perioden(regio_obj)
    gekozen = request.GET.get("periode", "")
    periode = next((p for p in perioden if p.code == gekozen), perioden[0] if perioden else None)
    grafiek = None
    if profiel.factoren:
        if meldingen_bestand is not None:
            bron = "uit het geüploade bestand"
            waarden = meldingen_bestand
        elif periode is not None:
            bron = f"Veilig Thuis, {periode.label}, goedgekeurde cijfers"
            waarden = meldingen_uit_cijfers(profiel, periode.code, inzage(request))
        else:
            bron, waarden = "", {}
        if waarden:
            grafiek = signaleringsgrafiek(signalering(profiel, waarden), bron)
    return render(
        request,
        "monitoring/risicoprofiel.html",
        {
            "regio": regio_obj,
            "profiel": profiel,
            "tabel": profieltabel(profiel),
            "grafiek": grafiek,
            "perioden": perioden,
            "periode": periode,
            "uit_bestand": meldingen_bestand is not None,
            "fouten": fouten,
            "mag_uploaden": heeft_rol(request.user, regio_obj, *UPLOADERS),
            "max_risico": mb(Grenzen.risico().bytes),
            "afgeschermd": not uit_bestand_of_ruw(request, regio_obj, meldingen_bestand),
            "voorbehoud": VOORBEHOUD,
        },
        status=status,
    )


@login_required
@require_GET
def risicoprofiel_pagina(request: HttpRequest, regio: str) -> HttpResponse:
    return _pagina(request, regio_of_404(request.user, regio))


def _bestand(request, regio_obj):
    """The uploaded file's content, or the page with the reason why there is none."""
    bestand = request.FILES.get("bestand")
    if bestand is None:
        return None, _pagina(request, regio_obj, fouten=["Kies een CSV-bestand."], status=400)
    fout = te_groot(bestand.size, Grenzen.risico())
    if fout is not None:
        return None, _pagina(request, regio_obj, fouten=[fout.reden], status=400)
    return bestand, None


@invoergrens("INVOER_MAX_RISICO_MB")
@login_required
@require_POST
def risicoprofiel_meldingen(request: HttpRequest, regio: str) -> HttpResponse:
    """An analyst's own table of meldingen per 1.000: used for this page only, never stored.
    For the roles that may upload, like the factors."""
    regio_obj = regio_of_404(request.user, regio, *UPLOADERS)
    bestand, weigering = _bestand(request, regio_obj)
    if weigering is not None:
        return weigering
    waarden, fouten = meldingen_lezen(bestand.read(), risicoprofiel(regio_obj))
    if fouten:
        return _pagina(request, regio_obj, fouten=[str(f) for f in fouten], status=400)
    return _pagina(request, regio_obj, meldingen_bestand=waarden)


@invoergrens("INVOER_MAX_RISICO_MB")
@login_required
@require_POST
def risicofactoren_upload(request: HttpRequest, regio: str) -> HttpResponse:
    regio_obj = regio_of_404(request.user, regio, *UPLOADERS)
    request.session.pop(SESSIE, None)
    bestand, weigering = _bestand(request, regio_obj)
    if weigering is not None:
        return weigering
    inhoud = bestand.read()
    resultaat = risicofactoren_controleer(regio=regio_obj, inhoud=inhoud)
    tekst = ""
    if resultaat.geldig:
        tekst = inhoud.decode("utf-8-sig")
        request.session[SESSIE] = {"regio": regio_obj.code, "inhoud": tekst}
    return render(
        request,
        "monitoring/risicofactoren_upload.html",
        {"regio": regio_obj, "resultaat": resultaat, "bestandsnaam": bestand.name},
        status=200 if resultaat.geldig else 400,
    )


@login_required
@require_POST
def risicofactoren_bevestigen(request: HttpRequest, regio: str) -> HttpResponse:
    regio_obj = regio_of_404(request.user, regio, *UPLOADERS)
    bewaard = request.session.pop(SESSIE, None)
    if not bewaard or bewaard.get("regio") != regio_obj.code:
        messages.error(request, "Er is geen gecontroleerd bestand meer; upload het opnieuw.")
        return redirect(reverse("monitoring:risicoprofiel", args=[regio_obj.code]))
    resultaat = risicofactoren_importeer(
        regio=regio_obj, inhoud=bewaard["inhoud"], gebruiker=request.user
    )
    if resultaat.geldig:
        messages.success(request, f"Risicofactoren opgeslagen: {resultaat.samenvatting()}.")
    else:
        messages.error(request, "Er is niets opgeslagen: de gegevens zijn intussen veranderd.")
    return redirect(reverse("monitoring:risicoprofiel", args=[regio_obj.code]))
