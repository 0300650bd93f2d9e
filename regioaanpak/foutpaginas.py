"""Dutch error pages in the site's layout (400, 403, 404, 500), and JSON under /api/.

Django calls these for exceptions a view did not handle (urls.py: handler400 and so on), so the
production pages never show Django's English defaults, and an API client never gets HTML.
"""

from __future__ import annotations

from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _


def _api(request) -> bool:
    return request.path_info.startswith(("/api/", "/odata/"))


def onjuist_verzoek(request, exception=None):
    melding = _("Het verzoek kan niet worden gelezen.")
    if _api(request):
        return JsonResponse({"detail": melding}, status=400)
    return render(request, "400.html", {"status": 400}, status=400)


def geen_toegang(request, exception=None):
    if _api(request):
        return JsonResponse({"detail": _("Geen toegang.")}, status=403)
    return render(request, "403.html", {"status": 403}, status=403)


def niet_gevonden(request, exception=None):
    if _api(request):
        return JsonResponse(
            {
                "detail": _("Niet gevonden: %(pad)s. Zie /api/v1/ voor de adressen.")
                % {"pad": request.path}
            },
            status=404,
        )
    return render(request, "404.html", {"status": 404, "pad": request.path}, status=404)


def serverfout(request):
    """Without the request's context: the database or a context processor may be the cause."""
    if _api(request):
        return JsonResponse(
            {"detail": _("Er ging iets mis aan onze kant; de storing is vastgelegd.")}, status=500
        )
    return HttpResponseServerError(loader.get_template("500.html").render())
