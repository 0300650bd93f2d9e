"""Figures as the API answers them: stored figures within a reach, or answers of the figure
selector for municipalities or regions, both with disclosure control for partners.

Stored figures ("zoals aangeleverd") are read with one query and streamed row by row; the
computed level goes through `cijfers()`, so the API gives the same numbers as dashboards and
reports for the same question (before disclosure control, which only partners get).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import CharField, F, Func, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext as _

from monitoring.choices import WaarnemingStatus
from monitoring.models import Gegevenslevering, Indicator, Waarneming
from monitoring.selectors.cijfers import Cijfer, cijfers
from monitoring.selectors.geheimhouding import (
    Afgeschermd,
    onderdelen_van,
    regels,
    scherm_cijfer,
    scherm_waarde,
)
from regioaanpak.choices import PeriodeSoort
from regioaanpak.getallen import exact_getal
from regioaanpak.models import Gemeente, Lidmaatschap, Periode, Regio
from regioaanpak.perioden import PeriodeCode
from regioaanpak.selectors import Ledenregister

NIVEAU_GEMEENTE = "gemeente"
ONDERDRUKT = "."  # a secret or suppressed value in CSV (CBS notation)
NIVEAU_REGIO = "regio"
# A computed answer is built in memory; beyond this the question must be narrowed down.
MAX_ANTWOORDEN = 50_000

KOLOMMEN = [
    "id",
    "indicator",
    "gebied",
    "gebied_soort",
    "periode",
    "waarde",
    "status",
    "geheimhouding",
    "samengesteld",
    "bron",
    "ontbreekt",
    "gewijzigd_op",
]
_VELDEN = (
    "id",
    "indicator_id",
    "gemeente_id",
    "regio_id",
    "periode_id",
    "waarde",
    "status",
    "bron",
    "gewijzigd_op",
)


class IsoTijdstip(Func):
    """A timestamp as ISO 8601 text in UTC, made by the database: reading datetimes into Python
    and formatting them again took two fifths of a national CSV export. The format is a query
    parameter, so no '%' ends up in the SQL text."""

    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return (
            f"to_char({sql} AT TIME ZONE 'UTC', %s)",
            [*params, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'],
        )

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"strftime(%s, {sql})", ["%Y-%m-%dT%H:%M:%fZ", *params]


class VraagFout(Exception):
    """A question that cannot be answered; `veld` names the parameter."""

    def __init__(self, veld: str, bericht: str) -> None:
        super().__init__(bericht)
        self.veld = veld
        self.bericht = bericht


class BuitenBereik(Exception):
    """The question names a region or municipality outside the caller's reach."""


@dataclass(frozen=True)
class Vraag:
    indicatoren: tuple[str, ...] = ()
    gemeenten: tuple[str, ...] = ()
    regios: tuple[str, ...] = ()
    perioden: tuple[PeriodeCode, ...] = ()
    van: PeriodeCode | None = None
    tot: PeriodeCode | None = None
    soort: str | None = None
    statussen: tuple[str, ...] = ()
    niveau: str | None = None
    leveringstatussen: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Bereik:
    """What the caller reaches (None: every region) and where values are raw."""

    lees: frozenset[str] | None
    ruw: frozenset[str] | None


# -- periods --------------------------------------------------------------------------------
def _perioden_tussen(van: PeriodeCode | None, tot: PeriodeCode | None, soort: str | None):
    """Every period (of one type, or of all types) lying within [van, tot]."""
    soorten = (
        [soort] if soort else [PeriodeSoort.JAAR, PeriodeSoort.HALFJAAR, PeriodeSoort.KWARTAAL]
    )
    begin = (van or tot).begindatum
    eind = (tot or van).einddatum
    uitkomst = []
    for s in soorten:
        eerste = PeriodeCode.van_datum(begin, s)
        if eerste.begindatum < begin:
            eerste = eerste.volgende()
        laatste = PeriodeCode.van_datum(eind, s)
        if laatste.einddatum > eind:
            laatste = laatste.vorige()
        if not laatste < eerste:
            uitkomst.extend(PeriodeCode.reeks(eerste, laatste))
    return sorted(uitkomst)


