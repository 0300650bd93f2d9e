"""Pages for the progress of projects per quarter (thin: validate, call a service, render)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from actielijnen.forms import OvergangForm, VoortgangForm
from actielijnen.models import Project, Voortgangsupdate
from actielijnen.selectors import voortgang_pagina, voortgang_per_project
from actielijnen.services import (
    VersieConflict,
    controleer_bewerkbaar,
    voortgangsupdate_opslaan,
    voortgangsupdate_overgang,
)
from regioaanpak.choices import PeriodeSoort, RolSoort, WorkflowStatus
from regioaanpak.inzage import inzage
from regioaanpak.models import Periode
from regioaanpak.perioden import OngeldigePeriode, PeriodeCode
from regioaanpak.toegang import heeft_rol, regio_of_404
from regioaanpak.workflow import WorkflowFout

GESLAAGD = {
    WorkflowStatus.INGEDIEND: gettext_lazy("De update is ingediend."),
    WorkflowStatus.GOEDGEKEURD: gettext_lazy("De update is goedgekeurd."),
    WorkflowStatus.TERUGGESTUURD: gettext_lazy("De update is teruggestuurd naar de projectleider."),
    WorkflowStatus.CONCEPT: gettext_lazy("De update kan weer worden bewerkt."),
}


def _kwartaal_of_404(code: str) -> PeriodeCode:
    try:
        kwartaal = PeriodeCode.invoer(code)
    except OngeldigePeriode:
        raise Http404("Onbekende periode.") from None
    if kwartaal.soort != PeriodeSoort.KWARTAAL or kwartaal.code != code:
        raise Http404("Geen kwartaal.")
    return kwartaal


def _project_of_404(gebruiker, project_id: int) -> Project:
    """The project if the user holds a role in its region; otherwise 404 (never 403)."""
    project = get_object_or_404(
        Project.objects.select_related("actielijn__regioaanpak__regio", "projectleider"),
        pk=project_id,
    )
    if not heeft_rol(gebruiker, project.actielijn.regioaanpak.regio):
        raise Http404("Project niet gevonden.")
    return project


def _basis_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@login_required
def voortgang_overzicht(request: HttpRequest, regio: str, periode: str) -> HttpResponse:
    regio_obj = regio_of_404(request.user, regio)
    kwartaal = _kwartaal_of_404(periode)
    rijen = voortgang_per_project(regio_obj, kwartaal.code, inzage=inzage(request))
    klaar = sum(
        1
        for _project, update, _planning in rijen
        if update is not None
        and update.workflow_status in (WorkflowStatus.INGEDIEND, WorkflowStatus.GOEDGEKEURD)
    )
    return render(
        request,
        "actielijnen/voortgang_overzicht.html",
        {
            "regio": regio_obj,
            "kwartaal": kwartaal,
            "vorige": kwartaal.vorige(),
            "volgende": kwartaal.volgende(),
            "rijen": rijen,
            "klaar": klaar,
            "mag_invullen": heeft_rol(request.user, regio_obj, RolSoort.PROJECTLEIDER),
            "ziet_onvoltooid": inzage(request).mag_onvoltooid(regio_obj.code),
        },
    )


def _render_update(
    request: HttpRequest, pagina, form: VoortgangForm | None, *, status: int = 200, **extra
) -> HttpResponse:
    update = pagina.update
    overgangen = update.knoppen(request.user) if update and form is None else []
    context = {
        "pagina": pagina,
        "project": pagina.project,
        "update": update,
        "form": form,
        "overgangen": overgangen,
        "regio": pagina.project.actielijn.regioaanpak.regio,
        **extra,
    }
    return render(request, "actielijnen/voortgang_update.html", context, status=status)


@login_required
def voortgang_update(request: HttpRequest, project: int, periode: str) -> HttpResponse:
    project_obj = _project_of_404(request.user, project)
    kwartaal = _kwartaal_of_404(periode)
    get_object_or_404(Periode, code=kwartaal.code)
    pagina = voortgang_pagina(
        project=project_obj, periode_code=kwartaal.code, inzage=inzage(request)
    )
    update = pagina.update

    if request.method != "POST":
        try:
            controleer_bewerkbaar(project=project_obj, update=update, gebruiker=request.user)
        except WorkflowFout:
            return _render_update(request, pagina, None)  # read-only
        # A new update starts from the previous quarter's text.
        bron = update if update is not None else pagina.vorige
        beginwaarden = VoortgangForm.beginwaarden(bron, _standen(bron))
        beginwaarden["versie"] = update.versie if update else None
        form = VoortgangForm(initial=beginwaarden, mijlpalen=pagina.mijlpalen)
        startpunt = pagina.vorige if update is None else None
        return _render_update(request, pagina, form, startpunt=startpunt)

    try:
        # Only the role here; the update's state is checked under the lock by the service, so
        # a user whose update was submitted meanwhile keeps their input on the page.
        controleer_bewerkbaar(project=project_obj, update=None, gebruiker=request.user)
    except WorkflowFout as fout:
        messages.error(request, str(fout))
        return redirect(request.path)
    form = VoortgangForm(request.POST, mijlpalen=pagina.mijlpalen)
    if not form.is_valid():
        return _render_update(request, pagina, form)
    try:
        opgeslagen = voortgangsupdate_opslaan(
            project=project_obj,
            periode=kwartaal.code,
            gegevens=form.gegevens(),
            mijlpaalstanden=form.mijlpaalstanden(),
            versie=form.cleaned_data["versie"],
            gebruiker=request.user,
        )
    except VersieConflict as conflict:
        # Keep the user's input; base the next attempt on the version now stored.
        gegevens = request.POST.copy()
        gegevens["versie"] = "" if conflict.versie is None else str(conflict.versie)
        form = VoortgangForm(gegevens, mijlpalen=pagina.mijlpalen)
        form.is_valid()
        pagina = voortgang_pagina(
            project=project_obj, periode_code=kwartaal.code, inzage=inzage(request)
        )
        return _render_update(
            request, pagina, form, status=409, conflict=str(conflict), opgeslagen=pagina.update
        )
    except ValidationError as fout:
        form.fouten_overnemen(fout)
        return _render_update(request, pagina, form)
    except WorkflowFout as fout:
        # E.g. submitted by a colleague meanwhile: keep the input on the page with the reason.
        pagina = voortgang_pagina(
            project=project_obj, periode_code=kwartaal.code, inzage=inzage(request)
        )
        return _render_update(request, pagina, form, status=409, conflict=str(fout))

    if "indienen" in request.POST:
        try:
            voortgangsupdate_overgang(
                update=opgeslagen,
                naar=WorkflowStatus.INGEDIEND,
                gebruiker=request.user,
                basis_url=_basis_url(request),
            )
        except WorkflowFout as fout:
            messages.error(
                request,
                _("De update is opgeslagen, maar niet ingediend: %(fout)s") % {"fout": fout},
            )
        else:
            messages.success(request, _("De update is opgeslagen en ingediend."))
    else:
        messages.success(request, _("De update is opgeslagen."))
    return redirect(request.path)


def _standen(update: Voortgangsupdate | None) -> dict:
    if update is None:
        return {}
    return {stand.mijlpaal_id: stand for stand in update.mijlpaalstanden.all()}


@login_required
@require_POST
def voortgang_overgang(request: HttpRequest, project: int, periode: str) -> HttpResponse:
    project_obj = _project_of_404(request.user, project)
    kwartaal = _kwartaal_of_404(periode)
    if not inzage(request).mag_onvoltooid(project_obj.actielijn.regioaanpak.regio_id):
        # Transitions are for those who write or review; to anyone else an unapproved update
        # does not exist (not even its state).
        raise Http404("Update niet gevonden.")
    update = get_object_or_404(Voortgangsupdate, project=project_obj, periode_id=kwartaal.code)
    terug = redirect("actielijnen:voortgang_update", project=project_obj.pk, periode=kwartaal.code)
    form = OvergangForm(request.POST)
    if not form.is_valid():
        for meldingen in form.errors.values():
            for melding in meldingen:
                messages.error(request, melding)
        return terug
    naar = form.cleaned_data["naar"]
    try:
        voortgangsupdate_overgang(
            update=update,
            naar=naar,
            gebruiker=request.user,
            reden=form.cleaned_data["reden"],
            basis_url=_basis_url(request),
        )
    except WorkflowFout as fout:
        messages.error(request, str(fout))
    else:
        messages.success(request, GESLAAGD[naar])
    return terug
