"""Regional approaches and approved progress, for the regions within the caller's reach."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from actielijnen.api.doelbereik import DoelbereikSerializer, doelbereik_gegevens
from actielijnen.api.filters import RegioaanpakFilter, VoortgangFilter
from actielijnen.api.serializers import RegioaanpakSerializer, VoortgangSerializer
from actielijnen.doelbereik import doelbereik
from actielijnen.models import Actielijn, MijlpaalStand, Project, Regioaanpak, Voortgangsupdate
from regioaanpak.api.basis import AlleenLezen
from regioaanpak.choices import WorkflowStatus


def _binnen_bereik(queryset, lees, veld: str):
    return queryset if lees is None else queryset.filter(**{f"{veld}__in": sorted(lees)})


@extend_schema_view(
    list=extend_schema(summary="Regioaanpakken", tags=["regioaanpak"]),
    retrieve=extend_schema(summary="Eén regioaanpak", tags=["regioaanpak"]),
)
class RegioaanpakViewSet(AlleenLezen):
    """De regioaanpakken van de eigen regio's, met hun actielijnen, projecten en mijlpalen."""

    serializer_class = RegioaanpakSerializer
    filterset_class = RegioaanpakFilter
    csv_naam = "regioaanpakken"
    weergavenaam = "Regioaanpakken"

    def get_queryset(self):
        projecten = Project.objects.prefetch_related("gemeenten", "mijlpalen").order_by("titel")
        actielijnen = Actielijn.objects.prefetch_related(Prefetch("projecten", projecten)).order_by(
            "nummer"
        )
        return _binnen_bereik(
            Regioaanpak.objects.prefetch_related(Prefetch("actielijnen", actielijnen)),
            self.inzage.lees,
            "regio_id",
        ).order_by("id")

    @extend_schema(
        summary="Doelbereik van een regioaanpak",
        tags=["regioaanpak"],
        description=(
            "De doelenboom (impacts, strategische doelen, actielijnen) met per effect de "
            "nulmeting, het laatste cijfer, de streefwaarde, de drempel voor 'voldoende bereikt', "
            "een oordeel en het verloop sinds de nulmeting, en de goedgekeurde jaarlijkse "
            "oordelen. Dezelfde cijfers als op de pagina Doelbereik en het dashboard, onder uw "
            "inzagebeleid."
        ),
        responses=DoelbereikSerializer,
    )
    @action(detail=True, url_path="doelbereik", pagination_class=None, filterset_class=None)
    def doelbereik(self, request, pk=None):
        aanpak = self.get_object()
        stand = doelbereik(aanpak, inzage=self.inzage)
        return Response(DoelbereikSerializer(doelbereik_gegevens(stand)).data)


@extend_schema_view(
    list=extend_schema(summary="Voortgang (goedgekeurd)", tags=["regioaanpak"]),
    retrieve=extend_schema(summary="Eén voortgangsupdate", tags=["regioaanpak"]),
)
class VoortgangViewSet(AlleenLezen):
    """Goedgekeurde voortgangsupdates per project en kwartaal (concepten en ingediende updates
    zijn niet zichtbaar)."""

    serializer_class = VoortgangSerializer
    filterset_class = VoortgangFilter
    csv_naam = "voortgang"
    weergavenaam = "Voortgang (goedgekeurd)"

    def get_queryset(self):
        return _binnen_bereik(
            Voortgangsupdate.objects.filter(workflow_status=WorkflowStatus.GOEDGEKEURD)
            .select_related("project__actielijn__regioaanpak")
            .prefetch_related(
                Prefetch(
                    "mijlpaalstanden",
                    MijlpaalStand.objects.select_related("mijlpaal").order_by(
                        "mijlpaal__geplande_datum"
                    ),
                )
            ),
            self.inzage.lees,
            "project__actielijn__regioaanpak__regio_id",
        ).order_by("id")
