"""/api/v1/: one router for the API of all four apps, the OpenAPI schema and its documentation."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.urls import path, re_path
from django.utils.translation import gettext as _
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import DefaultRouter

from actielijnen.api.views import RegioaanpakViewSet, VoortgangViewSet
from monitoring.api.risicoprofiel import RisicoprofielViewSet
from monitoring.api.views import IndicatorViewSet, WaarnemingViewSet
from rapportage.api.views import RapportViewSet
from regioaanpak.api.authenticatie import TokenAuthenticatie
from regioaanpak.api.basis import ApiBasis, FoutenAlsJson
from regioaanpak.api.views import GemeenteViewSet, PeriodeViewSet, RegioViewSet

app_name = "api"


class Router(DefaultRouter):
    include_format_suffixes = False


class Overzicht(ApiBasis, Router.APIRootView):
    """De API van de Regioaanpak monitor. Documentatie: /api/v1/docs/ en /api/v1/redoc/."""

    weergavenaam = "Overzicht"


Router.APIRootView = Overzicht

router = Router()
router.register("regios", RegioViewSet, basename="regio")
router.register("gemeenten", GemeenteViewSet, basename="gemeente")
router.register("perioden", PeriodeViewSet, basename="periode")
router.register("indicatoren", IndicatorViewSet, basename="indicator")
router.register("waarnemingen", WaarnemingViewSet, basename="waarneming")
router.register("regioaanpakken", RegioaanpakViewSet, basename="regioaanpak")
router.register("voortgang", VoortgangViewSet, basename="voortgang")
router.register("rapporten", RapportViewSet, basename="rapport")
router.register("risicoprofielen", RisicoprofielViewSet, basename="risicoprofiel")


class Schema(FoutenAlsJson, SpectacularAPIView):
    authentication_classes = [TokenAuthenticatie, *SpectacularAPIView.authentication_classes]


def niet_gevonden(request, pad: str = ""):
    """Any other address under /api/v1/: a JSON 404 instead of Django's HTML page."""
    return JsonResponse(
        {
            "detail": _("Niet gevonden: %(pad)s. Zie /api/v1/ voor de adressen.")
            % {"pad": request.path}
        },
        status=404,
    )


urlpatterns = [
    path("schema/", Schema.as_view(), name="schema"),
    path(
        "docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
    path(
        "redoc/",
        login_required(SpectacularRedocView.as_view(url_name="api:schema")),
        name="redoc",
    ),
    *router.urls,
    re_path(r"^(?P<pad>.*)$", niet_gevonden),
]
