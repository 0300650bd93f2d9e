"""What every API view shares: authentication, throttling, renderers, pagination, CSV lists."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain, islice

from django.http import StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BrowsableAPIRenderer

from regioaanpak.api.authenticatie import TokenAuthenticatie
from regioaanpak.api.paginering import Cursor
from regioaanpak.api.renderers import (
    CSVRenderer,
    ExacteJSONRenderer,
    csv_stroom,
    csv_tekst,
    plat,
)
from regioaanpak.api.throttling import TokenThrottle
from regioaanpak.inzage import Inzage, inzage

RENDERERS = [ExacteJSONRenderer, BrowsableAPIRenderer, CSVRenderer]


class TokenSchema(OpenApiAuthenticationExtension):
    target_class = TokenAuthenticatie
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Persoonlijk API-token: `Authorization: Token <uw token>`.",
        }


def is_csv(request) -> bool:
    renderer = getattr(request, "accepted_renderer", None)
    return renderer is not None and renderer.format == "csv"


def csv_antwoord(naam: str, kolommen: list[str], rijen: Iterable[Iterable]):
    """A streamed CSV download: memory does not grow with the number of rows.

    The first row is read before the answer starts, so a failing query is an error answer and
    never a CSV file that looks complete but holds only its header."""
    rijen = iter(rijen)
    eerste = list(islice(rijen, 1))
    return _csv_download(naam, csv_stroom(kolommen, chain(eerste, rijen)))


def csv_antwoord_opgemaakt(naam: str, kolommen: list[str], stukken: Iterable[bytes]):
    """A streamed CSV download of rows the database formatted (UTF-8 CSV text without header,
    see `csv_opmaak.csv_door_database`); the first piece is read before the answer starts."""
    stukken = iter(stukken)
    eerste = list(islice(stukken, 1))
    kop = next(csv_stroom(kolommen, ())).encode()
    return _csv_download(naam, chain([kop], eerste, stukken))


def _csv_download(naam: str, inhoud: Iterable):
    antwoord = StreamingHttpResponse(inhoud, content_type="text/csv; charset=utf-8")
    stempel = timezone.localtime().strftime("%Y%m%d")
    antwoord["Content-Disposition"] = f'attachment; filename="{naam}_{stempel}.csv"'
    return antwoord


class FoutenAlsJson:
    """Errors are JSON, also when CSV, a PDF or the schema was asked for: a CSV with one
    'detail' cell helps nobody."""

    def finalize_response(self, request, response, *args, **kwargs):
        renderer = getattr(request, "accepted_renderer", None)
        if getattr(response, "status_code", 200) >= 400 and (
            renderer is None or renderer.format not in ("json", "api")
        ):
            request.accepted_renderer = ExacteJSONRenderer()
            request.accepted_media_type = ExacteJSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


class ApiBasis(FoutenAlsJson):
    """Mixin for every API view of the monitor."""

    authentication_classes = [TokenAuthenticatie, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = [TokenThrottle]
    renderer_classes = RENDERERS
    pagination_class = Cursor
    csv_naam = "export"
    weergavenaam = ""  # the page title in the browsable API, in Dutch

    def get_view_name(self):
        if not self.weergavenaam:
            return super().get_view_name()
        if getattr(self, "detail", False):
            return f"{self.weergavenaam}: één"
        return self.weergavenaam

    @property
    def inzage(self) -> Inzage:
        return inzage(self.request)


class AlleenLezen(ApiBasis, viewsets.ReadOnlyModelViewSet):
    """A read-only list and detail; the list is also CSV (streamed, without pagination)."""

    def list(self, request, *args, **kwargs):
        if is_csv(request):
            queryset = self.filter_queryset(self.get_queryset())
            return self.csv_export(queryset)
        return super().list(request, *args, **kwargs)

    def csv_rijen(self, queryset) -> tuple[list[str], Iterator[list]]:
        """Header and rows; by default the serializer's fields, nested ones as 'a.b'."""
        serializer = self.get_serializer_class()(context=self.get_serializer_context())
        kolommen = list(plat(_voorbeeld(serializer)).keys())

        def rijen():
            for obj in queryset.iterator(chunk_size=1000):
                data = plat(serializer.to_representation(obj))
                yield [csv_tekst(data.get(k)) for k in kolommen]

        return kolommen, rijen()

    def csv_export(self, queryset):
        kolommen, rijen = self.csv_rijen(queryset)
        return csv_antwoord(self.csv_naam, kolommen, rijen)


def _voorbeeld(serializer) -> dict:
    """The field names of a serializer, with nested serializers' own fields as a dict."""
    from rest_framework import serializers

    uitkomst: dict = {}
    for naam, veld in serializer.fields.items():
        if isinstance(veld, serializers.Serializer):
            uitkomst[naam] = _voorbeeld(veld)
        else:
            uitkomst[naam] = None
    return uitkomst
