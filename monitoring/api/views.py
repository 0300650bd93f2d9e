"""Indicators and figures: the figures list (stored or computed) and the bulk import."""

from __future__ import annotations

import json
from decimal import Decimal

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import BaseParser, MultiPartParser
from rest_framework.response import Response

from monitoring.api.serializers import (
    ImportBestandSerializer,
    ImportRijSerializer,
    ImportSamenvattingSerializer,
    IndicatorSerializer,
    WaarnemingSerializer,
    WaarnemingVraagSerializer,
)
from monitoring.models import Indicator
from monitoring.selectors.api import (
    KOLOMMEN,
    Publicatie,
    Vraag,
    VraagFout,
    berekende_cijfers,
    catalogus,
    opgeslagen_csv_database,
    opgeslagen_csv_rijen,
    opgeslagen_rij,
    opgeslagen_waarnemingen,
)
from monitoring.selectors.cijfers import BuitenBereik
from monitoring.services import (
    Aanlevering,
    ImportFout,
    waarnemingen_importeer,
    waarnemingen_lees_bestand,
    waarnemingen_lees_csv,
)
from monitoring.services.bestanden import OPTIONELE_KOLOMMEN, VERPLICHTE_KOLOMMEN
from regioaanpak import paginacache
from regioaanpak.api.basis import (
    AlleenLezen,
    ApiBasis,
    csv_antwoord,
    csv_antwoord_opgemaakt,
    is_csv,
)
from regioaanpak.api.paginering import LijstCursor
from regioaanpak.api.parsers import VeiligeJSONParser
from regioaanpak.api.renderers import ONDERDRUKT_TEKEN, csv_tekst, csv_veilig
from regioaanpak.choices import RegioSoort
from regioaanpak.inzage import Inzage
from regioaanpak.middleware import invoergrens
from regioaanpak.models import Regio
from regioaanpak.models.organisaties import standaard_organisatie
from regioaanpak.selectors import Ledenregister
from regioaanpak.tabellen import Grenzen, getal, te_groot

MAX_FOUTEN_GETOOND = 1000


@extend_schema_view(
    list=extend_schema(summary="Indicatoren", tags=["indicatoren"]),
    retrieve=extend_schema(summary="Eén indicator", tags=["indicatoren"]),
)
class IndicatorViewSet(AlleenLezen):
    """De indicatorcatalogus: definities, eenheden, normen en de instellingen van de
    geheimhouding (drempel en afronding) per indicator."""

    serializer_class = IndicatorSerializer
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    csv_naam = "indicatoren"
    weergavenaam = "Indicatoren"

    def get_queryset(self):
        return Indicator.objects.order_by("code")


class CSVParser(BaseParser):
    """A CSV file as the request body (Content-Type: text/csv); read by the import itself."""

    media_type = "text/csv"

    def parse(self, stream, media_type=None, parser_context=None):
        return stream.read()


def _tekst(waarde) -> str | None:
    """A JSON value as the text the import reads; None when it is no text or number."""
    if waarde is None:
        return ""
    if isinstance(waarde, bool):
        return None
    if isinstance(waarde, Decimal | int):
        # A JSON number is exact and never ambiguous: written with a decimal comma, as the
        # import reads Dutch numbers ("1.234" as text would be refused as ambiguous).
        return f"{Decimal(waarde):f}".replace(".", ",")
    if isinstance(waarde, str):
        return waarde
    return None


