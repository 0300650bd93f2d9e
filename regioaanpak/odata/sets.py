"""The entity sets of the OData feed: what each reads, under which policy, and how a row is
published.

Figures are the API's stored figures ("zoals aangeleverd"): the same query within the viewer's
reach and release (`opgeslagen_waarnemingen`) and the same publication per row (`Publicatie`,
`opgeslagen_rij`) as /api/v1/waarnemingen/, so the feed and the REST API give one number for
one question and one viewer. Indicators, municipalities, regions and periods are reference data
every signed-in user may read, as in the REST API.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Case, CharField, ExpressionWrapper, F, QuerySet, Value, When
from django.db.models.functions import Coalesce

from monitoring.models import Indicator
from monitoring.selectors.api import (
    Publicatie,
    Vraag,
    catalogus,
    opgeslagen_rij,
    opgeslagen_waarnemingen,
)
from regioaanpak.inzage import Inzage
from regioaanpak.models import Gemeente, Periode, Regio
from regioaanpak.odata.opties import Eigenschap

NAMESPACE = "Regioaanpak"
CONTAINER = "Regioaanpakmonitor"


@dataclass
class Entiteitenset:
    naam: str
    type_naam: str
    sleutel: str  # the key property
    eigenschappen: dict[str, Eigenschap]
    queryset: Callable[[Inzage], QuerySet]  # values() rows, unordered
    publiceer: Callable[[list[dict], Inzage], list[dict]]  # rows -> {property: value}
    omschrijving: str = ""
    pagina: int = 5000  # rows per answer (server-driven paging)
    extra: dict = field(default_factory=dict)

    @property
    def sleutelveld(self) -> str:
        return self.eigenschappen[self.sleutel].veld


def _eigenschappen(*lijst: Eigenschap) -> dict[str, Eigenschap]:
    return {e.naam: e for e in lijst}


# -- figures --------------------------------------------------------------------------------------
WAARNEMING = _eigenschappen(
    Eigenschap("Id", "Edm.Int64", "id", nullable=False),
    Eigenschap("Indicator", "Edm.String", "odata_indicator", nullable=False),
    Eigenschap("Gebied", "Edm.String", "odata_gebied", nullable=False),
    Eigenschap("GebiedSoort", "Edm.String", "odata_gebied_soort", nullable=False),
    Eigenschap("Periode", "Edm.String", "odata_periode", nullable=False),
    Eigenschap("Waarde", "Edm.Decimal", "waarde", beschermd=True),
    Eigenschap("Status", "Edm.String", "status", nullable=False, beschermd=True),
    Eigenschap("Geheimhouding", "Edm.String", ""),
    Eigenschap("Bron", "Edm.String", "bron", nullable=False),
    Eigenschap("GewijzigdOp", "Edm.DateTimeOffset", "gewijzigd_op"),
)
_WAARNEMING_API = {
    "Id": "id",
    "Indicator": "indicator",
    "Gebied": "gebied",
    "GebiedSoort": "gebied_soort",
    "Periode": "periode",
    "Waarde": "waarde",
    "Status": "status",
    "Geheimhouding": "geheimhouding",
    "Bron": "bron",
    "GewijzigdOp": "gewijzigd_op",
}


def waarnemingen(inzage: Inzage, vraag: Vraag | None = None) -> QuerySet:
    """The stored figures within reach and release, with the feed's Gebied and GebiedSoort."""
    # The keys as text (the same column in SQL), so contains() and startswith() apply to them.
    return opgeslagen_waarnemingen(vraag or Vraag(), inzage).alias(
        odata_indicator=ExpressionWrapper(F("indicator_id"), output_field=CharField()),
        odata_periode=ExpressionWrapper(F("periode_id"), output_field=CharField()),
        odata_gebied=Coalesce("gemeente_id", "regio_id", output_field=CharField()),
        odata_gebied_soort=Case(
            When(gemeente_id__isnull=False, then=Value("gemeente")),
            default=Value("regio"),
            output_field=CharField(),
        ),
    )


def publiceer_waarnemingen(rijen: list[dict], inzage: Inzage) -> list[dict]:
    """As /api/v1/waarnemingen/ publishes them: raw, rounded or suppressed for this viewer; the
    stored sums of the page are asked of the figure selector in one call."""
    publicatie = Publicatie(inzage, catalogus())
    publicatie.voorbereiden(
        (r["indicator_id"], r["gemeente_id"] or r["regio_id"], r["periode_id"]) for r in rijen
    )
    uitkomst = []
    for rij in rijen:
        api = opgeslagen_rij(rij, publicatie)
        uitkomst.append({naam: api[sleutel] for naam, sleutel in _WAARNEMING_API.items()})
    return uitkomst


