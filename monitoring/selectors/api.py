"""Figures as the API answers them: stored figures within the viewer's reach, or answers of
the figure selector for municipalities or regions, both under the viewer policy.

Stored figures ("zoals aangeleverd") are read with one query (`opslag.opgeslagen_waarnemingen`)
and streamed row by row, each published as the figure selector publishes that cell for this
viewer; the computed level goes through `cijfers()` itself, so the API gives the same numbers as
dashboards and reports for the same question and the same viewer.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from monitoring.choices import WaarnemingStatus
from monitoring.models import Indicator
from monitoring.selectors import csv_opmaak, opslag
from monitoring.selectors.cijfers import Cijfer, cijfers, cijfers_voor_sleutels
from monitoring.selectors.geheimhouding import regel_voor
from monitoring.selectors.referentie import referentie
from regioaanpak.api.renderers import csv_veilig
from regioaanpak.choices import PeriodeSoort
from regioaanpak.getallen import exact_getal
from regioaanpak.inzage import Inzage
from regioaanpak.models import Gemeente, Periode, Regio
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


class VraagFout(Exception):
    """A question that cannot be answered; `veld` names the parameter."""

    def __init__(self, veld: str, bericht: str) -> None:
        super().__init__(bericht)
        self.veld = veld
        self.bericht = bericht


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
def opgeslagen_waarnemingen(vraag: Vraag, inzage: Inzage) -> QuerySet:
    """Stored figures matching the question within the viewer's reach and release, as value
    dicts (no ordering); publish each row with `Publicatie`."""
    perioden = _gevraagde_perioden(vraag)
    return opslag.opgeslagen_waarnemingen(
        inzage,
        indicatoren=vraag.indicatoren,
        gemeenten=vraag.gemeenten,
        regios=vraag.regios,
        perioden=None if perioden is None else [p.code for p in perioden],
        van=vraag.van.begindatum if vraag.van and perioden is None else None,
        tot=vraag.tot.einddatum if vraag.tot and perioden is None else None,
        soort=vraag.soort if perioden is None else None,
        statussen=vraag.statussen,
    )


class Publicatie:
    """Publishes stored figures as the figure selector publishes those cells for this viewer.

    Raw where the viewer holds an internal role; elsewhere a municipality's quarter gets the
    indicator's rule (rounded, or suppressed below the threshold) and every stored sum of other
    cells (a region's own figure, a half-year, a year) the selector's answer, which also
    suppresses an aggregate that would reveal a suppressed part. `voorbereiden` asks the
    selector for the sums among the rows about to be published (a page, a chunk of the CSV)."""

    def __init__(self, inzage: Inzage, indicatoren: dict[str, Indicator]) -> None:
        self.inzage = inzage
        self.regels = {c: r for c, i in indicatoren.items() if (r := regel_voor(i)) is not None}
        self.alles_ruw = inzage.alles_ruw
        self.register = Ledenregister(inzage.ruw) if not self.alles_ruw and inzage.ruw else None
        self.aggregaten: dict[tuple[str, str, str], Cijfer] = {}

    def voorbereiden(self, sleutels: Iterable[tuple[str, str, str]]) -> None:
        """(indicator, area, period) of rows about to be published: the selector answers those
        that are sums of other cells, in one call."""
        if self.alles_ruw or not self.regels:
            return
        sommen = [
            (indicator, gebied, periode)
            for indicator, gebied, periode in sleutels
            if indicator in self.regels
            and (not gebied.startswith("GM") or periode[4:6] != "KW")
            and not self.is_ruw(gebied, periode)
        ]
        if sommen:
            self.aggregaten.update(cijfers_voor_sleutels(inzage=self.inzage, sleutels=sommen))

    def is_ruw(self, gebied: str, periode: str) -> bool:
        if self.alles_ruw:
            return True
        ruw = self.inzage.ruw
        if not ruw:
            return False
        if not gebied.startswith("GM"):
            return gebied in ruw
        return bool(self.register.regios_van(gebied, periode))

    def publiceer(
        self, indicator: str, gebied: str, periode: str, waarde, status: str
    ) -> tuple[Decimal | None, str, str | None]:
        """(value, status, what disclosure control did) of one stored figure."""
        if status == WaarnemingStatus.GEHEIM:
            waarde = None
        regel = self.regels.get(indicator)
        if regel is None or waarde is None or self.is_ruw(gebied, periode):
            return waarde, status, None
        antwoord = self.aggregaten.get((indicator, gebied, periode))
        if antwoord is not None:
            return antwoord.waarde, antwoord.status, antwoord.geheimhouding
        gepubliceerd, wat = regel.pas_toe(waarde)
        if gepubliceerd is None:
            return None, WaarnemingStatus.GEHEIM, wat
        return gepubliceerd, status, wat


def opgeslagen_rij(rij: dict, publicatie: Publicatie) -> dict:
    """One stored figure as the API shows it."""
    gebied = rij["gemeente_id"] or rij["regio_id"]
    waarde, status, geheimhouding = publicatie.publiceer(
        rij["indicator_id"], gebied, rij["periode_id"], rij["waarde"], rij["status"]
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


MAX_SAMENGESTELD_DATABASE = 50_000  # more sums than this: published row by row in Python
# Sums answered per selector call. Each call reads the members of every indicator, area and
# period among its sums, which for national data is nearly the whole table whatever the number
# of sums: in calls of 5.000 the 6.204 national sums took two reads, 0,08 s of 0,33 s.
SOMMEN_PER_AANROEP = 25_000


def opgeslagen_csv_database(qs: QuerySet, publicatie: Publicatie) -> Iterator[bytes] | None:
    """The CSV rows formatted by the database (COPY) on PostgreSQL, for a viewer who sees every
    figure raw, or none (a partner): then each municipality's quarter gets its indicator's
    rule in SQL, and the rows that are sums of other cells (a region's own figure, a
    half-year, a year) get the selector's answer, computed here first, exactly as
    `Publicatie.publiceer` does. None otherwise (raw in some regions only, SQLite, or more
    than MAX_SAMENGESTELD_DATABASE sums): then `opgeslagen_csv_rijen` publishes each row in
    Python. The tests compare both routes byte for byte."""
    if connection.vendor != "postgresql":
        return None
    niveaus = (NIVEAU_GEMEENTE, NIVEAU_REGIO)
    if publicatie.alles_ruw:
        return csv_opmaak.csv_door_database(qs, KOLOMMEN, niveaus=niveaus)
    if publicatie.inzage.ruw:
        return None
    velden = ("id", "indicator_id", "gemeente_id", "regio_id", "periode_id", "waarde", "status")
    # The half-years and years by code, not through a join with the periods: PostgreSQL then
    # reads only their rows by index (5 ms), instead of joining every figure (400 ms).
    gehelen = list(
        Periode.objects.exclude(soort=PeriodeSoort.KWARTAAL).values_list("code", flat=True)
    )
    sommen = list(
        qs.filter(indicator_id__in=list(publicatie.regels))
        .filter(Q(gemeente_id__isnull=True) | Q(periode_id__in=gehelen))
        .order_by("id")
        .values_list(*velden)[: MAX_SAMENGESTELD_DATABASE + 1]
    )
    if len(sommen) > MAX_SAMENGESTELD_DATABASE:
        return None
    vervangen = {}
    for begin in range(0, len(sommen), SOMMEN_PER_AANROEP):
        stuk = sommen[begin : begin + SOMMEN_PER_AANROEP]
        publicatie.voorbereiden((i, g or r, p) for _id, i, g, r, p, _w, _s in stuk)
        for id_, indicator, gemeente, regio, periode, waarde, status in stuk:
            waarde, status, wat = publicatie.publiceer(
                indicator, gemeente or regio, periode, waarde, status
            )
            if waarde is None:
                tekst = ONDERDRUKT if status == WaarnemingStatus.GEHEIM else None
            else:
                tekst = f"{exact_getal(waarde):f}"
            vervangen[id_] = (tekst, status, wat)
    return csv_opmaak.csv_door_database(
        qs, KOLOMMEN, niveaus=niveaus, regels=publicatie.regels, vervangen=vervangen
    )


def opgeslagen_csv_rijen(qs: QuerySet, publicatie: Publicatie) -> Iterator[list[str]]:
    """Every stored figure of the queryset as a CSV row (the columns of KOLOMMEN), read in
    chunks with a server-side cursor in primary-key order: memory stays flat. The free-text
    column (bron) is neutralised against spreadsheet formulas; the others are codes and
    numbers the import validated."""
    getallen: dict[Decimal, str] = {}  # counts repeat a lot; formatting each once is cheaper
    bronnen: dict[str, str] = {}
    velden = [*opslag.API_VELDEN[:-1], "gewijzigd_tekst"]
    rijen = (
        qs.annotate(gewijzigd_tekst=csv_opmaak.IsoTijdstip("gewijzigd_op"))
        .order_by("id")
        .values_list(*velden)
        .iterator(chunk_size=5000)
    )
    publiceer = publicatie.publiceer
    for id_, indicator, gemeente, regio, periode, waarde, status, bron, gewijzigd in _in_stukken(
        rijen, publicatie
    ):
        gebied = gemeente or regio
        waarde, status, geheimhouding = publiceer(indicator, gebied, periode, waarde, status)
        if waarde is None:
            tekst = ONDERDRUKT if status == WaarnemingStatus.GEHEIM else ""
        else:
            tekst = getallen.get(waarde)
            if tekst is None:
                tekst = f"{exact_getal(waarde):f}"
                if len(getallen) < 100_000:
                    getallen[waarde] = tekst
        veilig = bronnen.get(bron)
        if veilig is None:
            veilig = csv_veilig(bron)
            if len(bronnen) < 10_000:
                bronnen[bron] = veilig
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
            veilig,
            "",
            gewijzigd or "",
        ]


def _in_stukken(rijen, publicatie: Publicatie, grootte: int = 5000):
    """The rows again, each chunk prepared for publishing first (memory stays flat)."""
    rijen = iter(rijen)
    while stuk := list(islice(rijen, grootte)):
        publicatie.voorbereiden((r[1], r[2] or r[3], r[4]) for r in stuk)
        yield from stuk


def catalogus() -> dict[str, Indicator]:
    """Every indicator by code (with teller and noemer): the selector's reference data."""
    return dict(referentie().indicatoren)


# -- computed answers -----------------------------------------------------------------------
def _gebieden(vraag: Vraag, inzage: Inzage, perioden: list[PeriodeCode]) -> list[str]:
    if vraag.niveau == NIVEAU_REGIO:
        if vraag.gemeenten:
            raise VraagFout(
                "gemeente",
                _("Op niveau regio kiest u regio's (regio=VT24), geen gemeenten."),
            )
        if vraag.regios:
            return list(vraag.regios)
        if inzage.lees is not None:
            return sorted(inzage.lees)
        return list(Regio.objects.order_by("code").values_list("code", flat=True))

    lees = None if inzage.lees is None else Ledenregister(inzage.lees)
    if vraag.gemeenten:
        return list(vraag.gemeenten)
    if vraag.regios:
        # The members of the regions asked for (of the country: those within reach).
        register = Ledenregister(vraag.regios)
        bereikbaar = None if lees is None else lees.gemeenten()
        return sorted(
            {
                g
                for g in register.gemeenten()
                if bereikbaar is None or g in bereikbaar
                for p in perioden
                if register.regios_van(g, p)
            }
        )
    if lees is not None:
        return sorted({g for g in lees.gemeenten() for p in perioden if lees.regios_van(g, p)})
    return list(Gemeente.objects.order_by("cbs_code").values_list("cbs_code", flat=True))


def berekende_cijfers(vraag: Vraag, inzage: Inzage) -> list[dict]:
    """Answers of the figure selector for municipalities or regions, in a fixed order
    (indicator as in the catalogue, area code, period), as this viewer may see them. An area
    outside the viewer's reach raises `BuitenBereik` (from the selector)."""
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
    gebieden = _gebieden(vraag, inzage, perioden)
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
    antwoorden = cijfers(inzage=inzage, indicatoren=codes, gebieden=gebieden, perioden=perioden)
    soort = NIVEAU_REGIO if vraag.niveau == NIVEAU_REGIO else NIVEAU_GEMEENTE
    uitkomst = []
    for code in codes:
        for gebied in gebieden:
            for periode in perioden:
                antwoord = antwoorden.get(code, gebied, periode)
                if vraag.statussen and antwoord.status not in vraag.statussen:
                    continue
                uitkomst.append(
                    {
                        "id": None,
                        "indicator": code,
                        "gebied": gebied,
                        "gebied_soort": soort,
                        "periode": periode.code,
                        "waarde": exact_getal(antwoord.waarde),
                        "status": antwoord.status,
                        "geheimhouding": antwoord.geheimhouding,
                        "samengesteld": antwoord.samengesteld,
                        "bron": "; ".join(antwoord.bronnen),
                        "ontbreekt": list(antwoord.ontbreekt),
                        "gewijzigd_op": None,
                    }
                )
    return uitkomst