def _gevraagde_perioden(vraag: Vraag) -> list[PeriodeCode] | None:
    """The periods asked for; None when no period parameter limits them."""
    if vraag.perioden:
        perioden = [p for p in vraag.perioden if not vraag.soort or p.soort == vraag.soort]
        if vraag.van:
            perioden = [p for p in perioden if p.begindatum >= vraag.van.begindatum]
        if vraag.tot:
            perioden = [p for p in perioden if p.einddatum <= vraag.tot.einddatum]
        return perioden
    if vraag.van or vraag.tot:
        if not (vraag.van and vraag.tot):
            if not vraag.soort and vraag.niveau is not None:
                raise VraagFout(
                    "periode_tot" if vraag.van else "periode_van",
                    _("Geef bij een reeks van perioden zowel periode_van als periode_tot op."),
                )
            return None
        if vraag.tot.einddatum < vraag.van.begindatum:
            raise VraagFout(
                "periode_tot",
                _("periode_tot (%(tot)s) ligt vóór periode_van (%(van)s).")
                % {"tot": vraag.tot.code, "van": vraag.van.code},
            )
        return _perioden_tussen(vraag.van, vraag.tot, vraag.soort)
    return None


# -- stored figures -------------------------------------------------------------------------
def _leden_q(register: Ledenregister) -> Q:
    """Figures of municipalities while they were members of the register's regions.

    Open-ended memberships are one IN list; a dated one names its periods, so the figures table
    needs no join (which would stop PostgreSQL from streaming it in primary-key order)."""
    altijd = register.altijd_lid()
    q = Q(gemeente_id__in=sorted(altijd)) if altijd else Q(pk__in=[])
    gedateerd = register.gedateerd()
    if gedateerd:
        perioden = list(Periode.objects.values_list("code", "begindatum", "einddatum"))
        for gemeente, van, tot in gedateerd:
            codes = [code for code, begin, eind in perioden if eind >= van and begin <= tot]
            q |= Q(gemeente_id=gemeente, periode_id__in=codes)
    return q


def _vrijgegeven(statussen: frozenset[str]) -> Q:
    """A figure counts when a delivery in one of the statuses covers it: for a municipality's
    figure a delivery of a region it was a member of in that period, for a region's own figure
    that region's delivery (the figure selector's rule).

    Both are one uncorrelated IN on (area, period), which PostgreSQL hashes once; a correlated
    EXISTS would be run again for every figure (4,5 s against 0,3 s for the whole country)."""
    gemeente_paren = (
        Lidmaatschap.objects.filter(
            Q(geldig_van__isnull=True)
            | Q(geldig_van__lte=F("regio__gegevensleveringen__periode__einddatum")),
            Q(geldig_tot__isnull=True)
            | Q(geldig_tot__gte=F("regio__gegevensleveringen__periode__begindatum")),
            regio__gegevensleveringen__workflow_status__in=statussen,
        )
        .annotate(sleutel=Concat("gemeente_id", "regio__gegevensleveringen__periode_id"))
        .values("sleutel")
    )
    regio_paren = (
        Gegevenslevering.objects.filter(workflow_status__in=statussen)
        .annotate(sleutel=Concat("regio_id", Value("|"), "periode_id"))
        .values("sleutel")
    )
    return Q(gemeente_sleutel__in=gemeente_paren) | Q(regio_sleutel__in=regio_paren)


def opgeslagen_waarnemingen(vraag: Vraag, bereik: Bereik) -> QuerySet:
    """Stored figures matching the question within the reach, as value dicts (no ordering)."""
    qs = Waarneming.objects.all()
    if vraag.indicatoren:
        qs = qs.filter(indicator_id__in=vraag.indicatoren)
    if vraag.gemeenten:
        qs = qs.filter(gemeente_id__in=vraag.gemeenten)
    if vraag.regios:
        qs = qs.filter(_leden_q(Ledenregister(vraag.regios)) | Q(regio_id__in=vraag.regios))
    if bereik.lees is not None:
        qs = qs.filter(_leden_q(Ledenregister(bereik.lees)) | Q(regio_id__in=bereik.lees))
    perioden = _gevraagde_perioden(vraag)
    if perioden is not None:
        qs = qs.filter(periode_id__in=[p.code for p in perioden])
    else:
        if vraag.van:
            qs = qs.filter(periode__begindatum__gte=vraag.van.begindatum)
        if vraag.tot:
            qs = qs.filter(periode__einddatum__lte=vraag.tot.einddatum)
        if vraag.soort:
            qs = qs.filter(periode__soort=vraag.soort)
    if vraag.statussen:
        qs = qs.filter(status__in=vraag.statussen)
    qs = qs.alias(
        gemeente_sleutel=Concat("gemeente_id", "periode_id", output_field=CharField()),
        regio_sleutel=Concat("regio_id", Value("|"), "periode_id", output_field=CharField()),
    ).filter(_vrijgegeven(vraag.leveringstatussen))
    return qs.order_by().values(*_VELDEN)


