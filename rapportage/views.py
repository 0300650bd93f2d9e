"""Report pages: archive per region, concept preview (HTML and PDF), publishing, downloads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from rapportage.choices import RapportStatus
from rapportage.forms import ConceptForm, PublicerenForm
from rapportage.models import Rapport
from rapportage.selectors import OngeldigRapport, rapportgegevens, rapportperiode
from rapportage.services import mag_publiceren, rapport_publiceren
from rapportage.weergave import concept_meta, publicatie_meta, rapport_context, rapport_pdf
from regioaanpak.choices import RolSoort
from regioaanpak.toegang import heeft_rol, regio_of_404, zichtbare_regios

# Who may see submitted (not yet approved) data in a concept, as on the dashboards.
MET_INGEDIEND = (RolSoort.PROJECTLEIDER, RolSoort.BELEIDSMEDEWERKER, RolSoort.BEHEERDER)


def _periode_of_404(periode: str, soort: str):
    try:
        return rapportperiode(periode, soort)
    except OngeldigRapport as fout:
        raise Http404(str(fout)) from fout


def _concept(request: HttpRequest, regio_code: str, periode: str, soort: str):
    regio = regio_of_404(request.user, regio_code)
    code = _periode_of_404(periode, soort)
    alleen_goedgekeurd = not heeft_rol(request.user, regio, *MET_INGEDIEND) or bool(
        request.GET.get("goedgekeurd")
    )
    gegevens = rapportgegevens(regio, code, soort, alleen_goedgekeurd=alleen_goedgekeurd)
    return regio, gegevens


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "rapportage/index.html", {"regios": zichtbare_regios(request.user)})


@login_required
def archief(request: HttpRequest, regio: str) -> HttpResponse:
    regio_obj = regio_of_404(request.user, regio)
    form = ConceptForm(request.GET or None)
    if form.is_valid():
        try:
            code = rapportperiode(
                form.cleaned_data["periode"].strip().upper(), form.cleaned_data["soort"]
            )
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
    return render(
        request,
        "rapportage/archief.html",
        {"regio": regio_obj, "rapporten": rapporten, "form": form},
    )


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
    regio_obj, gegevens = _concept(request, regio, periode, soort)
    pdf = rapport_pdf(gegevens, concept_meta(gegevens))
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


@login_required
def gepubliceerd(request: HttpRequest, regio: str, pk: int) -> HttpResponse:
    rapport = _gepubliceerd_of_404(request, regio, pk)
    meta = publicatie_meta(
        versie=rapport.versie, gepubliceerd_op=rapport.gepubliceerd_op, reden=rapport.reden
    )
    context = rapport_context(rapport.momentopname, meta)
    context.update(regio=rapport.regio, rapport=rapport, soort=rapport.soort)
    return render(request, "rapportage/rapport.html", context)


@login_required
def download(request: HttpRequest, regio: str, pk: int) -> FileResponse:
    rapport = _gepubliceerd_of_404(request, regio, pk)
    if not rapport.pdf:
        raise Http404("Geen PDF opgeslagen.")
    naam = rapport.pdf.name.rsplit("/", 1)[-1]
    return FileResponse(
        rapport.pdf.open("rb"), as_attachment=True, filename=naam, content_type="application/pdf"
    )
