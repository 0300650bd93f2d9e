"""Pages of the figures per region and period: the entry grid, upload and workflow buttons."""

from __future__ import annotations

import json
import secrets
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from monitoring.forms import (
    OvergangFormulier,
    UploadFormulier,
    cijfer_tekst,
    geschiedenis_regels,
    grid_cellen,
    grid_rijen,
    grid_versie,
)
from monitoring.models import Gegevenslevering
from monitoring.selectors import gegevensgrid
from monitoring.selectors.organisaties import aanleververdeling
from monitoring.services import (
    GridResultaat,
    ImportFout,
    ImportResultaat,
    gegevensgrid_opslaan,
    mag_cijfers_bewerken,
    waarnemingen_importeer,
    waarnemingen_lees_bestand,
)
from regioaanpak import opmaak
from regioaanpak.berichten import mail_teruggestuurd
from regioaanpak.choices import WorkflowStatus
from regioaanpak.inzage import inzage
from regioaanpak.middleware import invoergrens
from regioaanpak.models import Regio
from regioaanpak.overzicht import standaard_kwartaal
from regioaanpak.perioden import OngeldigePeriode, PeriodeCode
from regioaanpak.tabellen import Grenzen, mb
from regioaanpak.toegang import regio_of_404
from regioaanpak.workflow import WorkflowFout, workflow_overgang

UPLOAD_SESSIE = "monitoring_gegevens_upload"
OVERGANG_BERICHTEN = {
    WorkflowStatus.INGEDIEND: "De cijfers over %(periode)s zijn ingediend ter beoordeling.",
    WorkflowStatus.GOEDGEKEURD: "De cijfers over %(periode)s zijn goedgekeurd en vergrendeld.",
    WorkflowStatus.TERUGGESTUURD: "De cijfers over %(periode)s zijn teruggestuurd.",
    WorkflowStatus.CONCEPT: "De cijfers over %(periode)s kunnen weer worden gewijzigd.",
}


def _regio_en_periode(request: HttpRequest, regio: str, periode: str) -> tuple[Regio, PeriodeCode]:
    gevonden = regio_of_404(request.user, regio)
    try:
        return gevonden, PeriodeCode.invoer(periode)
    except OngeldigePeriode:
        raise Http404("Onbekende periode.") from None


def _grid_url(regio: Regio, periode: PeriodeCode, organisatie: str | None = None) -> str:
    """The grid of the region and period; of another organisation than the standard one with
    `?organisatie=`."""
    url = reverse("monitoring:gegevensgrid", args=[regio.code, periode.code])
    return url + _org_query(organisatie) if organisatie else url


def _wat(levering: Gegevenslevering, regio: Regio, periode: PeriodeCode) -> str:
    """What a returned delivery is, for the e-mail: another organisation's by name."""
    van = "" if levering.organisatie.standaard else f" van {levering.organisatie.naam}"
    return f"de cijfers{van} van {regio.naam} over {periode.label}"


def _org_query(organisatie: str) -> str:
    if organisatie == aanleververdeling().standaard:
        return ""
    return "?" + urlencode({"organisatie": organisatie})


def _organisatie(request: HttpRequest, regio: Regio) -> str:
    """The organisation whose delivery the page is about (`organisatie` in the query string or
    the form; the standard one when absent): one that delivers for the region, or a 404."""
    code = request.POST.get("organisatie") or request.GET.get("organisatie") or ""
    verdeling = aanleververdeling()
    if not code:
        return verdeling.standaard
    if code not in {o.code for o in verdeling.organisaties_in(regio.code)}:
        raise Http404("Deze organisatie levert geen cijfers voor deze regio.")
    return code


def _geen_toegang(
    request: HttpRequest, regio: Regio, *, alleen_bekijken: bool = True
) -> HttpResponse:
    return render(
        request,
        "monitoring/geen_toegang.html",
        {"regio": regio, "alleen_bekijken": alleen_bekijken},
        status=403,
    )


def _mag_grid_zien(request: HttpRequest, regio: Regio) -> bool:
    """The grid shows unapproved figures: only for those who enter or review them."""
    return inzage(request).mag_onvoltooid(regio.code)


