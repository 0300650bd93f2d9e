"""Published report versions (never concepts), with the PDF of the caller's edition."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response

from rapportage.api.serializers import RapportSerializer
from rapportage.choices import Editie, RapportStatus
from rapportage.edities import PdfGewijzigd, bestandsnaam, editie_voor, pdf_inhoud
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
    """Gepubliceerde kwartaal- en halfjaarrapportages van de eigen regio's. Elke versie is op
    het moment van publiceren in twee edities bevroren, elk met de SHA-256 van haar PDF: de
    interne editie (ruwe cijfers, voor de eigen rollen van de regio) en de afgeschermde editie
    (aantallen afgerond op vijftallen, kleine aantallen onderdrukt; voor partners). U krijgt de
    editie die bij uw rol past; een gepubliceerde versie verandert nooit."""

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
        parameters=[
            OpenApiParameter(
                "editie",
                enum=Editie.values,
                required=False,
                description="Standaard de editie die bij uw rol past; intern alleen voor de "
                "eigen rollen van de regio.",
            )
        ],
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            404: OpenApiResponse(description="Niet gevonden, geen PDF of geen editie voor u."),
            409: OpenApiResponse(
                description="De opgeslagen PDF komt niet overeen met haar SHA-256 en wordt "
                "niet geleverd."
            ),
        },
    )
    @action(
        detail=True, methods=["get"], renderer_classes=[PDFRenderer, *AlleenLezen.renderer_classes]
    )
    def pdf(self, request, pk=None):
        rapport = self.get_object()
        gevraagd = request.query_params.get("editie") or None
        if gevraagd is not None and gevraagd not in Editie.values:
            raise exceptions.ValidationError(
                {"editie": [f"Onbekende editie: {gevraagd}; kies intern of afgeschermd."]}
            )
        try:
            editie = editie_voor(self.inzage, rapport, gevraagd)
            inhoud = pdf_inhoud(rapport, editie)
        except LookupError as fout:
            raise exceptions.NotFound(str(fout)) from None
        except FileNotFoundError:
            raise exceptions.NotFound("Geen PDF opgeslagen.") from None
        except PdfGewijzigd as fout:
            return Response({"detail": str(fout)}, status=status.HTTP_409_CONFLICT)
        antwoord = HttpResponse(inhoud, content_type="application/pdf")
        antwoord["Content-Disposition"] = f'attachment; filename="{bestandsnaam(editie)}"'
        return antwoord
