"""Report pages: archive per region, concept preview (HTML and PDF), publishing, downloads."""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from rapportage.choices import Editie, RapportStatus
from rapportage.edities import (
    PdfGewijzigd,
    bestandsnaam,
    editie_voor,
    pdf_inhoud,
    toegestane_edities,
)
from rapportage.forms import ConceptForm, PublicerenForm, rapportperioden
from rapportage.models import Rapport, RapportTaak, TaakStatus
from rapportage.pdf import PdfTeLang
from rapportage.selectors import PERIODESOORT, OngeldigRapport, rapportgegevens, rapportperiode
from rapportage.services import mag_publiceren, rapport_publiceren
from rapportage.tasks import rapporten_genereren_taak
from rapportage.weergave import (
    concept_meta,
    concept_rapport_pdf,
    publicatie_meta,
    rapport_context,
)
from regioaanpak import paginacache
from regioaanpak.choices import RolSoort
from regioaanpak.inzage import INTERNE_ROLLEN, inzage
from regioaanpak.models import Periode, Regio
from regioaanpak.perioden import HALFJAAR, JAAR, KWARTAAL, PeriodeCode
from regioaanpak.toegang import heeft_rol, regio_of_404, zichtbare_regios

logger = logging.getLogger(__name__)

# Who may start the concept-PDF batch for their region: the same people who may publish.
GENEREERDERS = (RolSoort.BELEIDSMEDEWERKER, RolSoort.BEHEERDER)


def _periode_of_404(periode: str, soort: str):
    try:
        return rapportperiode(periode, soort)
    except OngeldigRapport as fout:
        raise Http404(str(fout)) from fout


def _concept(
    request: HttpRequest, regio_code: str, periode: str, soort: str, *, uit_cache: bool = True
):
    """A concept is the region's working document: for its internal roles only (a partner
    gets the protected edition of published versions). Submitted data are included where the
    policy shows them, unless ?goedgekeurd=1."""
    regio = regio_of_404(request.user, regio_code, *INTERNE_ROLLEN)
    code = _periode_of_404(periode, soort)
    beleid = inzage(request).met_ingediend(not request.GET.get("goedgekeurd"))
    # Cached like the dashboards: under the viewer policy and the data's version (and today's
    # date, which the concept shows), so a change in the figures shows at once. Publishing
    # never reads from here: its snapshot is always made afresh (rapportage/services.py); nor
    # does the concept PDF, whose stored file is keyed on the data themselves.
    if not uit_cache:
        return regio, rapportgegevens(regio, code, soort, inzage=beleid)
    sleutel = paginacache.sleutel(
        "rapportgegevens", beleid, regio.code, code.code, soort, timezone.localdate()
    )
    gegevens = paginacache.gecachet(
        sleutel, lambda: rapportgegevens(regio, code, soort, inzage=beleid)
    )
    return regio, gegevens


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "rapportage/index.html", {"regios": zichtbare_regios(request.user)})


@login_required
def archief(request: HttpRequest, regio: str) -> HttpResponse:
    regio_obj = regio_of_404(request.user, regio)
    perioden = rapportperioden(regio_obj)
    form = ConceptForm(request.GET or None, perioden=perioden)
    genereer_keuze = [p for p in perioden if p.soort in (KWARTAAL, HALFJAAR, JAAR)]
    if form.is_valid():
        try:
            code = rapportperiode(form.cleaned_data["periode"], form.cleaned_data["soort"])
        except OngeldigRapport as fout:
            form.add_error("periode", str(fout))
        else:
            return redirect(
                "rapportage:concept", regio_obj.code, code.code, form.cleaned_data["soort"]
            )
    rapporten = (
        Rapport.objects.filter(regio=regio_obj, status=RapportStatus.GEPUBLICEERD)
        .select_related("periode", "gepubliceerd_door")
        .order_by("-periode__code", "soort", "-versie")
    )
    edities = toegestane_edities(inzage(request), regio_obj.code)
    return render(
        request,
        "rapportage/archief.html",
        {
            "regio": regio_obj,
            "rijen": [
                (r, [e for naam in edities if (e := r.editie(naam)) is not None]) for r in rapporten
            ],
            "form": form,
            "genereer_keuze": genereer_keuze,
            "mag_concept": heeft_rol(request.user, regio_obj, *INTERNE_ROLLEN),
            "mag_genereren": heeft_rol(request.user, regio_obj, *GENEREERDERS),
        },
    )