def _toon_grid(
    request: HttpRequest,
    regio: Regio,
    periode: PeriodeCode,
    *,
    data=None,
    resultaat: GridResultaat | None = None,
    upload_formulier: UploadFormulier | None = None,
    status: int = 200,
) -> HttpResponse:
    organisatie = _organisatie(request, regio)
    grid = gegevensgrid(
        regio=regio, periode=periode, inzage=inzage(request), organisatie=organisatie
    )
    levering = grid.levering
    rijen = grid_rijen(
        grid, data=data, resultaat=resultaat, toelichting_voor=request.GET.get("toelichting", "")
    )
    mag_bewerken = mag_cijfers_bewerken(request.user, regio)
    open_voor_wijziging = levering is None or levering.is_bewerkbaar
    return render(
        request,
        "monitoring/gegevensgrid.html",
        {
            "regio": regio,
            "periode": periode,
            "grid": grid,
            "levering": levering,
            "rijen": rijen,
            # Every cell with an error, at the top, each linking to its cell.
            "celfouten": [cel for rij in rijen for cel in rij.cellen if cel.fout],
            "resultaat": resultaat,
            "bewerkbaar": mag_bewerken and open_voor_wijziging,
            "mag_bewerken": mag_bewerken,
            "beoordeeld_op": opmaak.tijdstip(levering.beoordeeld_op)
            if levering and levering.beoordeeld_op
            else "",
            "ingediend_op": opmaak.tijdstip(levering.ingediend_op)
            if levering and levering.ingediend_op
            else "",
            "laatste_opslag": opmaak.tijdstip(grid.laatste_opslag.tijdstip)
            if grid.laatste_opslag
            else "",
            "overgangen": levering.knoppen(request.user) if levering else [],
            "geschiedenis": geschiedenis_regels(grid.geschiedenis),
            "upload_formulier": upload_formulier or UploadFormulier(),
            "vorige_periode": periode.vorige(),
            "volgende_periode": periode.volgende(),
            "organisatie": grid.context.organisatie,
            "organisaties": [
                {
                    "organisatie": o,
                    "levering": grid.leveringen.get(o.code),
                    "url": _grid_url(regio, periode, o.code),
                    "gekozen": o.code == organisatie,
                }
                for o in grid.context.organisaties
            ],
            "andere_organisaties": len(grid.context.organisaties) > 1,
            "org_query": _org_query(organisatie),
        },
        status=status,
    )


@login_required
@require_GET
def gegevensgrid_start(request: HttpRequest, regio: str) -> HttpResponse:
    """The grid of the last complete quarter (or the last of the approach's term)."""
    gevonden = regio_of_404(request.user, regio)
    if not _mag_grid_zien(request, gevonden):
        return _geen_toegang(request, gevonden, alleen_bekijken=False)
    return redirect(_grid_url(gevonden, standaard_kwartaal(gevonden, timezone.localdate())))


@login_required
@require_http_methods(["GET", "POST"])
def gegevensgrid_pagina(request: HttpRequest, regio: str, periode: str) -> HttpResponse:
    """GET shows the grid (read-only for roles that do not enter figures); POST saves it."""
    regio_obj, periode_code = _regio_en_periode(request, regio, periode)
    if not _mag_grid_zien(request, regio_obj):
        return _geen_toegang(request, regio_obj, alleen_bekijken=False)
    if request.method == "GET":
        organisatie = _organisatie(request, regio_obj)
        gekozen = request.GET.get("periode")
        if gekozen is not None:
            try:
                return redirect(_grid_url(regio_obj, PeriodeCode.invoer(gekozen), organisatie))
            except OngeldigePeriode as exc:
                messages.error(request, exc.messages[0])
                return redirect(_grid_url(regio_obj, periode_code, organisatie))
        if periode != periode_code.code:
            return redirect(_grid_url(regio_obj, periode_code, organisatie))
        return _toon_grid(request, regio_obj, periode_code)

    if not mag_cijfers_bewerken(request.user, regio_obj):
        return _geen_toegang(request, regio_obj)
    organisatie = _organisatie(request, regio_obj)
    resultaat = gegevensgrid_opslaan(
        regio=regio_obj,
        periode=periode_code.code,
        cellen=grid_cellen(request.POST),
        versie=grid_versie(request.POST),
        gebruiker=request.user,
        organisatie=organisatie,
    )
    if resultaat.opgeslagen:
        messages.success(request, resultaat.samenvatting())
        return redirect(_grid_url(regio_obj, periode_code, organisatie))
    return _toon_grid(request, regio_obj, periode_code, data=request.POST, resultaat=resultaat)