def json_rijen(data) -> tuple[list[dict], list[ImportFout]]:
    """Rows of a JSON body: a list of objects, or {"waarnemingen": [...]}; line = position."""
    if isinstance(data, dict) and isinstance(data.get("waarnemingen"), list):
        data = data["waarnemingen"]
    if not isinstance(data, list):
        return [], [
            ImportFout(
                1,
                None,
                _(
                    'Stuur een lijst van waarnemingen: [{"indicator": ..., "gebied": ..., '
                    '"periode": ..., "waarde": ...}, ...].'
                ),
            )
        ]
    if len(data) > settings.INVOER_MAX_REGELS:
        return [], [
            ImportFout(
                1,
                None,
                _("Te veel regels (%(aantal)s); stuur ten hoogste %(max)s per keer.")
                % {"aantal": getal(len(data)), "max": getal(settings.INVOER_MAX_REGELS)},
            )
        ]
    toegestaan = set(VERPLICHTE_KOLOMMEN) | set(OPTIONELE_KOLOMMEN)
    # Read once, not per field: 100.000 rows have 400.000 fields.
    max_cel, max_fouten = settings.INVOER_MAX_CEL, settings.INVOER_MAX_FOUTEN
    namen: dict[str, str] = {}  # field name as sent -> as read ("Waarde " -> "waarde")
    rijen, fouten = [], []
    for regel, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            fouten.append(ImportFout(regel, None, _("dit is geen object met velden.")))
            continue
        rij: dict = {"__regel__": regel}
        goed = True
        for sleutel, waarde in item.items():
            naam = namen.get(sleutel)
            if naam is None:
                naam = namen[sleutel] = str(sleutel).strip().lower()
            if naam not in toegestaan:
                fouten.append(
                    ImportFout(
                        regel,
                        str(sleutel),
                        _("onbekend veld; toegestaan zijn %(velden)s.")
                        % {"velden": ", ".join(VERPLICHTE_KOLOMMEN + OPTIONELE_KOLOMMEN)},
                    )
                )
                goed = False
                continue
            soort = type(waarde)
            tekst = waarde if soort is str else str(waarde) if soort is int else _tekst(waarde)
            if tekst is None:
                fouten.append(
                    ImportFout(
                        regel,
                        naam,
                        _("'%(waarde)s' is geen tekst of getal.")
                        % {"waarde": json.dumps(waarde, default=str)},
                    )
                )
                goed = False
                continue
            if len(tekst) > max_cel:
                fouten.append(
                    ImportFout(
                        regel,
                        naam,
                        _("de waarde heeft %(n)s tekens; ten hoogste %(max)s.")
                        % {"n": getal(len(tekst)), "max": getal(max_cel)},
                    )
                )
                goed = False
                continue
            rij[naam] = tekst
        if len(fouten) >= max_fouten:
            fouten.append(
                ImportFout(
                    regel,
                    None,
                    _("meer dan %(max)s fouten; het lezen is hier gestopt. Verbeter eerst deze.")
                    % {"max": getal(max_fouten)},
                )
            )
            break
        if goed:
            rijen.append(rij)
    return rijen, fouten


def _samenvatting(
    *, dry_run: bool, resultaat=None, fouten=None, regels: int = 0, blind: bool = False
) -> dict:
    """The answer to a delivery. `blind`: the sender may not see the stored figures (a partner's
    write token): whether a row is new, changed or the same would tell the stored value (send
    0..9 and see which one is 'ongewijzigd'), so only the total is given."""
    fouten = list(fouten if fouten is not None else resultaat.fouten)
    opgeslagen = bool(resultaat is not None and resultaat.opgeslagen)
    if blind and not fouten:
        aantal = 0 if resultaat is None else len(resultaat.rijen)
        if dry_run:
            bericht = _("Proefdraai (dry_run): alles is in orde, maar er is niets opgeslagen.")
        else:
            bericht = _("Opgeslagen: %(aantal)s cijfers verwerkt.") % {"aantal": aantal}
        return {
            "dry_run": dry_run,
            "opgeslagen": opgeslagen,
            "regels": aantal,
            "nieuw": None,
            "gewijzigd": None,
            "ongewijzigd": None,
            "fouten_totaal": 0,
            "fouten": [],
            "bericht": bericht,
        }
    if fouten:
        bericht = _(
            "Er is niets opgeslagen: %(aantal)s %(fouten)s. Verbeter de regels en stuur alles "
            "opnieuw."
        ) % {"aantal": len(fouten), "fouten": _("fout") if len(fouten) == 1 else _("fouten")}
    elif dry_run:
        bericht = _("Proefdraai (dry_run): alles is in orde, maar er is niets opgeslagen.")
    elif not (resultaat.nieuw or resultaat.gewijzigd):
        bericht = _("Niets gewijzigd: deze cijfers stonden er al zo.")
    else:
        bericht = _("Opgeslagen: %(samenvatting)s.") % {"samenvatting": resultaat.samenvatting()}
    return {
        "dry_run": dry_run,
        "opgeslagen": opgeslagen,
        "regels": regels if resultaat is None else len(resultaat.rijen),
        "nieuw": 0 if resultaat is None or fouten else resultaat.nieuw,
        "gewijzigd": 0 if resultaat is None or fouten else resultaat.gewijzigd,
        "ongewijzigd": 0 if resultaat is None or fouten else resultaat.ongewijzigd,
        "fouten_totaal": len(fouten),
        "fouten": [
            {"regel": f.regel, "veld": f.kolom, "reden": f.reden}
            for f in fouten[:MAX_FOUTEN_GETOOND]
        ],
        "bericht": bericht,
    }


