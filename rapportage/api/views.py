"""Published report versions (never concepts), with their PDFs."""

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer

from rapportage.api.serializers import RapportSerializer
from rapportage.choices import RapportStatus
from rapportage.models import Rapport
from regioaanpak.api.basis import AlleenLezen


class PDFRenderer(BaseRenderer):
    """Lets a client ask for application/pdf; the file itself is a FileResponse."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


@extend_schema_view(
    list=extend_schema(summary="Gepubliceerde rapportages", tags=["rapportages"]),
    retrieve=extend_schema(summary="Eén gepubliceerde rapportage", tags=["rapportages"]),
)
class RapportViewSet(AlleenLezen):
    """Gepubliceerde kwartaal- en halfjaarrapportages van de eigen regio's, met de SHA-256
    van de PDF; een gepubliceerde versie verandert nooit."""

    serializer_class = RapportSerializer
    csv_naam = "rapportages"
    weergavenaam = "Gepubliceerde rapportages"
    filterset_fields = ["regio", "periode", "soort"]

    def get_queryset(self):
        qs = Rapport.objects.filter(status=RapportStatus.GEPUBLICEERD).select_related(
            "gepubliceerd_door"
        )
        lees = self.inzage.lees
        if lees is not None:
            qs = qs.filter(regio_id__in=sorted(lees))
        return qs.order_by("id")

    @extend_schema(
        summary="De PDF van een gepubliceerde rapportage",
        tags=["rapportages"],
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            404: OpenApiResponse(description="Niet gevonden of geen PDF."),
        },
    )
    @action(
        detail=True, methods=["get"], renderer_classes=[PDFRenderer, *AlleenLezen.renderer_classes]
    )
    def pdf(self, request, pk=None):
        rapport = self.get_object()
        if not rapport.pdf:
            raise Http404("Geen PDF opgeslagen.")
        naam = rapport.pdf.name.rsplit("/", 1)[-1]
        return FileResponse(
            rapport.pdf.open("rb"),
            as_attachment=True,
            filename=naam,
            content_type="application/pdf",
        )