def _upload_weergave(
    resultaat: ImportResultaat, ruwe_rijen: list[dict]
) -> tuple[list[dict], list[ImportFout]]:
    """Preview rows as written in the file with their Dutch outcome, and errors of no row."""
    ruw = {int(r["__regel__"]): r for r in ruwe_rijen}
    per_regel: dict[int, list[str]] = {}
    for fout in resultaat.fouten:
        per_regel.setdefault(fout.regel, []).append(str(fout))
    regels = {rij.regel for rij in resultaat.rijen}
    rijen = []
    for rij in resultaat.rijen:
        rijen.append(
            {
                "rij": rij,
                "bron": ruw.get(rij.regel, {}),
                "waarde": cijfer_tekst(rij.waarde, rij.status),
                "vorige": cijfer_tekst(rij.vorige_waarde, rij.vorige_status)
                if rij.vorige_status
                else "",
                "fouten": per_regel.get(rij.regel, []),
            }
        )
    los = [f for f in resultaat.fouten if f.regel not in regels]
    return rijen, los


def _toon_upload(
    request: HttpRequest,
    regio: Regio,
    periode: PeriodeCode,
    resultaat: ImportResultaat,
    *,
    ruwe_rijen: list[dict],
    bestandsnaam: str,
    token: str = "",
) -> HttpResponse:
    rijen, losse_fouten = _upload_weergave(resultaat, ruwe_rijen)
    aantal_fout = sum(1 for r in rijen if r["fouten"]) + len(losse_fouten)
    # A page shows at most MAX_VOORVERTONING rows (of a longer file with errors, only the wrong
    # ones): a file of 20.000 wrong rows is a message, not a page of 400 MB.
    getoond = rijen
    if aantal_fout and len(rijen) > MAX_VOORVERTONING:
        getoond = [r for r in rijen if r["fouten"]]
    return render(
        request,
        "monitoring/gegevens_upload.html",
        {
            "regio": regio,
            "periode": periode,
            "resultaat": resultaat,
            "rijen": getoond[:MAX_VOORVERTONING],
            "aantal_rijen": len(rijen),
            "niet_getoond": max(0, len(getoond) - MAX_VOORVERTONING),
            "alleen_fouten": getoond is not rijen,
            "losse_fouten": losse_fouten[:MAX_VOORVERTONING],
            "aantal_fout": aantal_fout,
            "bestandsnaam": bestandsnaam,
            "token": token,
            "organisatie": _organisatie(request, regio),
            "org_query": _org_query(_organisatie(request, regio)),
        },
        status=200 if resultaat.geldig else 400,
    )


MAX_VOORVERTONING = 500


@invoergrens("INVOER_MAX_UPLOAD_MB")
@login_required
@require_POST
def gegevens_upload(request: HttpRequest, regio: str, periode: str) -> HttpResponse:
    """Step 1: read the file and show what saving it would do; nothing is saved."""
    regio_obj, periode_code = _regio_en_periode(request, regio, periode)
    if not mag_cijfers_bewerken(request.user, regio_obj):
        return _geen_toegang(request, regio_obj)
    formulier = UploadFormulier(request.POST, request.FILES)
    if not formulier.is_valid():
        return _toon_grid(request, regio_obj, periode_code, upload_formulier=formulier)
    bestand = formulier.cleaned_data["bestand"]
    organisatie = _organisatie(request, regio_obj)
    request.session.pop(UPLOAD_SESSIE, None)
    rijen, fouten = waarnemingen_lees_bestand(bestand.read(), bestand.name, Grenzen.upload())
    if fouten:
        resultaat = ImportResultaat(fouten=fouten)
    else:
        resultaat = waarnemingen_importeer(
            rijen=rijen,
            dry_run=True,
            gebruiker=request.user,
            regio=regio_obj,
            periode=periode_code.code,
            organisatie=organisatie,
        )
    token = ""
    if resultaat.geldig:
        bewaren = {
            "token": secrets.token_urlsafe(16),
            "regio": regio_obj.code,
            "periode": periode_code.code,
            "organisatie": organisatie,
            "bestandsnaam": bestand.name,
            "versie": resultaat.levering_versie,
            "rijen": rijen,
        }
        if len(json.dumps(bewaren)) > Grenzen.upload().bytes:
            formulier.add_error(
                "bestand",
                "De inhoud van het bestand is te groot om te bewaren tot u bevestigt (meer dan "
                f"{mb(Grenzen.upload().bytes)}). Splits het bestand in delen.",
            )
            return _toon_grid(request, regio_obj, periode_code, upload_formulier=formulier)
        request.session[UPLOAD_SESSIE] = bewaren
        token = bewaren["token"]
    return _toon_upload(
        request,
        regio_obj,
        periode_code,
        resultaat,
        ruwe_rijen=rijen,
        bestandsnaam=bestand.name,
        token=token,
    )