def _genereer_periode(tekst: str) -> Periode:
    """The known quarter or half-year to generate concepts for; ValidationError in Dutch."""
    code = PeriodeCode.invoer(tekst)  # OngeldigePeriode is a ValidationError
    if code.soort not in PERIODESOORT.values():
        raise ValidationError(
            f"Concept-PDF's bestaan voor een kwartaal, halfjaar of jaar, niet voor {code.label}."
        )
    periode = Periode.objects.filter(code=code.code).first()
    if periode is None:
        raise ValidationError(f"Periode {code.code} is (nog) niet bekend in de monitor.")
    return periode


def _in_wachtrij(taak_pk: int) -> None:
    """Queue the task; an unreachable broker marks the task failed instead of a server error."""
    try:
        rapporten_genereren_taak.delay(taak_pk)
    except Exception:
        logger.exception("Rapporttaak %s kon niet in de wachtrij", taak_pk)
        RapportTaak.objects.filter(pk=taak_pk).update(
            status=TaakStatus.MISLUKT,
            mislukt={"wachtrij": "De wachtrij is niet bereikbaar; probeer het later opnieuw."},
            klaar_op=timezone.now(),
        )


@login_required
@require_POST
def genereren(request: HttpRequest, regio: str) -> HttpResponse:
    """Start the concept-PDF batch for this region: queued with a broker, else in-process."""
    regio_obj = regio_of_404(request.user, regio)
    if not heeft_rol(request.user, regio_obj, *GENEREERDERS):
        raise Http404("Regio niet gevonden.")
    try:
        periode = _genereer_periode(request.POST.get("periode", ""))
    except ValidationError as fout:
        for tekst in fout.messages:
            messages.error(request, tekst)
        return redirect("rapportage:archief", regio_obj.code)
    taak = RapportTaak.objects.create(
        periode=periode, regio=regio_obj, aangevraagd_door=request.user
    )
    if settings.CELERY_BROKER_URL:
        # After the commit, so the worker always finds the task row.
        transaction.on_commit(partial(_in_wachtrij, taak.pk))
    else:
        rapporten_genereren_taak(taak.pk)
    return redirect("rapportage:taak", taak.pk)


def _mag_taak_zien(gebruiker, taak: RapportTaak) -> bool:
    if taak.aangevraagd_door_id is not None and taak.aangevraagd_door_id == gebruiker.pk:
        return True
    if taak.regio_id is None:  # all regions: the requester and superusers only
        return gebruiker.is_superuser
    return heeft_rol(gebruiker, taak.regio_id)


def _taak_of_404(request: HttpRequest, pk: int) -> RapportTaak:
    taak_obj = get_object_or_404(
        RapportTaak.objects.select_related("periode", "regio", "aangevraagd_door"), pk=pk
    )
    if not _mag_taak_zien(request.user, taak_obj):
        raise Http404("Taak niet gevonden.")
    return taak_obj


def _taak_pdfs(request: HttpRequest, taak_obj: RapportTaak) -> list[tuple[str, str]]:
    """Regions whose concept PDF this task made and this user may download: the concept holds
    submitted data, so only for those who may see them (projectleider, beleidsmedewerker,
    beheerder of the region)."""
    if taak_obj.status not in {TaakStatus.KLAAR, TaakStatus.MISLUKT}:
        return []
    beleid = inzage(request)
    codes = [code for code in taak_obj.gelukt if beleid.mag_onvoltooid(code)]
    namen = dict(Regio.objects.filter(code__in=codes).values_list("code", "naam"))
    return [(code, namen.get(code, code)) for code in codes]


