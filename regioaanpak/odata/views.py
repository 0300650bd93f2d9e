"""/odata/: a read-only OData v4 feed of the figures, indicators, areas and periods.

For Excel and Power BI ("Gegevens ophalen > Uit OData-feed"), python OData clients and anyone
with a URL. Authenticated with the API tokens (header `Authorization: Token ...`, HTTP Basic
with the token as password, or the query parameter `sleutel` that Power BI's `ApiKeyName`
names), throttled like the API, and protected by the viewer policy through the same selectors
as /api/v1/. Answers are pages of at most `Entiteitenset.pagina` rows with an
`@odata.nextLink`; a page is encoded and sent in pieces.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from urllib.parse import urlencode

from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from regioaanpak.api.authenticatie import (
    BasisTokenAuthenticatie,
    SleutelAuthenticatie,
    TokenAuthenticatie,
)
from regioaanpak.api.throttling import TokenThrottle
from regioaanpak.inzage import inzage
from regioaanpak.odata.metadata import csdl
from regioaanpak.odata.opties import OdataFout, Opties, lees_opties
from regioaanpak.odata.sets import SETS, Entiteitenset

JSON_TYPE = "application/json;odata.metadata=minimal;odata.streaming=true;charset=utf-8"
STUK = 500  # rows encoded per piece of a streamed answer
MAX_SKIPTOKEN = 100


class GeenOnderhandeling(BaseContentNegotiation):
    """The feed answers JSON (and $metadata XML) whatever Accept says: Power BI asks $metadata
    with Accept: application/xml, a browser with text/html."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def json_waarde(waarde) -> str:
    """One value as OData JSON: a Decimal as an exact JSON number, a moment in UTC."""
    if isinstance(waarde, Decimal):
        return format(waarde, "f")
    if isinstance(waarde, dt.datetime):
        return json.dumps(waarde.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"))
    if isinstance(waarde, dt.date):
        return json.dumps(waarde.isoformat())
    return json.dumps(waarde, ensure_ascii=False)


def json_object(rij: dict, namen: tuple[str, ...]) -> str:
    return "{" + ",".join(f'"{n}":{json_waarde(rij[n])}' for n in namen) + "}"


def fout_antwoord(bericht: str, status: int, code: str, **koppen) -> HttpResponse:
    antwoord = HttpResponse(
        json.dumps({"error": {"code": code, "message": bericht}}, ensure_ascii=False),
        status=status,
        content_type="application/json;charset=utf-8",
    )
    antwoord["OData-Version"] = "4.0"
    for naam, waarde in koppen.items():
        antwoord[naam.replace("_", "-")] = waarde
    return antwoord


class OdataBasis(APIView):
    authentication_classes = [
        BasisTokenAuthenticatie,
        TokenAuthenticatie,
        SleutelAuthenticatie,
        SessionAuthentication,
    ]
    permission_classes = [IsAuthenticated]
    throttle_classes = [TokenThrottle]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = GeenOnderhandeling
    schema = None  # described by its own $metadata, not in the REST API's OpenAPI schema

    def handle_exception(self, exc):
        if isinstance(exc, OdataFout):
            return fout_antwoord(exc.bericht, exc.status, exc.code)
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            bericht = (
                _(
                    "Log in met een API-token: in Excel of Power BI bij 'Basis' als wachtwoord, "
                    "bij 'Web-API' als sleutel (ApiKeyName 'sleutel'), of met de kop "
                    "'Authorization: Token <uw token>'."
                )
                if isinstance(exc, exceptions.NotAuthenticated)
                else str(exc.detail)
            )
            return fout_antwoord(
                bericht,
                401,
                "NietIngelogd",
                WWW_Authenticate=BasisTokenAuthenticatie().authenticate_header(self.request),
            )
        if isinstance(exc, exceptions.Throttled):
            koppen = {"Retry_After": str(int(exc.wait))} if exc.wait else {}
            return fout_antwoord(
                _("Te veel verzoeken; probeer het over %(s)s seconden opnieuw.")
                % {"s": int(exc.wait or 60)},
                429,
                "TeVeelVerzoeken",
                **koppen,
            )
        if isinstance(exc, exceptions.MethodNotAllowed):
            return fout_antwoord(
                _("Deze feed is alleen om te lezen (GET)."), 405, "AlleenLezen", Allow="GET, HEAD"
            )
        if isinstance(exc, exceptions.APIException):
            return fout_antwoord(str(exc.detail), exc.status_code, "Geweigerd")
        return super().handle_exception(exc)

    def basis_url(self) -> str:
        return self.request.build_absolute_uri(reverse("odata:dienst"))


class Dienst(OdataBasis):
    """The service document: the entity sets."""

    def get(self, request):
        basis = self.basis_url()
        inhoud = {
            "@odata.context": f"{basis}$metadata",
            "value": [{"name": s.naam, "kind": "EntitySet", "url": s.naam} for s in SETS.values()],
        }
        return _json(json.dumps(inhoud, ensure_ascii=False))


class Metadata(OdataBasis):
    def get(self, request):
        antwoord = HttpResponse(csdl(), content_type="application/xml;charset=utf-8")
        antwoord["OData-Version"] = "4.0"
        return antwoord


def _json(tekst, status: int = 200):
    if isinstance(tekst, str):
        antwoord = HttpResponse(tekst, content_type=JSON_TYPE, status=status)
    else:
        antwoord = StreamingHttpResponse(tekst, content_type=JSON_TYPE, status=status)
    antwoord["OData-Version"] = "4.0"
    return antwoord


class Verzameling(OdataBasis):
    """One entity set: /odata/Waarnemingen, /odata/Waarnemingen/$count, /odata/Indicatoren('x')."""

    def get(self, request, naam: str, entiteit: str | None = None, tellen: str | None = None):
        s = SETS.get(naam)
        if s is None:
            raise OdataFout(
                _("Onbekende verzameling '%(naam)s'; deze feed kent %(namen)s.")
                % {"naam": naam[:60], "namen": ", ".join(SETS)},
                status=404,
                code="NietGevonden",
            )
        beleid = inzage(request)
        opties = lees_opties(
            request.query_params, s.eigenschappen, beschermd_zichtbaar=beleid.alles_ruw
        )
        qs = s.queryset(beleid)
        if opties.filter is not None:
            qs = qs.filter(opties.filter)
        if tellen:
            antwoord = HttpResponse(str(qs.count()), content_type="text/plain;charset=utf-8")
            antwoord["OData-Version"] = "4.0"
            return antwoord
        if entiteit is not None:
            return self._een(s, qs, entiteit, opties, beleid)
        return self._pagina(s, qs, opties, beleid)

    def _een(self, s: Entiteitenset, qs, sleutel: str, opties: Opties, beleid):
        waarde = _sleutelwaarde(s, sleutel)
        rijen = list(qs.filter(**{s.sleutelveld: waarde})[:1])
        if not rijen:
            raise OdataFout(
                _("%(type)s %(sleutel)s bestaat niet of valt buiten uw bereik.")
                % {"type": s.type_naam, "sleutel": sleutel[:60]},
                status=404,
                code="NietGevonden",
            )
        rij = s.publiceer(rijen, beleid)[0]
        selectie = opties.selectie
        deel = "" if selectie == tuple(s.eigenschappen) else "(" + ",".join(selectie) + ")"
        context = f"{self.basis_url()}$metadata#{s.naam}{deel}/$entity"
        return _json(
            '{"@odata.context":' + json.dumps(context) + "," + json_object(rij, opties.selectie)[1:]
        )

    def _pagina(self, s: Entiteitenset, qs, opties: Opties, beleid):
        sleutelveld = s.sleutelveld
        volgorde = [("-" if af else "") + s.eigenschappen[n].veld for n, af in opties.sortering]
        if sleutelveld not in {v.lstrip("-") for v in volgorde}:
            volgorde.append(sleutelveld)
        totaal = qs.count() if opties.tellen else None
        # In key order a next page starts after the last key ($skiptoken): no row is read twice
        # or skipped when rows are added in between; a chosen order pages with $skip.
        op_sleutel = not opties.sortering
        if opties.skiptoken is not None:
            if not op_sleutel:
                raise OdataFout(
                    _("$skiptoken hoort bij de volgorde op de sleutel; volg de nextLink.")
                )
            qs = qs.filter(**{f"{sleutelveld}__gt": _sleutelwaarde(s, opties.skiptoken)})
        aantal = s.pagina if opties.top is None else min(s.pagina, opties.top)
        rijen = list(qs.order_by(*volgorde)[opties.skip : opties.skip + aantal + 1])
        meer = len(rijen) > aantal and (opties.top is None or opties.top > aantal)
        rijen = rijen[:aantal]
        volgende = self._volgende(s, opties, aantal, rijen, op_sleutel) if meer and rijen else None
        gepubliceerd = s.publiceer(rijen, beleid)
        basis = self.basis_url()
        selectie = opties.selectie
        context = f"{basis}$metadata#{s.naam}"
        if selectie != tuple(s.eigenschappen):
            context += "(" + ",".join(selectie) + ")"

        def stukken() -> Iterator[str]:
            kop = '{"@odata.context":' + json.dumps(context)
            if totaal is not None:
                kop += f',"@odata.count":{totaal}'
            yield kop + ',"value":['
            for begin in range(0, len(gepubliceerd), STUK):
                stuk = ",".join(
                    json_object(r, selectie) for r in gepubliceerd[begin : begin + STUK]
                )
                yield ("," if begin else "") + stuk
            yield "]" + (f',"@odata.nextLink":{json.dumps(volgende)}' if volgende else "") + "}"

        return _json(stukken())

    def _volgende(self, s, opties: Opties, aantal: int, rijen: list, op_sleutel: bool) -> str:
        # Never the key (?sleutel=): Power BI adds it to every request itself, and an answer's
        # body is no place for a token.
        weg = {"$skip", "$top", "$skiptoken", SleutelAuthenticatie.parameter}
        parameters = {k: v for k, v in self.request.query_params.items() if k not in weg}
        if op_sleutel:
            parameters["$skiptoken"] = str(rijen[-1][s.sleutelveld])
        else:
            parameters["$skip"] = str(opties.skip + aantal)
        if opties.top is not None:
            parameters["$top"] = str(opties.top - aantal)
        return f"{self.basis_url()}{s.naam}?{urlencode(parameters)}"


def _sleutelwaarde(s: Entiteitenset, tekst: str):
    """A key from the address (Waarnemingen(12), Indicatoren('vt_meldingen')) or a $skiptoken."""
    tekst = tekst.strip()
    if len(tekst) > MAX_SKIPTOKEN:
        raise OdataFout(_("Deze sleutel is te lang."))
    edm = s.eigenschappen[s.sleutel].edm
    if edm == "Edm.Int64":
        if not re.fullmatch(r"[0-9]{1,18}", tekst):
            raise OdataFout(
                _("De sleutel van %(type)s is een geheel getal, niet '%(tekst)s'.")
                % {"type": s.type_naam, "tekst": tekst[:40]}
            )
        return int(tekst)
    if len(tekst) >= 2 and tekst[0] == tekst[-1] == "'":
        tekst = tekst[1:-1].replace("''", "'")
    return tekst