@login_required
@require_POST
def gegevens_upload_bevestigen(request: HttpRequest, regio: str, periode: str) -> HttpResponse:
    """Step 2: save every row of the checked file in one transaction, or none."""
    regio_obj, periode_code = _regio_en_periode(request, regio, periode)
    if not mag_cijfers_bewerken(request.user, regio_obj):
        return _geen_toegang(request, regio_obj)
    bewaard = request.session.get(UPLOAD_SESSIE)
    organisatie = _organisatie(request, regio_obj)
    if (
        not bewaard
        or bewaard.get("regio") != regio_obj.code
        or bewaard.get("periode") != periode_code.code
        or bewaard.get("organisatie") != organisatie
        or not secrets.compare_digest(str(bewaard.get("token", "")), request.POST.get("token", ""))
    ):
        messages.error(
            request,
            "Er is geen gecontroleerd bestand zonder fouten om op te slaan. Upload het bestand "
            "opnieuw; er is niets opgeslagen.",
        )
        return redirect(_grid_url(regio_obj, periode_code, organisatie))
    resultaat = waarnemingen_importeer(
        rijen=bewaard["rijen"],
        gebruiker=request.user,
        regio=regio_obj,
        periode=periode_code.code,
        organisatie=organisatie,
        versie=bewaard["versie"],
        omschrijving=f"Bestand {bewaard['bestandsnaam']} geüpload",
    )
    request.session.pop(UPLOAD_SESSIE, None)
    if not resultaat.opgeslagen:
        return _toon_upload(
            request,
            regio_obj,
            periode_code,
            resultaat,
            ruwe_rijen=bewaard["rijen"],
            bestandsnaam=bewaard["bestandsnaam"],
        )
    messages.success(
        request,
        f"Het bestand {bewaard['bestandsnaam']} is opgeslagen: {resultaat.samenvatting()}.",
    )
    return redirect(_grid_url(regio_obj, periode_code, organisatie))


@login_required
@require_POST
def gegevens_overgang(request: HttpRequest, regio: str, periode: str) -> HttpResponse:
    """Submit, approve, return or unlock the delivery; the workflow table decides who may."""
    regio_obj, periode_code = _regio_en_periode(request, regio, periode)
    if not _mag_grid_zien(request, regio_obj):
        raise Http404("Levering niet gevonden.")
    formulier = OvergangFormulier(request.POST)
    organisatie = _organisatie(request, regio_obj)
    levering = (
        Gegevenslevering.objects.filter(
            regio=regio_obj, periode_id=periode_code.code, organisatie_id=organisatie
        )
        .select_related("organisatie")
        .first()
    )
    if not formulier.is_valid():
        messages.error(request, "Deze statuswijziging bestaat niet.")
    elif levering is None:
        messages.error(
            request,
            f"Voor {periode_code.code} zijn nog geen cijfers opgeslagen; er is niets om in te "
            "dienen of te beoordelen.",
        )
    else:
        naar = formulier.cleaned_data["naar"]
        try:
            basis_url = request.build_absolute_uri("/")
            workflow_overgang(
                obj=levering,
                naar=naar,
                gebruiker=request.user,
                reden=formulier.cleaned_data["reden"],
                na_commit=(
                    lambda terug: mail_teruggestuurd(
                        Gegevenslevering.objects.select_related(
                            "ingediend_door", "beoordeeld_door", "regio"
                        ).get(pk=terug.pk),
                        wat=_wat(levering, regio_obj, periode_code),
                        pad=_grid_url(regio_obj, periode_code, organisatie),
                        basis_url=basis_url,
                    )
                )
                if naar == WorkflowStatus.TERUGGESTUURD
                else None,
            )
        except WorkflowFout as exc:
            messages.error(request, str(exc))
        else:
            bericht = OVERGANG_BERICHTEN[naar] % {"periode": periode_code.code}
            if organisatie != aanleververdeling().standaard:
                bericht = f"{levering.organisatie.naam}: {bericht}"
            messages.success(request, bericht)
    return redirect(_grid_url(regio_obj, periode_code, organisatie))