class Schermer:
    """Decides per area and period whether a value is raw or disclosure-controlled."""

    def __init__(self, bereik: Bereik, indicatoren: dict[str, Indicator]) -> None:
        self.indicatoren = indicatoren
        self.regels = regels(indicatoren)
        self.ruw = bereik.ruw
        self.alles_ruw = bereik.ruw is None or (
            bereik.lees is not None and bereik.lees <= bereik.ruw
        )
        self.register = Ledenregister(bereik.ruw) if not self.alles_ruw and bereik.ruw else None

    def is_ruw(self, gebied: str, periode: str) -> bool:
        if self.alles_ruw:
            return True
        if not self.ruw:
            return False
        if not gebied.startswith("GM"):
            return gebied in self.ruw
        return bool(self.register.regios_van(gebied, periode))


def _publiceer_opgeslagen(
    indicator: str, gebied: str, periode: str, waarde, status: str, schermer: Schermer
) -> tuple[Decimal | None, str, str | None]:
    if status == WaarnemingStatus.GEHEIM:
        waarde = None
    regel = schermer.regels.get(indicator)
    if regel is not None and not schermer.is_ruw(gebied, periode):
        gepubliceerd = scherm_waarde(waarde, status, regel)
        return gepubliceerd.waarde, gepubliceerd.status, gepubliceerd.geheimhouding
    return waarde, status, None


def opgeslagen_rij(rij: dict, schermer: Schermer) -> dict:
    """One stored figure as the API shows it."""
    gebied = rij["gemeente_id"] or rij["regio_id"]
    waarde, status, geheimhouding = _publiceer_opgeslagen(
        rij["indicator_id"], gebied, rij["periode_id"], rij["waarde"], rij["status"], schermer
    )
    return {
        "id": rij["id"],
        "indicator": rij["indicator_id"],
        "gebied": gebied,
        "gebied_soort": NIVEAU_GEMEENTE if rij["gemeente_id"] else NIVEAU_REGIO,
        "periode": rij["periode_id"],
        "waarde": exact_getal(waarde),
        "status": status,
        "geheimhouding": geheimhouding,
        "samengesteld": False,
        "bron": rij["bron"],
        "ontbreekt": [],
        "gewijzigd_op": rij["gewijzigd_op"],
    }


def opgeslagen_csv_rijen(qs: QuerySet, schermer: Schermer) -> Iterator[list[str]]:
    """Every stored figure of the queryset as a CSV row (the columns of KOLOMMEN), read in
    chunks with a server-side cursor in primary-key order: memory stays flat."""
    getallen: dict[Decimal, str] = {}  # counts repeat a lot; formatting each once is cheaper
    velden = [*_VELDEN[:-1], "gewijzigd_tekst"]
    rijen = (
        qs.annotate(gewijzigd_tekst=IsoTijdstip("gewijzigd_op"))
        .order_by("id")
        .values_list(*velden)
        .iterator(chunk_size=5000)
    )
    for id_, indicator, gemeente, regio, periode, waarde, status, bron, gewijzigd in rijen:
        gebied = gemeente or regio
        waarde, status, geheimhouding = _publiceer_opgeslagen(
            indicator, gebied, periode, waarde, status, schermer
        )
        if waarde is None:
            tekst = ONDERDRUKT if status == WaarnemingStatus.GEHEIM else ""
        else:
            tekst = getallen.get(waarde)
            if tekst is None:
                tekst = f"{exact_getal(waarde):f}"
                if len(getallen) < 100_000:
                    getallen[waarde] = tekst
        yield [
            id_,
            indicator,
            gebied,
            NIVEAU_GEMEENTE if gemeente else NIVEAU_REGIO,
            periode,
            tekst,
            status,
            geheimhouding or "",
            "false",
            bron,
            "",
            gewijzigd or "",
        ]


def catalogus() -> dict[str, Indicator]:
    return {i.code: i for i in Indicator.objects.select_related("teller", "noemer")}


# -- computed answers -----------------------------------------------------------------------
def _gebieden(vraag: Vraag, bereik: Bereik, perioden: list[PeriodeCode]) -> list[str]:
    if vraag.niveau == NIVEAU_REGIO:
        if vraag.gemeenten:
            raise VraagFout(
                "gemeente",
                _("Op niveau regio kiest u regio's (regio=VT24), geen gemeenten."),
            )
        if vraag.regios:
            buiten = [r for r in vraag.regios if bereik.lees is not None and r not in bereik.lees]
            if buiten:
                raise BuitenBereik(
                    _("U heeft geen toegang tot de cijfers van %(regios)s.")
                    % {"regios": ", ".join(buiten)}
                )
            return list(vraag.regios)
        if bereik.lees is not None:
            return sorted(bereik.lees)
        return list(Regio.objects.order_by("code").values_list("code", flat=True))

    lees = None if bereik.lees is None else Ledenregister(bereik.lees)
    if vraag.gemeenten:
        gemeenten = list(vraag.gemeenten)
    elif vraag.regios:
        register = Ledenregister(vraag.regios)
        gemeenten = sorted(
            {g for g in register.gemeenten() for p in perioden if register.regios_van(g, p)}
        )
    elif lees is not None:
        gemeenten = sorted({g for g in lees.gemeenten() for p in perioden if lees.regios_van(g, p)})
    else:
        gemeenten = list(Gemeente.objects.order_by("cbs_code").values_list("cbs_code", flat=True))
    if lees is not None and vraag.gemeenten:
        # A municipality named in the question is within reach when it was ever a member of
        # one of the caller's regions: Voorne aan Zee (a member since 2023) also answers for
        # 2022, from its predecessors.
        buiten = [g for g in gemeenten if g not in lees.gemeenten()]
        if buiten:
            raise BuitenBereik(
                _("U heeft geen toegang tot de cijfers van %(gemeenten)s.")
                % {"gemeenten": ", ".join(buiten[:10])}
            )
    return gemeenten


