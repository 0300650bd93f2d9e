"""Middleware of the monitor: ceilings on a request, the second login step, and the safety net
for a question outside the viewer's reach.

A question for an area outside the viewer's reach is a refusal, never a server error. The figure
selector refuses such areas (`BuitenBereik`); views check access before they ask, so
this is the safety net for a page that asks more than it should: a Dutch 403 (JSON under /api/)
and a warning in the log, so the page gets fixed."""

from __future__ import annotations

import logging
from urllib.parse import unquote, urlencode

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from monitoring.selectors.cijfers import BuitenBereik
from regioaanpak.choices import RolSoort
from regioaanpak.tabellen import MB, mb
from regioaanpak.toegang import rollen_per_regio

logger = logging.getLogger(__name__)


class BuitenBereikMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, BuitenBereik):
            return None
        logger.warning("Buiten bereik op %s: %s", request.path, exception)
        if request.path.startswith(("/api/", "/odata/")):
            return JsonResponse({"detail": str(exception)}, status=403)
        return render(request, "buiten_bereik.html", {"melding": str(exception)}, status=403)


# -- ceilings on a request, before anything reads its body ---------------------------------------
def invoergrens(instelling: str, weigering=None):
    """Give a view (or an API action) its own ceiling on the request body: the name of a setting
    in MB, such as INVOER_MAX_UPLOAD_MB. Checked by InvoerGrensMiddleware before the body is read,
    so a 200 MB upload is refused without reading it. `weigering(melding, status)` makes the
    middleware's refusals (too big, a NUL character) in the view's own answer shape (default:
    fout_antwoord)."""

    def decorator(view):
        view.invoergrens = instelling
        view.invoer_weigering = weigering
        return view

    return decorator


def _view_van(request):
    """The view (or the API viewset's action) that will answer the request, if any."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    view = match.func
    actie = getattr(view, "actions", {}).get(request.method.lower())
    if actie and hasattr(getattr(view, "cls", None), actie):
        return getattr(view.cls, actie)
    return view


TITELS = {
    400: gettext_lazy("Onjuist verzoek"),
    413: gettext_lazy("Te groot"),
    403: gettext_lazy("Geen toegang"),
}


def fout_antwoord(request, status: int, melding: str):
    """A refusal in the channel's own form: JSON under /api/, the site's page elsewhere."""
    if request.path_info.startswith(("/api/", "/odata/")):
        return JsonResponse({"detail": melding}, status=status)
    return render(
        request,
        "fout.html",
        {"status": status, "melding": melding, "titel": TITELS.get(status)},
        status=status,
    )


class InvoerGrensMiddleware:
    """A request with a NUL character in its address, or a body over its ceiling, is refused
    here with a Dutch message (400 or 413): nothing else reads it, so no database ever sees a NUL
    byte and no 200 MB upload is parsed. The ceiling is INVOER_MAX_VERZOEK_MB, or the one a view
    names with @invoergrens."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        weigering = self._adres(request) or self._grootte(request) or self._formulier(request)
        return weigering or self.get_response(request)

    @staticmethod
    def _adres(request):
        adres = request.META.get("QUERY_STRING", "")
        in_pad = "\x00" in request.path_info
        if not (in_pad or "%00" in adres or "\x00" in unquote(adres)):
            return None
        melding = _("Het adres bevat een NUL-teken (%00); zo'n adres bestaat niet.")
        if not request.path_info.startswith(("/api/", "/odata/")):
            return fout_antwoord(request, 400, melding)
        if in_pad:
            return JsonResponse({"detail": melding}, status=404)
        weigering = getattr(_view_van(request), "invoer_weigering", None)
        if weigering is not None:
            return weigering(melding, 400)
        # In the API's own shape of a wrong parameter: per parameter its reasons.
        fouten = {}
        for deel in adres.split("&"):
            naam, _is, waarde = deel.partition("=")
            naam, waarde = unquote(naam.replace("+", " ")), unquote(waarde.replace("+", " "))
            if "\x00" in naam or "\x00" in waarde:
                sleutel = naam.replace("\x00", "") or "adres"
                fouten[sleutel] = [_("Deze waarde bevat een NUL-teken; dat kan geen waarde zijn.")]
        return JsonResponse(fouten or {"adres": [melding]}, status=400)

    @staticmethod
    def _grootte(request):
        try:
            lengte = int(request.META.get("CONTENT_LENGTH") or "0")
        except ValueError:
            return fout_antwoord(request, 400, _("De lengte van het verzoek is onleesbaar."))
        kleinste = min(
            settings.INVOER_MAX_VERZOEK_MB,
            settings.INVOER_MAX_IMPORT_MB,
            settings.INVOER_MAX_UPLOAD_MB,
            settings.INVOER_MAX_RISICO_MB,
        )
        if lengte <= kleinste * MB:
            return None  # under every ceiling: no need to find the view
        view = _view_van(request)
        instelling = getattr(view, "invoergrens", "INVOER_MAX_VERZOEK_MB")
        grens = getattr(settings, instelling) * MB
        if lengte <= grens:
            return None
        logger.info("Verzoek van %s bytes geweigerd op %s (%s)", lengte, request.path, instelling)
        melding = _(
            "Het verzoek is %(grootte)s; hier is ten hoogste %(max)s toegestaan. Stuur een "
            "kleiner bestand of verdeel het over meer keren."
        ) % {"grootte": mb(lengte), "max": mb(grens)}
        weigering = getattr(view, "invoer_weigering", None)
        if weigering is not None:
            return weigering(melding, 413)
        return fout_antwoord(request, 413, melding)

    @staticmethod
    def _formulier(request):
        """A form field with a NUL character (a browser sends it as %00) is refused before a
        view hands it to the database. Files may hold NUL bytes (a workbook does)."""
        if request.method not in ("POST", "PUT", "PATCH"):
            return None
        try:
            if request.content_type == "application/x-www-form-urlencoded":
                nul = b"%00" in request.body
            elif request.content_type == "multipart/form-data" and not request.path_info.startswith(
                "/api/"
            ):
                nul = any(
                    "\x00" in waarde
                    for _naam, waarden in request.POST.lists()
                    for waarde in waarden
                )
            else:
                return None
        except RequestDataTooBig:
            return fout_antwoord(
                request,
                413,
                _("Het formulier is groter dan %(max)s; dat is geen gewoon formulier.")
                % {"max": mb(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)},
            )
        if nul:
            return fout_antwoord(
                request, 400, _("Het formulier bevat een NUL-teken; dat kan geen invoer zijn.")
            )
        return None


