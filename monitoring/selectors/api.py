"""Figures as the API answers them: stored figures within a reach, or answers of the figure
selector for municipalities or regions, both with disclosure control for partners.

Stored figures ("zoals aangeleverd") are read with one query and streamed row by row; the
computed level goes through `cijfers()`, so the API gives the same numbers as dashboards and
reports for the same question (before disclosure control, which only partners get).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
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
from regioaanpak.models import Gemeente, Lidmaatschap, Regio
from regioaanpak.perioden import PeriodeCode
from regioaanpak.selectors import Ledenregister

NIVEAU_GEMEENTE = "gemeente"
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
    """Figures of municipalities while they were members of the register's regions."""
    altijd = register.altijd_lid()
    q = Q(gemeente_id__in=sorted(altijd)) if altijd else Q(pk__in=[])
    for gemeente, van, tot in register.gedateerd():
        q |= Q(gemeente_id=gemeente, periode__einddatum__gte=van, periode__begindatum__lte=tot)
    return q


def _vrijgegeven(statussen: frozenset[str]):
    """A figure counts when a delivery in one of the statuses covers it: for a municipality's
    figure a delivery of a region it was a member of in that period, for a region's own figure
    that region's delivery (the figure selector's rule)."""
    lid = Lidmaatschap.objects.filter(
        gemeente_id=OuterRef("gemeente_id"),
        regio__gegevensleveringen__periode_id=OuterRef("periode_id"),
        regio__gegevensleveringen__workflow_status__in=statussen,
    ).filter(
        Q(geldig_van__isnull=True) | Q(geldig_van__lte=OuterRef("periode__einddatum")),
        Q(geldig_tot__isnull=True) | Q(geldig_tot__gte=OuterRef("periode__begindatum")),
    )
    eigen = Gegevenslevering.objects.filter(
        regio_id=OuterRef("regio_id"),
        periode_id=OuterRef("periode_id"),
        workflow_status__in=statussen,
    )
    return Exists(lid) | Exists(eigen)


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
    qs = qs.filter(_vrijgegeven(vraag.leveringstatussen))
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


def opgeslagen_rij(rij: dict, schermer: Schermer) -> dict:
    """One stored figure as the API shows it."""
    gebied = rij["gemeente_id"] or rij["regio_id"]
    waarde, status = rij["waarde"], rij["status"]
    if status == WaarnemingStatus.GEHEIM:
        waarde = None
    geheimhouding = None
    regel = schermer.regels.get(rij["indicator_id"])
    if regel is not None and not schermer.is_ruw(gebied, rij["periode_id"]):
        gepubliceerd = scherm_waarde(waarde, status, regel)
        waarde, status, geheimhouding = (
            gepubliceerd.waarde,
            gepubliceerd.status,
            gepubliceerd.geheimhouding,
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


def opgeslagen_rijen(qs: QuerySet, schermer: Schermer) -> Iterator[dict]:
    """Every stored figure of the queryset, read in chunks with a server-side cursor."""
    for rij in qs.order_by("id").iterator(chunk_size=5000):
        yield opgeslagen_rij(rij, schermer)


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
    if lees is not None:
        buiten = [g for g in gemeenten if not any(lees.regios_van(g, p) for p in perioden)]
        if buiten and (vraag.gemeenten or vraag.regios):
            raise BuitenBereik(
                _("U heeft geen toegang tot de cijfers van %(gemeenten)s.")
                % {"gemeenten": ", ".join(buiten[:10])}
            )
        gemeenten = [g for g in gemeenten if g not in buiten]
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