@login_required
def taak(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress of a concept-PDF batch; refreshes itself until it is done."""
    taak_obj = _taak_of_404(request, pk)
    return render(
        request,
        "rapportage/taak.html",
        {
            "taak": taak_obj,
            "periode": PeriodeCode.parse(taak_obj.periode_id),
            "pdfs": _taak_pdfs(request, taak_obj),
            "mislukt": sorted(taak_obj.mislukt.items()),
        },
    )


@login_required
def taak_pdf(request: HttpRequest, pk: int, regio: str) -> HttpResponse:
    """The concept PDF a finished task wrote for one region (stored files are never served
    directly)."""
    from rapportage.batch import concept_lezen  # the batch module loads WeasyPrint

    taak_obj = _taak_of_404(request, pk)
    if regio not in dict(_taak_pdfs(request, taak_obj)):
        raise Http404("PDF niet gevonden.")
    inhoud = concept_lezen(regio, taak_obj.periode_id)
    if inhoud is None:
        raise Http404("PDF niet gevonden.")
    antwoord = HttpResponse(inhoud, content_type="application/pdf")
    antwoord["Content-Disposition"] = (
        f'attachment; filename="concept_{regio}_{taak_obj.periode_id}.pdf"'
    )
    return antwoord


@login_required
def concept(request: HttpRequest, regio: str, periode: str, soort: str) -> HttpResponse:
    regio_obj, gegevens = _concept(request, regio, periode, soort)
    context = rapport_context(gegevens, concept_meta(gegevens))
    context.update(
        regio=regio_obj,
        soort=soort,
        mag_publiceren=mag_publiceren(request.user, regio_obj),
        publiceer_form=PublicerenForm(),
        versies=Rapport.objects.filter(
            regio=regio_obj, periode_id=gegevens["periode"]["code"], soort=soort
        ).count(),
    )
    return render(request, "rapportage/rapport.html", context)


@login_required
def concept_pdf(request: HttpRequest, regio: str, periode: str, soort: str) -> HttpResponse:
    regio_obj, gegevens = _concept(request, regio, periode, soort, uit_cache=False)
    try:
        pdf = concept_rapport_pdf(gegevens)
    except PdfTeLang as fout:
        return render(
            request,
            "fout.html",
            {"status": 503, "titel": "PDF niet gemaakt", "melding": str(fout)},
            status=503,
        )
    naam = f"concept_{regio_obj.code}_{gegevens['periode']['code']}_{soort}.pdf"
    antwoord = HttpResponse(pdf, content_type="application/pdf")
    antwoord["Content-Disposition"] = f'attachment; filename="{naam}"'
    return antwoord


@login_required
@require_POST
def publiceren(request: HttpRequest, regio: str, periode: str, soort: str) -> HttpResponse:
    regio_obj = regio_of_404(request.user, regio)
    code = _periode_of_404(periode, soort)
    if not mag_publiceren(request.user, regio_obj):
        raise Http404("Regio niet gevonden.")
    form = PublicerenForm(request.POST)
    form.is_valid()
    try:
        rapport = rapport_publiceren(
            regio=regio_obj,
            periode=code.code,
            soort=soort,
            gebruiker=request.user,
            reden=form.cleaned_data.get("reden", ""),
        )
    except ValidationError as fout:
        for tekst in fout.messages:
            messages.error(request, tekst)
        return redirect("rapportage:concept", regio_obj.code, code.code, soort)
    except PdfTeLang as fout:
        messages.error(request, f"Er is niets gepubliceerd: {fout}")
        return redirect("rapportage:concept", regio_obj.code, code.code, soort)
    messages.success(request, f"Versie {rapport.versie} is gepubliceerd.")
    return redirect("rapportage:archief", regio_obj.code)


def _gepubliceerd_of_404(request: HttpRequest, regio: str, pk: int) -> Rapport:
    regio_obj = regio_of_404(request.user, regio)
    return get_object_or_404(
        Rapport.objects.select_related("regio", "periode", "gepubliceerd_door"),
        pk=pk,
        regio=regio_obj,
        status=RapportStatus.GEPUBLICEERD,
    )


def _editie_of_404(request: HttpRequest, rapport: Rapport):
    gevraagd = request.GET.get("editie") or None
    if gevraagd is not None and gevraagd not in Editie.values:
        raise Http404("Onbekende editie.")
    try:
        return editie_voor(inzage(request), rapport, gevraagd)
    except LookupError as fout:
        raise Http404(str(fout)) from fout


@login_required
def gepubliceerd(request: HttpRequest, regio: str, pk: int) -> HttpResponse:
    rapport = _gepubliceerd_of_404(request, regio, pk)
    editie = _editie_of_404(request, rapport)
    meta = publicatie_meta(
        versie=rapport.versie, gepubliceerd_op=rapport.gepubliceerd_op, reden=rapport.reden
    )
    context = rapport_context(editie.momentopname, meta)
    context.update(
        regio=rapport.regio,
        rapport=rapport,
        soort=rapport.soort,
        editie=editie,
        andere_edities=[
            e
            for naam in toegestane_edities(inzage(request), rapport.regio_id)
            if naam != editie.editie and (e := rapport.editie(naam)) is not None
        ],
    )
    return render(request, "rapportage/rapport.html", context)


@login_required
def download(request: HttpRequest, regio: str, pk: int) -> HttpResponse:
    rapport = _gepubliceerd_of_404(request, regio, pk)
    editie = _editie_of_404(request, rapport)
    try:
        inhoud = pdf_inhoud(rapport, editie)
    except FileNotFoundError:
        raise Http404("Geen PDF opgeslagen.") from None
    except PdfGewijzigd as fout:
        return render(
            request,
            "rapportage/pdf_gewijzigd.html",
            {"regio": rapport.regio, "rapport": rapport, "melding": str(fout)},
            status=409,
        )
    antwoord = HttpResponse(inhoud, content_type="application/pdf")
    antwoord["Content-Disposition"] = f'attachment; filename="{bestandsnaam(editie)}"'
    return antwoord
