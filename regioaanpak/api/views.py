"""Reference data for every token: regions, municipalities and periods (CBS classifications)."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view

from regioaanpak.api.basis import AlleenLezen
from regioaanpak.api.filters import GemeenteFilter, PeriodeFilter, RegioFilter
from regioaanpak.api.serializers import GemeenteSerializer, PeriodeSerializer, RegioSerializer
from regioaanpak.models import Gemeente, Lidmaatschap, Periode, Regio


@extend_schema_view(
    list=extend_schema(summary="Regio's", tags=["gebieden"]),
    retrieve=extend_schema(summary="Eén regio", tags=["gebieden"]),
)
class RegioViewSet(AlleenLezen):
    """Regio's: Veilig Thuis-regio's (CBS-code VTnn), centrumgemeenteregio's, subregio's en
    het land, met hun gemeenten en de looptijd van elk lidmaatschap."""

    serializer_class = RegioSerializer
    filterset_class = RegioFilter
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    csv_naam = "regios"
    weergavenaam = "Regio's"

    def get_queryset(self):
        return Regio.objects.prefetch_related(
            Prefetch("lidmaatschappen", Lidmaatschap.objects.order_by("gemeente_id", "geldig_van"))
        ).order_by("code")


@extend_schema_view(
    list=extend_schema(summary="Gemeenten", tags=["gebieden"]),
    retrieve=extend_schema(summary="Eén gemeente", tags=["gebieden"]),
)
class GemeenteViewSet(AlleenLezen):
    """Gemeenten met hun CBS-code, geldigheid (herindelingen), lidmaatschappen van regio's in
    de tijd en inwonertallen op 1 januari."""

    serializer_class = GemeenteSerializer
    filterset_class = GemeenteFilter
    lookup_field = "cbs_code"
    lookup_value_regex = "[^/]+"
    csv_naam = "gemeenten"
    weergavenaam = "Gemeenten"

    def get_queryset(self):
        return Gemeente.objects.prefetch_related(
            Prefetch("lidmaatschappen", Lidmaatschap.objects.order_by("regio_id", "geldig_van")),
            "inwonertallen",
            "voorgangers",
        ).order_by("cbs_code")


@extend_schema_view(
    list=extend_schema(summary="Perioden", tags=["gebieden"]),
    retrieve=extend_schema(summary="Eén periode", tags=["gebieden"]),
)
class PeriodeViewSet(AlleenLezen):
    """CBS-perioden: kwartalen (2021KW01), halfjaren (2021HJ01) en jaren (2021JJ00)."""

    serializer_class = PeriodeSerializer
    filterset_class = PeriodeFilter
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    csv_naam = "perioden"
    weergavenaam = "Perioden"

    def get_queryset(self):
        return Periode.objects.order_by("code")