# -- reference data -------------------------------------------------------------------------------
def _hernoemd(eigenschappen: dict[str, Eigenschap]):
    def publiceer(rijen: list[dict], inzage: Inzage) -> list[dict]:
        return [{n: rij[e.veld] for n, e in eigenschappen.items()} for rij in rijen]

    return publiceer


def _waarden(model, eigenschappen: dict[str, Eigenschap], **sleutels: str):
    """Rows of a reference model; `sleutels` are foreign keys read as text (name=field)."""

    def queryset(inzage: Inzage) -> QuerySet:
        tekst = {n: ExpressionWrapper(F(v), output_field=CharField()) for n, v in sleutels.items()}
        return (
            model.objects.order_by()
            .annotate(**tekst)
            .values(*(e.veld for e in eigenschappen.values()))
        )

    return queryset


INDICATOR = _eigenschappen(
    Eigenschap("Code", "Edm.String", "code", nullable=False),
    Eigenschap("Naam", "Edm.String", "naam", nullable=False),
    Eigenschap("Definitie", "Edm.String", "definitie", nullable=False),
    Eigenschap("Eenheid", "Edm.String", "eenheid", nullable=False),
    Eigenschap("Bron", "Edm.String", "bron", nullable=False),
    Eigenschap("Aggregatie", "Edm.String", "aggregatie", nullable=False),
    Eigenschap("Richting", "Edm.String", "richting", nullable=False),
    Eigenschap("Teller", "Edm.String", "teller_code"),
    Eigenschap("Noemer", "Edm.String", "noemer_code"),
)
GEMEENTE = _eigenschappen(
    Eigenschap("Code", "Edm.String", "cbs_code", nullable=False),
    Eigenschap("Naam", "Edm.String", "naam", nullable=False),
    Eigenschap("GeldigVan", "Edm.Date", "geldig_van"),
    Eigenschap("GeldigTot", "Edm.Date", "geldig_tot"),
    Eigenschap("OpgevolgdDoor", "Edm.String", "opgevolgd_door_code"),
)
REGIO = _eigenschappen(
    Eigenschap("Code", "Edm.String", "code", nullable=False),
    Eigenschap("Naam", "Edm.String", "naam", nullable=False),
    Eigenschap("Soort", "Edm.String", "soort", nullable=False),
    Eigenschap("CbsCode", "Edm.String", "cbs_code_tekst", nullable=False),
)
PERIODE = _eigenschappen(
    Eigenschap("Code", "Edm.String", "code", nullable=False),
    Eigenschap("Soort", "Edm.String", "soort", nullable=False),
    Eigenschap("Jaar", "Edm.Int32", "jaar", nullable=False),
    Eigenschap("Nummer", "Edm.Int32", "nummer", nullable=False),
    Eigenschap("Begindatum", "Edm.Date", "begindatum", nullable=False),
    Eigenschap("Einddatum", "Edm.Date", "einddatum", nullable=False),
)


def _regios(inzage: Inzage) -> QuerySet:
    return (
        Regio.objects.order_by()
        .annotate(cbs_code_tekst=Coalesce(F("cbs_code"), Value(""), output_field=CharField()))
        .values(*(e.veld for e in REGIO.values()))
    )


SETS: dict[str, Entiteitenset] = {
    s.naam: s
    for s in (
        Entiteitenset(
            "Waarnemingen",
            "Waarneming",
            "Id",
            WAARNEMING,
            waarnemingen,
            publiceer_waarnemingen,
            omschrijving="Cijfers per indicator, gemeente of regio en periode, zoals aangeleverd.",
            pagina=10_000,
        ),
        Entiteitenset(
            "Indicatoren",
            "Indicator",
            "Code",
            INDICATOR,
            _waarden(Indicator, INDICATOR, teller_code="teller_id", noemer_code="noemer_id"),
            _hernoemd(INDICATOR),
        ),
        Entiteitenset(
            "Gemeenten",
            "Gemeente",
            "Code",
            GEMEENTE,
            _waarden(Gemeente, GEMEENTE, opgevolgd_door_code="opgevolgd_door_id"),
            _hernoemd(GEMEENTE),
        ),
        Entiteitenset("Regios", "Regio", "Code", REGIO, _regios, _hernoemd(REGIO)),
        Entiteitenset(
            "Perioden",
            "Periode",
            "Code",
            PERIODE,
            _waarden(Periode, PERIODE),
            _hernoemd(PERIODE),
        ),
    )
}