def _geweigerd(melding: str, status: int) -> JsonResponse:
    """A refusal of InvoerGrensMiddleware (too big, a NUL character) in the import's own answer
    shape, so a client reads every refusal of a delivery the same way."""
    return JsonResponse(
        _samenvatting(dry_run=False, fouten=[ImportFout(1, None, melding)]), status=status
    )


IMPORT_VOORBEELD = [
    {"indicator": "vt_meldingen", "gebied": "GM0505", "periode": "2021KW01", "waarde": 412},
    {
        "indicator": "vt_adviezen",
        "gebied": "GM0505",
        "periode": "2021KW01",
        "waarde": "1034",
        "status": "voorlopig",
    },
]


@extend_schema_view(
    list=extend_schema(
        summary="Cijfers (waarnemingen)",
        tags=["cijfers"],
        parameters=[WaarnemingVraagSerializer],
        responses=WaarnemingSerializer(many=True),
    )
)
class WaarnemingViewSet(ApiBasis, viewsets.GenericViewSet):
    """Cijfers per gemeente of regio en periode.

    Zonder `niveau`: de opgeslagen cijfers zoals aangeleverd. Met `niveau=gemeente` of
    `niveau=regio`: de antwoorden van de cijferselector (kwartalen opgeteld tot halfjaren en
    jaren, gemeenten tot de regio, afgeleide indicatoren uit teller en noemer), dezelfde
    cijfers als op de dashboards en in de rapportages. Alleen goedgekeurde cijfers, tenzij
    `ingediend=true` (voor wie dat mag)."""

    serializer_class = WaarnemingSerializer
    csv_naam = "waarnemingen"
    weergavenaam = "Cijfers (waarnemingen)"

    def get_queryset(self):  # for the schema generator; the list builds its own question
        return Indicator.objects.none()

    def _vraag(self, request) -> tuple[Vraag, Inzage]:
        vraag_ser = WaarnemingVraagSerializer(data=request.query_params)
        vraag_ser.is_valid(raise_exception=True)
        inzage = self.inzage
        if vraag_ser.validated_data.get("ingediend"):
            regios = vraag_ser.validated_data.get("regio") or (
                sorted(inzage.lees) if inzage.lees is not None else []
            )
            zonder = [r for r in regios if not inzage.mag_onvoltooid(r)]
            if zonder or (inzage.onvoltooid is not None and not inzage.onvoltooid):
                raise exceptions.PermissionDenied(
                    _(
                        "Ingediende, nog niet goedgekeurde cijfers zijn alleen zichtbaar voor de "
                        "projectleider, beleidsmedewerker of beheerder van de regio "
                        "(niet voor %(regios)s)."
                    )
                    % {"regios": ", ".join(zonder) or _("uw regio's")}
                )
            inzage = inzage.met_ingediend()
        if inzage.lees is not None:
            buiten = [r for r in vraag_ser.validated_data.get("regio", ()) if r not in inzage.lees]
            # The country is a comparison every viewer may see (disclosure-controlled).
            landen = set(
                Regio.objects.filter(code__in=buiten, soort=RegioSoort.LAND).values_list(
                    "code", flat=True
                )
            )
            buiten = [r for r in buiten if r not in landen]
            gemeenten = vraag_ser.validated_data.get("gemeente", ())
            if gemeenten:
                bereikbaar = Ledenregister(inzage.lees).gemeenten()
                buiten += [g for g in gemeenten if g not in bereikbaar]
            if buiten:
                raise exceptions.PermissionDenied(
                    _("U heeft geen toegang tot de cijfers van %(regios)s.")
                    % {"regios": ", ".join(buiten)}
                )
        return vraag_ser.vraag(), inzage

    def list(self, request, *args, **kwargs):
        vraag, inzage = self._vraag(request)
        if is_csv(request):
            return self._csv(vraag, inzage)
        if request.accepted_renderer.format != "json":  # the browsable API: its page controls
            return self._pagina(request, vraag, inzage)
        # A page is cached under the data's version and the viewer's policy (as the dashboards
        # are): a partner walking through the pages again, or the next partner with the same
        # rights, gets them without the selector; an approval or import changes the key.
        # The rendered JSON is kept, so a hit costs neither the selector nor the encoding.
        renderer = request.accepted_renderer

        def maak() -> bytes:
            data = self._pagina(request, vraag, inzage).data
            return renderer.render(data, request.accepted_media_type, self.get_renderer_context())

        if settings.PAGINACACHE_SECONDEN > 0:
            sleutel = paginacache.sleutel("api:waarnemingen", inzage, request.build_absolute_uri())
            inhoud = paginacache.gecachet(sleutel, maak)
        else:
            inhoud = maak()
        soort = request.accepted_media_type  # as DRF's Response names it
        if renderer.charset:
            soort = f"{soort}; charset={renderer.charset}"
        return HttpResponse(inhoud, content_type=soort)

    def _csv(self, vraag: Vraag, inzage: Inzage):
        if vraag.niveau is not None:
            items = self._berekend(vraag, inzage)
            return csv_antwoord(self.csv_naam, KOLOMMEN, (_csv_rij(i) for i in items))
        qs, publicatie = self._opgeslagen(vraag, inzage)
        opgemaakt = opgeslagen_csv_database(qs, publicatie)
        if opgemaakt is not None:
            return csv_antwoord_opgemaakt(self.csv_naam, KOLOMMEN, opgemaakt)
        return csv_antwoord(self.csv_naam, KOLOMMEN, opgeslagen_csv_rijen(qs, publicatie))

    @staticmethod
    def _berekend(vraag: Vraag, inzage: Inzage) -> list:
        try:
            return berekende_cijfers(vraag, inzage)
        except VraagFout as fout:
            raise exceptions.ValidationError({fout.veld: [fout.bericht]}) from None
        except BuitenBereik as fout:
            raise exceptions.PermissionDenied(str(fout)) from None

    @staticmethod
    def _opgeslagen(vraag: Vraag, inzage: Inzage):
        try:
            qs = opgeslagen_waarnemingen(vraag, inzage)
        except VraagFout as fout:
            raise exceptions.ValidationError({fout.veld: [fout.bericht]}) from None
        return qs, Publicatie(inzage, catalogus())

    def _pagina(self, request, vraag: Vraag, inzage: Inzage) -> Response:
        if vraag.niveau is not None:
            return LijstCursor().response(request, self._berekend(vraag, inzage))
        qs, publicatie = self._opgeslagen(vraag, inzage)
        paginator = self.paginator
        paginator.ordering = "id"
        pagina = paginator.paginate_queryset(qs, request, view=self)
        publicatie.voorbereiden(
            (r["indicator_id"], r["gemeente_id"] or r["regio_id"], r["periode_id"]) for r in pagina
        )
        return paginator.get_paginated_response([opgeslagen_rij(r, publicatie) for r in pagina])

    @extend_schema(
        summary="Cijfers aanleveren (bulk, alles of niets)",
        tags=["cijfers"],
        description=(
            "Nieuwe en gewijzigde cijfers in één keer: een JSON-lijst, een CSV-bestand als body "
            "(`Content-Type: text/csv`) of een bestand (`bestand`, CSV of .xlsx) als "
            "multipart/form-data. Kolommen: indicator, gebied, periode, waarde en optioneel "
            "status, bron, toelichting. Alles of niets: bij één foute regel wordt niets "
            "opgeslagen en noemt het antwoord per regel het veld en de reden. Met "
            "`?dry_run=true` wordt alleen gecontroleerd en geteld. Dezelfde aanlevering "
            "nogmaals verandert niets. Goedgekeurde (vergrendelde) en ingediende perioden "
            "worden geweigerd. Alleen met een token met schrijfrechten, voor de eigen regio's. "
            "Een token levert voor één organisatie (Veilig Thuis, of bijvoorbeeld Moviera): "
            "een regel met een indicator die in die regio een andere organisatie levert, wordt "
            "geweigerd; elke organisatie heeft per regio en kwartaal haar eigen levering."
        ),
        request={
            "application/json": ImportRijSerializer(many=True),
            "text/csv": OpenApiTypes.BINARY,
            "multipart/form-data": ImportBestandSerializer,
        },
        parameters=[],
        responses={
            200: ImportSamenvattingSerializer,
            400: ImportSamenvattingSerializer,
            403: OpenApiResponse(description="Geen schrijfrechten voor (een deel van) de regio's."),
            409: OpenApiResponse(
                ImportSamenvattingSerializer,
                description="Alle fouten zijn vergrendelde of ingediende perioden.",
            ),
            413: OpenApiResponse(
                ImportSamenvattingSerializer,
                description="Meer dan INVOER_MAX_IMPORT_MB (standaard 50 MB) in één verzoek.",
            ),
        },
        examples=[OpenApiExample("Twee cijfers", value=IMPORT_VOORBEELD, request_only=True)],
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[VeiligeJSONParser, CSVParser, MultiPartParser],
    )
    @invoergrens("INVOER_MAX_IMPORT_MB", weigering=_geweigerd)
    def importeren(self, request):
        inzage = self.inzage
        if not inzage.schrijft_ergens:
            if inzage.token is not None:
                bericht = _(
                    "Dit token mag alleen lezen; vraag een beheerder om een token met "
                    "schrijfrechten (scope 'schrijven')."
                )
            else:
                bericht = _(
                    "Alleen de projectleider of een beheerder van een regio kan cijfers aanleveren."
                )
            raise exceptions.PermissionDenied(bericht)
        dry_run = str(request.query_params.get("dry_run", "")).lower() in {"1", "true", "ja"}
        rijen, fouten = self._rijen(request)
        if not fouten and not rijen:
            fouten = [ImportFout(1, None, _("De aanlevering bevat geen waarnemingen."))]
        token = inzage.token
        aanlevering = Aanlevering(
            regios=inzage.schrijf,
            herkomst=inzage.herkomst,
            # A token delivers for its organisation only (the standard one when none is set).
            organisatie=(token.organisatie_id or standaard_organisatie())
            if token is not None
            else None,
        )
        if fouten:
            regels = len({int(r["__regel__"]) for r in rijen} | {f.regel for f in fouten})
            if rijen and not any(f.regel == 1 and f.kolom is None for f in fouten):
                # Check the readable rows too, so one answer names every wrong row.
                fouten = (
                    fouten
                    + waarnemingen_importeer(
                        rijen=rijen, dry_run=True, gebruiker=request.user, aanlevering=aanlevering
                    ).fouten
                )
            fouten.sort(key=lambda f: f.regel)
            return Response(
                _samenvatting(dry_run=dry_run, fouten=fouten, regels=regels),
                status=status.HTTP_400_BAD_REQUEST,
            )
        resultaat = waarnemingen_importeer(
            rijen=rijen,
            dry_run=dry_run,
            gebruiker=request.user,
            aanlevering=aanlevering,
        )
        antwoord = _samenvatting(
            dry_run=dry_run,
            resultaat=resultaat,
            blind=any(not inzage.mag_onvoltooid(r) for r in (inzage.schrijf or ())),
        )
        if not resultaat.fouten:
            return Response(antwoord)
        alleen_vergrendeld = all(
            f.kolom is None and ("vergrendeld" in f.reden or "ingediend" in f.reden)
            for f in resultaat.fouten
        )
        return Response(
            antwoord,
            status=status.HTTP_409_CONFLICT if alleen_vergrendeld else status.HTTP_400_BAD_REQUEST,
        )

    @classmethod
    def _rijen(cls, request) -> tuple[list[dict], list[ImportFout]]:
        try:
            return cls._lees(request)
        except exceptions.ParseError as exc:
            return [], [ImportFout(1, None, str(exc.detail))]

    @staticmethod
    def _lees(request) -> tuple[list[dict], list[ImportFout]]:
        soort = (request.content_type or "").split(";")[0].strip().lower()
        if soort == "text/csv":
            return waarnemingen_lees_csv(request.data or b"", Grenzen.import_())
        if soort == "multipart/form-data":
            bestand = request.FILES.get("bestand")
            if bestand is None:
                return [], [
                    ImportFout(1, "bestand", _("Voeg het bestand toe in het veld 'bestand'."))
                ]
            grenzen = Grenzen.import_()
            fout = te_groot(bestand.size, grenzen)
            if fout is not None:
                return [], [fout]
            return waarnemingen_lees_bestand(bestand.read(), bestand.name, grenzen)
        return json_rijen(request.data)


def _csv_rij(item: dict) -> list[str]:
    waarde = item["waarde"]
    if waarde is None and item["status"] == "geheim":
        waarde_tekst = ONDERDRUKT_TEKEN
    else:
        waarde_tekst = csv_tekst(waarde)
    return [
        "" if item["id"] is None else str(item["id"]),
        item["indicator"],
        item["gebied"],
        item["gebied_soort"],
        item["periode"],
        waarde_tekst,
        item["status"] or "",
        item["geheimhouding"] or "",
        "true" if item["samengesteld"] else "false",
        csv_veilig(item["bron"]),
        csv_veilig("; ".join(item["ontbreekt"])),
        item["gewijzigd_op"].isoformat() if item["gewijzigd_op"] else "",
    ]