# -- two-factor authentication ---------------------------------------------------------------------
TWEESTAPS_SESSIE = "regioaanpak_tweestaps_apparaat"
VRIJE_PADEN = (
    "/inloggen/",
    "/uitloggen/",
    "/wachtwoord/herstel",
    "/static/",
    "/favicon.ico",
    "/metriek/",
)


def _heeft_apparaat(gebruiker) -> bool:
    from django_otp import devices_for_user

    return any(True for _apparaat in devices_for_user(gebruiker, confirmed=True))


def onthoud_tweestaps(sender, request, user, **kwargs) -> None:
    """At login (signal user_logged_in): keep in the session whether the user has an
    authenticator app, so the check costs no query per request."""
    if request is not None and hasattr(request, "session"):
        request.session[TWEESTAPS_SESSIE] = _heeft_apparaat(user)


def heeft_tweestaps(request) -> bool:
    """The user has a confirmed authenticator app (kept in the session since the login)."""
    bekend = request.session.get(TWEESTAPS_SESSIE)
    if bekend is None:
        bekend = _heeft_apparaat(request.user)
        request.session[TWEESTAPS_SESSIE] = bekend
    return bekend


def tweestaps_verplicht(gebruiker) -> bool:
    """Beheerders and staff must use a second step when the setting says so."""
    if not settings.TWEESTAPS_VERPLICHT:
        return False
    if gebruiker.is_staff or gebruiker.is_superuser:
        return True
    return any(RolSoort.BEHEERDER in rollen for rollen in rollen_per_regio(gebruiker).values())


class TweeStapsMiddleware:
    """After the password, the code of the authenticator app: for everyone who has set one up,
    and (with TWEESTAPS_VERPLICHT) for beheerders and staff, who are sent to set one up first.
    Until then only logging in, out and the set-up itself are reachable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        gebruiker = request.user
        if (
            gebruiker.is_authenticated
            and not gebruiker.is_verified()
            and not request.path_info.startswith(VRIJE_PADEN)
        ):
            if heeft_tweestaps(request):
                doel = "tweestaps_code"
            elif tweestaps_verplicht(gebruiker):
                doel = "tweestaps_instellen"
            else:
                doel = None
            if doel is not None:
                if request.path_info.startswith(("/api/", "/odata/")):
                    return JsonResponse(
                        {
                            "detail": _(
                                "Log eerst op de website in met uw tweede stap "
                                "(authenticator-app), of gebruik een API-token."
                            )
                        },
                        status=403,
                    )
                return redirect(f"{reverse(doel)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