def berekende_cijfers(vraag: Vraag, bereik: Bereik) -> list[dict]:
    """Answers of the figure selector for municipalities or regions, in a fixed order
    (indicator as in the catalogue, area code, period), disclosure-controlled for partners."""
    perioden = _gevraagde_perioden(vraag)
    if not perioden:
        if perioden is None:
            raise VraagFout(
                "periode",
                _(
                    "Geef op niveau %(niveau)s de perioden op: periode=2021KW01 (ook meer, met "
                    "komma's) of periode_van en periode_tot."
                )
                % {"niveau": vraag.niveau},
            )
        return []
    alle = catalogus()
    codes = list(vraag.indicatoren) or [
        i.code for i in sorted(alle.values(), key=lambda i: (i.volgorde, i.code))
    ]
    gebieden = _gebieden(vraag, bereik, perioden)
    aantal = len(codes) * len(gebieden) * len(perioden)
    if aantal > MAX_ANTWOORDEN:
        raise VraagFout(
            "periode",
            _(
                "Deze vraag levert %(aantal)s cijfers op (%(i)s indicatoren x %(g)s gebieden x "
                "%(p)s perioden); het maximum is %(max)s. Kies minder indicatoren, gebieden of "
                "perioden, of haal de opgeslagen cijfers op zonder niveau."
            )
            % {
                "aantal": f"{aantal:,}".replace(",", "."),
                "i": len(codes),
                "g": len(gebieden),
                "p": len(perioden),
                "max": f"{MAX_ANTWOORDEN:,}".replace(",", "."),
            },
        )
    if not gebieden:
        return []
    schermer = Schermer(bereik, alle)
    extra = [] if schermer.alles_ruw else sorted(onderdelen_van([alle[c] for c in codes]))
    antwoorden = cijfers(
        indicatoren=codes + [c for c in extra if c not in codes],
        gebieden=gebieden,
        perioden=perioden,
        leveringstatussen=vraag.leveringstatussen,
        met_inwoners=not schermer.alles_ruw,
    )
    soort = NIVEAU_REGIO if vraag.niveau == NIVEAU_REGIO else NIVEAU_GEMEENTE
    uitkomst = []
    for code in codes:
        indicator = alle[code]
        for gebied in gebieden:
            for periode in perioden:
                antwoord = antwoorden.get(code, gebied, periode)
                gepubliceerd = _publiceer(antwoord, indicator, schermer, antwoorden)
                if vraag.statussen and gepubliceerd.status not in vraag.statussen:
                    continue
                uitkomst.append(
                    {
                        "id": None,
                        "indicator": code,
                        "gebied": gebied,
                        "gebied_soort": soort,
                        "periode": periode.code,
                        "waarde": exact_getal(gepubliceerd.waarde),
                        "status": gepubliceerd.status,
                        "geheimhouding": gepubliceerd.geheimhouding,
                        "samengesteld": antwoord.samengesteld,
                        "bron": "; ".join(antwoord.bronnen),
                        "ontbreekt": list(antwoord.ontbreekt),
                        "gewijzigd_op": None,
                    }
                )
    return uitkomst


def _publiceer(antwoord: Cijfer, indicator: Indicator, schermer: Schermer, antwoorden):
    if schermer.is_ruw(antwoord.gebied, antwoord.periode):
        return Afgeschermd(antwoord.waarde, antwoord.status, None)
    onderdelen = {}
    if indicator.is_afgeleid:
        for code in (indicator.teller_id, indicator.noemer_id):
            if code:
                onderdelen[code] = antwoorden.get(code, antwoord.gebied, antwoord.periode)
    return scherm_cijfer(
        antwoord,
        indicator,
        onderdelen,
        antwoorden.inwoners.get((antwoord.gebied, antwoord.periode)),
        schermer.regels,
    )
