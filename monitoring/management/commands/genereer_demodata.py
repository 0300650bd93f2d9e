"""Generate plausible synthetic figures (demodata) for municipalities, reproducible per seed.

    manage.py genereer_demodata --schaal {regio,landelijk} --seed N [--tot 2026KW03] [--jaren 10]

Everything is based on the population: missing Inwonertal rows are created first (existing rows
are never overwritten), then the measured indicators are drawn per municipality for all quarters
in which the municipality existed. Dependent counts are drawn from the counts they belong to
(melder types from meldingen, binnen_termijn from the total, ...) so that the derived
indicators make sense.

Reproducibility: every municipality gets its own random streams, seeded with the seed and the
CBS code (numpy.random.default_rng([seed, crc32(code), stream])). The values of a municipality
therefore depend neither on database order nor on which other municipalities are included
(scale "regio" and "landelijk" give the same figures for a municipality in both).

Only rows whose bron starts with "Synthetische demodata" are ever deleted; real figures keep
their place and the generator skips their (indicator, gemeente, periode) combinations.
"""

from __future__ import annotations

import datetime as dt
import math
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import Q

from monitoring.choices import Eenheid, Frequentie, WaarnemingStatus
from monitoring.models import Indicator, Waarneming
from monitoring.services.sommen import sommenversies_comprimeren
from regioaanpak.models import Gemeente, Inwonertal, Periode
from regioaanpak.perioden import KWARTAAL, OngeldigePeriode, PeriodeCode, laatste_volledige_kwartaal

BRON_PREFIX = "Synthetische demodata"
SEED_REGIO_CODES = ("VT24", "VT06", "VT18", "VT08")
BATCH_SIZE = 5000
MAX_JAREN = 50

# Random streams per municipality: population and figures never share draws, so creating or
# finding an Inwonertal row does not shift the figures.
STROOM_BEVOLKING = 1
STROOM_CIJFERS = 2
STROOM_STATUS = 3
STROOM_OVERIG = 4

MIN_INWONERS = 1_000
MAX_INWONERS = 900_000
MEDIAAN_INWONERS = 30_000

TWEE_DECIMALEN = Decimal("0.01")

# Indicator codes the generator knows; a measured indicator outside this list gets a generic
# series based on its unit (see _generiek).
MELDINGEN = "vt_meldingen"
MELDERS = (
    "vt_meldingen_politie_justitie",
    "vt_meldingen_beroepsmatig",
    "vt_meldingen_onderwijs",
    "vt_meldingen_gezondheidszorg",
    "vt_meldingen_niet_beroepsmatig",
)
DOORLOOPTIJD = "vt_doorlooptijd_onderzoek"


def _rng(seed: int, sleutel: str, stroom: int) -> np.random.Generator:
    """An independent, reproducible generator for one municipality (or key) and one stream."""
    return np.random.default_rng([seed, zlib.crc32(sleutel.encode("utf-8")), stroom])


def _getal(aantal: int) -> str:
    """Dutch thousands separator: 345000 -> '345.000'."""
    return f"{aantal:,}".replace(",", ".")


# ---------------------------------------------------------------------------------------------
# Population
# ---------------------------------------------------------------------------------------------


@dataclass
class _Gemeente:
    code: str
    geldig_van: dt.date | None
    geldig_tot: dt.date | None
    opvolger: str | None
    bekend: dict[int, int]
    groei: float
    omvang: float
    aandeel: float
    stichters: list[str] = field(default_factory=list)
    opgeslokt: list[tuple[str, int]] = field(default_factory=list)
    anker: tuple[int, float] | None = None

    def bestaat_in_jaar(self, jaar: int) -> bool:
        begin, eind = dt.date(jaar, 1, 1), dt.date(jaar, 12, 31)
        return (self.geldig_van is None or self.geldig_van <= eind) and (
            self.geldig_tot is None or self.geldig_tot >= begin
        )


class Bevolkingsmodel:
    """Population on 1 January for any municipality and year, consistent over mergers.

    Known Inwonertal rows are used as they are; other years follow from the nearest known
    year with a growth of 0.3-0.8% per year (sometimes a decline). A municipality formed by a
    merger starts from the sum of its founders; founders without figures get a share of a
    successor that has figures. A municipality that absorbs another one (Amsterdam and Weesp)
    grows by the absorbed population from the first 1 January after the merger. Only when
    nothing is known is a size drawn (lognormal, median 30.000, 1.000..900.000).
    """

    def __init__(
        self,
        gemeenten: Iterable[Gemeente],
        bekend: dict[str, dict[int, int]],
        seed: int,
        eerste_jaar: int,
    ) -> None:
        self._gem: dict[str, _Gemeente] = {}
        for gemeente in sorted(gemeenten, key=lambda g: g.cbs_code):
            rng = _rng(seed, gemeente.cbs_code, STROOM_BEVOLKING)
            # Always the same draws in the same order, whether they are needed or not.
            groei = rng.uniform(0.003, 0.008) * (1.0 if rng.random() < 0.8 else -1.0)
            omvang = float(
                np.clip(rng.lognormal(math.log(MEDIAAN_INWONERS), 0.85), MIN_INWONERS, MAX_INWONERS)
            )
            aandeel = float(rng.lognormal(0.0, 0.4))
            self._gem[gemeente.cbs_code] = _Gemeente(
                code=gemeente.cbs_code,
                geldig_van=gemeente.geldig_van,
                geldig_tot=gemeente.geldig_tot,
                opvolger=gemeente.opgevolgd_door_id,
                bekend=dict(bekend.get(gemeente.cbs_code, {})),
                groei=float(groei),
                omvang=omvang,
                aandeel=aandeel,
            )
        for code in sorted(self._gem):
            g = self._gem[code]
            opvolger = self._gem.get(g.opvolger) if g.opvolger else None
            if opvolger is None or g.geldig_tot is None:
                continue
            if opvolger.geldig_van is not None and opvolger.geldig_van > g.geldig_tot:
                opvolger.stichters.append(code)
            else:
                # Counted in the successor from the first 1 January after the merger.
                opvolger.opgeslokt.append((code, g.geldig_tot.year + 1))
        self._eerste_jaar = eerste_jaar
        self._geheugen: dict[tuple[str, int], float] = {}
        self._los_op()

    # -- resolution ----------------------------------------------------------------------------
    def _opgelost(self, code: str) -> bool:
        g = self._gem[code]
        return bool(g.bekend) or g.anker is not None

    def _bruikbaar(self, code: str) -> bool:
        """Resolved, and so is everything its value depends on."""
        g = self._gem[code]
        return self._opgelost(code) and all(self._bruikbaar(p) for p, _ in g.opgeslokt)

    def _is_stichter(self, code: str) -> bool:
        g = self._gem[code]
        return bool(g.opvolger) and code in self._gem.get(g.opvolger, g).stichters

    def _los_op(self) -> None:
        open_ = {code for code in self._gem if not self._opgelost(code)}
        while open_:
            veranderd = True
            while veranderd:
                veranderd = False
                # A merged municipality starts from the sum of its founders.
                for code in sorted(open_):
                    g = self._gem[code]
                    if g.stichters and all(self._bruikbaar(p) for p in g.stichters):
                        jaar = g.geldig_van.year  # founders imply a start date
                        g.anker = (jaar, sum(self.waarde(p, jaar) for p in g.stichters))
                        open_.discard(code)
                        veranderd = True
                # Founders without figures share what their successor had at the start.
                for code in sorted(self._gem):
                    s = self._gem[code]
                    zonder = [p for p in s.stichters if p in open_]
                    if not zonder or not self._bruikbaar(code):
                        continue
                    met = [p for p in s.stichters if p not in open_]
                    if not all(self._bruikbaar(p) for p in met):
                        continue
                    jaar = s.geldig_van.year
                    totaal = self.waarde(code, jaar)
                    rest = totaal - sum(self.waarde(p, jaar) for p in met)
                    rest = max(rest, 0.25 * totaal, MIN_INWONERS * len(zonder))
                    gewichten = sum(self._gem[p].aandeel for p in zonder)
                    for p in zonder:
                        self._gem[p].anker = (jaar, rest * self._gem[p].aandeel / gewichten)
                        open_.discard(p)
                    veranderd = True
            if not open_:
                break
            # Nothing derivable: draw sizes, preferring municipalities that are no founder.
            kandidaten = [c for c in open_ if not self._gem[c].stichters]
            voorkeur = [c for c in kandidaten if not self._is_stichter(c)]
            for code in sorted(voorkeur or kandidaten or open_):
                g = self._gem[code]
                jaar = self._eerste_jaar
                if g.geldig_van is not None and g.geldig_van.year > jaar:
                    jaar = g.geldig_van.year
                g.anker = (jaar, g.omvang)
                open_.discard(code)

    # -- values --------------------------------------------------------------------------------
    def waarde(self, code: str, jaar: int) -> float:
        """Population on 1 January of `jaar` (also extrapolated outside the existence)."""
        sleutel = (code, jaar)
        if sleutel in self._geheugen:
            return self._geheugen[sleutel]
        g = self._gem[code]
        punten: dict[int, float] = {j: float(a) for j, a in g.bekend.items()}
        if not punten:
            if g.anker is None:
                raise RuntimeError(f"Inwonertal van {code} is nog niet bepaald.")
            punten = {g.anker[0]: g.anker[1]}
        if jaar in punten:
            uitkomst = punten[jaar]
        else:
            basis = min(punten, key=lambda j: (abs(j - jaar), j))
            uitkomst = punten[basis] * (1.0 + g.groei) ** (jaar - basis)
            for voorganger, vanaf in g.opgeslokt:
                if basis < vanaf <= jaar:
                    uitkomst += self.waarde(voorganger, jaar)
                elif jaar < vanaf <= basis:
                    uitkomst -= self.waarde(voorganger, jaar)
            uitkomst = max(uitkomst, 100.0)
        self._geheugen[sleutel] = uitkomst
        return uitkomst


# ---------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------


def _binomiaal(rng: np.random.Generator, n: np.ndarray, p: np.ndarray | float) -> np.ndarray:
    return rng.binomial(n.astype(np.int64), np.clip(p, 0.0, 1.0))


def _kans(
    rng: np.random.Generator, laag: float, hoog: float, spreiding: float, lengte: int
) -> np.ndarray:
    """A per-municipality probability in [laag, hoog] with some quarter-to-quarter jitter."""
    basis = rng.uniform(laag, hoog)
    return np.clip(basis + rng.normal(0.0, spreiding, lengte), 0.01, 1.0)


def _tijdigheid(rng: np.random.Generator, laag: float, hoog: float) -> float:
    """A per-municipality on-time rate in [laag, hoog], skewed towards `hoog` (mean ~ 2/3 up).

    Most municipalities meet the sector norm most of the time, some miss it regularly.
    """
    return float(hoog - (hoog - laag) * rng.beta(1.5, 3.0))


def genereer_reeksen(
    rng: np.random.Generator, inwoners: np.ndarray, kwartaal: np.ndarray
) -> dict[str, np.ndarray]:
    """All known indicators for one municipality, vectorised over its quarters.

    `inwoners` is the population per quarter, `kwartaal` the quarter number (1..4). Counts are
    whole numbers >= 0; the doorlooptijd is NaN in quarters without onderzoeken. The order of the
    draws is fixed, so the result depends only on the generator's seed and the inputs.
    """
    lengte = len(inwoners)
    t = np.arange(lengte, dtype=float)
    jaren = (t - (lengte - 1) / 2.0) / 4.0  # years from the middle of the range

    # Character of the municipality: level, slow trend, seasonal wave, size effect.
    niveau = rng.lognormal(0.0, 0.25)
    trend = rng.normal(0.015, 0.03)
    amplitude = rng.uniform(0.03, 0.10)
    fase = rng.normal(0.0, 0.4)
    seizoen = 1.0 + amplitude * np.cos(2.0 * np.pi * (kwartaal - 2) / 4.0 + fase)
    grootte = (inwoners / MEDIAAN_INWONERS) ** 0.08
    ruis = rng.lognormal(0.0, 0.08, lengte)
    verwacht = 2.0 / 1000.0 * inwoners * niveau * grootte * np.exp(trend * jaren) * seizoen * ruis

    r: dict[str, np.ndarray] = {}
    meldingen = rng.poisson(verwacht)
    r[MELDINGEN] = meldingen
    r["vt_adviezen"] = rng.poisson(
        verwacht * 2.5 * rng.lognormal(0.0, 0.15) * rng.lognormal(0.0, 0.05, lengte)
    )

    # Melder types add up to the meldingen; politie/justitie 65-80%.
    politie = rng.uniform(0.65, 0.80)
    overig = rng.dirichlet([12.0, 3.0, 7.0, 10.0]) * (1.0 - politie)
    kansen = np.concatenate(([politie], overig))
    kansen = kansen / kansen.sum()
    verdeling = rng.multinomial(meldingen, kansen)
    for i, code in enumerate(MELDERS):
        r[code] = verdeling[:, i]

    r["vt_hermeldingen"] = _binomiaal(rng, meldingen, _kans(rng, 0.30, 0.45, 0.02, lengte))

    beoordelingen = _binomiaal(rng, meldingen, _kans(rng, 0.93, 0.99, 0.01, lengte))
    r["vt_veiligheidsbeoordelingen"] = beoordelingen
    r["vt_veiligheidsbeoordelingen_binnen_termijn"] = _binomiaal(
        rng,
        beoordelingen,
        np.clip(_tijdigheid(rng, 0.80, 0.98) + rng.normal(0.0, 0.025, lengte), 0.5, 1.0),
    )

    onderzoeken = _binomiaal(rng, meldingen, _kans(rng, 0.08, 0.12, 0.01, lengte))
    r["vt_onderzoeken"] = onderzoeken
    tijdig_basis = _tijdigheid(rng, 0.65, 0.92)
    tijdig = np.clip(tijdig_basis + rng.normal(0.0, 0.04, lengte), 0.3, 1.0)
    r["vt_onderzoeken_binnen_termijn"] = _binomiaal(rng, onderzoeken, tijdig)
    # Slower where fewer onderzoeken are finished on time: 40..90 days.
    dagen = 88.0 - (tijdig_basis - 0.65) / 0.27 * 40.0 + rng.normal(0.0, 4.0, lengte)
    dagen = np.round(np.clip(dagen, 40.0, 90.0), 2)
    r[DOORLOOPTIJD] = np.where(onderzoeken > 0, dagen, np.nan)

    r["vt_overdrachten_lokaal_veld"] = _binomiaal(
        rng, meldingen, _kans(rng, 0.40, 0.60, 0.03, lengte)
    )
    r["vt_meldingen_ouderenmishandeling"] = _binomiaal(
        rng, meldingen, np.clip(0.025 * rng.lognormal(0.0, 0.3), 0.005, 0.08)
    )
    stedelijk = (inwoners / MEDIAAN_INWONERS) ** 0.3
    eer = 0.004 * rng.lognormal(0.0, 0.4) * stedelijk
    r["vt_meldingen_eergerelateerd"] = _binomiaal(rng, meldingen, np.clip(eer, 0.0, 0.03))
    r["vt_adviezen_eergerelateerd"] = _binomiaal(
        rng, r["vt_adviezen"], np.clip(1.5 * eer, 0.0, 0.04)
    )

    r["tijdelijke_huisverboden"] = rng.poisson(
        6.0 / 100_000.0 * inwoners * rng.lognormal(0.0, 0.3) * seizoen
    )
    gestart = _binomiaal(rng, r[MELDERS[0]], rng.uniform(0.25, 0.40))
    r["interventies_gestart"] = gestart
    r["interventies_zonder_recidive"] = _binomiaal(
        rng, gestart, _kans(rng, 0.50, 0.75, 0.04, lengte)
    )

    # Shelter, care coordination and CSG: small counts, more in larger municipalities.
    centrum = stedelijk * rng.lognormal(0.0, 0.4)
    vrouwen = rng.poisson(0.10 / 1000.0 * inwoners * centrum)
    r["opvang_vrouwen"] = vrouwen
    r["opvang_kinderen"] = rng.poisson(vrouwen * rng.uniform(0.9, 1.5))
    r["opvang_ambulante_trajecten"] = rng.poisson(0.20 / 1000.0 * inwoners * centrum)
    r["mensenhandel_zorgtrajecten"] = rng.poisson(0.015 / 1000.0 * inwoners * centrum)
    r["csg_consultaties"] = rng.poisson(0.06 / 1000.0 * inwoners * centrum)
    r["csg_acute_zorg"] = rng.poisson(0.03 / 1000.0 * inwoners * centrum)

    # Euro: ~8 per inhabitant per quarter, more in the fourth quarter, with cents.
    euro = (
        8.0
        * inwoners
        * rng.lognormal(0.0, 0.2)
        * np.where(kwartaal == 4, 1.15, 0.95)
        * np.clip(rng.normal(1.0, 0.06, lengte), 0.7, 1.3)
    )
    r["uitgaven_du_vo"] = np.round(euro, 2)

    # Client experience (seed 004): respondents of the survey after the help ended, and those
    # who feel safer, a part of them (drawn last: the series above keep their values).
    respondenten = rng.poisson(0.04 / 1000.0 * inwoners * rng.lognormal(0.0, 0.3))
    r["clientervaring_respondenten"] = respondenten
    r["clientervaring_veiliger"] = _binomiaal(
        rng, respondenten, _kans(rng, 0.60, 0.85, 0.04, lengte)
    )
    return r


def _generiek(rng: np.random.Generator, eenheid: str, inwoners: np.ndarray) -> np.ndarray | None:
    """A plausible series for a measured indicator the generator does not know, by unit."""
    lengte = len(inwoners)
    if eenheid == Eenheid.AANTAL:
        return rng.poisson(0.5 / 1000.0 * inwoners * rng.lognormal(0.0, 0.3))
    if eenheid == Eenheid.DAGEN:
        return np.round(rng.uniform(20.0, 60.0) + rng.normal(0.0, 3.0, lengte), 2).clip(1.0)
    if eenheid == Eenheid.EURO:
        return np.round(inwoners * rng.lognormal(0.0, 0.3), 2)
    return None  # percentages and rates are derived, never stored


# ---------------------------------------------------------------------------------------------
# Command
# ---------------------------------------------------------------------------------------------


@dataclass
class _Telling:
    gemeenten: int = 0
    perioden: int = 0
    nieuwe_perioden: int = 0
    waarnemingen: int = 0
    inwonertallen: int = 0
    verwijderd: int = 0
    overgeslagen: int = 0
    onbekend: list[str] = field(default_factory=list)


class Command(BaseCommand):
    help = (
        "Genereert synthetische, plausibele demodata (inwonertallen en kwartaalcijfers van de "
        "gemeten indicatoren) voor de vier voorbeeldregio's of heel Nederland. Dezelfde seed "
        "geeft dezelfde cijfers; echte cijfers worden nooit overschreven."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schaal",
            choices=["regio", "landelijk"],
            required=True,
            help="regio: gemeenten van VT24, VT06, VT18 en VT08; landelijk: alle gemeenten.",
        )
        parser.add_argument(
            "--seed", type=int, required=True, help="Startwaarde van de toevalsgenerator (>= 0)."
        )
        parser.add_argument(
            "--tot",
            default=None,
            help="Laatste kwartaal, bijvoorbeeld 2026KW03 (standaard het laatste volledige "
            "kwartaal).",
        )
        parser.add_argument(
            "--jaren", type=int, default=10, help="Aantal jaren aan kwartalen (standaard 10)."
        )

    def handle(self, *args: object, **opties: object) -> None:
        start = time.perf_counter()
        seed = int(opties["seed"])  # type: ignore[arg-type]
        jaren = int(opties["jaren"])  # type: ignore[arg-type]
        schaal = str(opties["schaal"])
        if seed < 0:
            raise CommandError("--seed moet nul of groter zijn.")
        if not 1 <= jaren <= MAX_JAREN:
            raise CommandError(f"--jaren moet tussen 1 en {MAX_JAREN} liggen.")
        tot = self._tot(opties.get("tot"))
        kwartalen = PeriodeCode.reeks(tot.verschuif(-(4 * jaren - 1)), tot)

        gemeenten = self._gemeenten(schaal, kwartalen)
        if not gemeenten:
            raise CommandError(
                "Geen gemeenten gevonden die in deze kwartalen bestonden. Laad eerst de "
                "gebieden (manage.py loaddata fixtures/gebieden.json)."
            )
        indicatoren = sorted(Indicator.objects.gemeten(), key=lambda i: i.code)
        if not indicatoren:
            raise CommandError(
                "Er zijn geen gemeten indicatoren. Laad eerst de indicatoren "
                "(manage.py loaddata fixtures/indicatoren.yaml)."
            )

        telling = _Telling(gemeenten=len(gemeenten), perioden=len(kwartalen))
        with transaction.atomic():
            telling.nieuwe_perioden = self._maak_perioden(kwartalen)
            inwoners = self._maak_inwonertallen(gemeenten, kwartalen, seed, telling)
            self._maak_waarnemingen(gemeenten, kwartalen, indicatoren, inwoners, seed, telling)
        # Fresh planner statistics after a bulk load: without them PostgreSQL picks bitmap scans
        # over the whole table for the figure selector's queries (measured: 120 ms against 17 ms).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE monitoring_waarneming")
            cursor.execute("ANALYZE regioaanpak_inwonertal")
        # The load wrote the stored sums' log a row per statement and period (about 140 per
        # quarter at national scale): every figure read would count them until the nightly
        # upkeep. Brought back to one row per period now (monitoring/services/sommen.py).
        sommenversies_comprimeren()

        duur = time.perf_counter() - start
        for code in telling.onbekend:
            self.stderr.write(
                self.style.WARNING(
                    f"Indicator {code} heeft een eenheid waarvoor geen demodata worden gemaakt; "
                    "overgeslagen."
                )
            )
        duur_tekst = f"{duur:.1f}".replace(".", ",")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demodata gegenereerd (schaal {schaal}, seed {seed}, "
                f"{kwartalen[0].code} t/m {kwartalen[-1].code}):\n"
                f"  gemeenten:      {_getal(telling.gemeenten)}\n"
                f"  perioden:       {_getal(telling.perioden)} kwartalen "
                f"({_getal(telling.nieuwe_perioden)} nieuw aangemaakt)\n"
                f"  waarnemingen:   {_getal(telling.waarnemingen)} "
                f"({_getal(telling.verwijderd)} eerdere demodata vervangen, "
                f"{_getal(telling.overgeslagen)} overgeslagen wegens echte cijfers)\n"
                f"  inwonertallen:  {_getal(telling.inwonertallen)} nieuw\n"
                f"  duur:           {duur_tekst} s"
            )
        )

    # -- arguments -----------------------------------------------------------------------------
    @staticmethod
    def _tot(waarde: object) -> PeriodeCode:
        if not waarde:
            return laatste_volledige_kwartaal(dt.date.today())
        try:
            tot = PeriodeCode.parse(str(waarde))
        except OngeldigePeriode as fout:
            raise CommandError(" ".join(fout.messages)) from fout
        if tot.soort != KWARTAAL:
            raise CommandError(f"--tot moet een kwartaal zijn, zoals 2026KW03 (niet {tot.code}).")
        return tot

    @staticmethod
    def _gemeenten(schaal: str, kwartalen: list[PeriodeCode]) -> list[Gemeente]:
        qs = Gemeente.objects.all()
        if schaal == "regio":
            leden = set(
                qs.filter(
                    Q(lidmaatschappen__regio__code__in=SEED_REGIO_CODES)
                    | Q(lidmaatschappen__regio__cbs_code__in=SEED_REGIO_CODES)
                ).values_list("cbs_code", flat=True)
            )
            # Predecessors of members too (e.g. Vianen for Vijfheerenlanden), so a merged
            # municipality's series before its merger can be rolled up from them.
            opvolger_van = dict(
                qs.filter(opgevolgd_door__isnull=False).values_list("cbs_code", "opgevolgd_door")
            )
            while True:
                erbij = {v for v, o in opvolger_van.items() if o in leden and v not in leden}
                if not erbij:
                    break
                leden |= erbij
            qs = qs.filter(cbs_code__in=leden)
        begin, eind = kwartalen[0].begindatum, kwartalen[-1].einddatum
        return sorted((g for g in qs.bestaand_in(begin, eind)), key=lambda g: g.cbs_code)

    # -- periods -------------------------------------------------------------------------------
    @staticmethod
    def _maak_perioden(kwartalen: list[PeriodeCode]) -> int:
        codes = [k.code for k in kwartalen]
        bestaand = set(Periode.objects.filter(code__in=codes).values_list("code", flat=True))
        nieuw = [Periode.uit_code(k) for k in kwartalen if k.code not in bestaand]
        Periode.objects.bulk_create(nieuw, batch_size=BATCH_SIZE)
        return len(nieuw)

    @staticmethod
    def _jaarwaarden(indicator, gemeente, kwartalen, waarden, jaren, echt, bron) -> list:
        """A yearly indicator's figures: the year's sum of the drawn quarters (counts), for each
        whole year in which the municipality existed."""
        uitkomst = []
        for jaar in jaren:
            code = PeriodeCode.heel_jaar(jaar)
            if not gemeente.bestaat_in(code.begindatum, code.einddatum):
                continue
            if (indicator.code, gemeente.cbs_code, code.code) in echt:
                continue
            posities = [t for t, k in enumerate(kwartalen) if k.jaar == jaar]
            totaal = sum(int(waarden[t]) for t in posities)
            uitkomst.append(
                Waarneming(
                    indicator_id=indicator.code,
                    gemeente_id=gemeente.cbs_code,
                    periode_id=code.code,
                    waarde=Decimal(totaal),
                    status=WaarnemingStatus.DEFINITIEF,
                    bron=bron,
                )
            )
        return uitkomst

    # -- population ----------------------------------------------------------------------------
    @staticmethod
    def _maak_inwonertallen(
        gemeenten: list[Gemeente], kwartalen: list[PeriodeCode], seed: int, telling: _Telling
    ) -> dict[str, dict[int, int]]:
        """Create missing Inwonertal rows; return the population per municipality and year."""
        bekend: dict[str, dict[int, int]] = {}
        for code, jaar, aantal in Inwonertal.objects.values_list("gemeente_id", "jaar", "aantal"):
            bekend.setdefault(code, {})[jaar] = aantal
        # All municipalities take part, so that mergers with outside predecessors still add up
        # and the numbers do not depend on the chosen scale.
        model = Bevolkingsmodel(Gemeente.objects.all(), bekend, seed, kwartalen[0].jaar)

        jaren = range(kwartalen[0].jaar, kwartalen[-1].jaar + 1)
        bron = f"Synthetisch (genereer_demodata, seed {seed})"
        nieuw: list[Inwonertal] = []
        resultaat: dict[str, dict[int, int]] = {}
        for gemeente in gemeenten:
            reeks = dict(bekend.get(gemeente.cbs_code, {}))
            for jaar in jaren:
                begin, eind = dt.date(jaar, 1, 1), dt.date(jaar, 12, 31)
                if jaar in reeks or not gemeente.bestaat_in(begin, eind):
                    continue
                aantal = max(round(model.waarde(gemeente.cbs_code, jaar)), 100)
                reeks[jaar] = aantal
                nieuw.append(
                    Inwonertal(gemeente_id=gemeente.cbs_code, jaar=jaar, aantal=aantal, bron=bron)
                )
            # Years around the existence (for interpolation only, never stored).
            for jaar in (jaren.start - 1, *jaren, jaren.stop):
                reeks.setdefault(jaar, max(round(model.waarde(gemeente.cbs_code, jaar)), 100))
            resultaat[gemeente.cbs_code] = reeks
        Inwonertal.objects.bulk_create(nieuw, batch_size=BATCH_SIZE)
        telling.inwonertallen = len(nieuw)
        return resultaat

    # -- figures -------------------------------------------------------------------------------
    def _maak_waarnemingen(
        self,
        gemeenten: list[Gemeente],
        kwartalen: list[PeriodeCode],
        indicatoren: list[Indicator],
        inwoners: dict[str, dict[int, int]],
        seed: int,
        telling: _Telling,
    ) -> None:
        gemeente_codes = [g.cbs_code for g in gemeenten]
        periode_codes = [k.code for k in kwartalen]
        # A yearly indicator (the client survey) is written for each whole year of the series.
        jaren = sorted(
            {
                k.jaar
                for k in kwartalen
                if all(q in kwartalen for q in PeriodeCode.heel_jaar(k.jaar).kwartalen())
            }
        )
        jaarcodes = [PeriodeCode.heel_jaar(j).code for j in jaren]
        Periode.objects.bulk_create(
            [Periode.uit_code(PeriodeCode.parse(c)) for c in jaarcodes], ignore_conflicts=True
        )
        in_bereik = Waarneming.objects.ongefilterd("demodata: echte cijfers blijven staan").filter(
            gemeente_id__in=gemeente_codes, periode_id__in=periode_codes + jaarcodes
        )
        telling.verwijderd, _ = in_bereik.filter(bron__startswith=BRON_PREFIX).delete()
        echt = set(
            in_bereik.values_list("indicator_id", "gemeente_id", "periode_id")
        )  # everything left is real and keeps its place

        bron = f"{BRON_PREFIX} (seed {seed})"
        lengte = len(kwartalen)
        kwartaal = np.array([k.nummer for k in kwartalen])
        status_basis = np.full(lengte, WaarnemingStatus.DEFINITIEF, dtype=object)
        status_basis[-2:] = WaarnemingStatus.VOORLOPIG
        aantal_codes = {i.code for i in indicatoren if i.eenheid == Eenheid.AANTAL}
        onbekend: set[str] = set()

        buffer: list[Waarneming] = []

        def schrijf(alles: bool = False) -> None:
            if buffer and (alles or len(buffer) >= BATCH_SIZE):
                Waarneming.objects.bulk_create(buffer, batch_size=BATCH_SIZE)
                telling.waarnemingen += len(buffer)
                buffer.clear()

        for gemeente in gemeenten:
            code = gemeente.cbs_code
            bestaat = np.array([gemeente.bestaat_in(k.begindatum, k.einddatum) for k in kwartalen])
            reeks = inwoners[code]
            # Population per quarter: 1 January of its year, moving towards the next year.
            nu = np.array([reeks[k.jaar] for k in kwartalen], dtype=float)
            later = np.array([reeks[k.jaar + 1] for k in kwartalen], dtype=float)
            inw = nu + (later - nu) * (kwartaal - 1) / 4.0

            reeksen = genereer_reeksen(_rng(seed, code, STROOM_CIJFERS), inw, kwartaal)
            status_rng = _rng(seed, code, STROOM_STATUS)
            for indicator in indicatoren:
                waarden = reeksen.get(indicator.code)
                if waarden is None:
                    waarden = _generiek(
                        _rng(seed, f"{code}/{indicator.code}", STROOM_OVERIG),
                        indicator.eenheid,
                        inw,
                    )
                    if waarden is None:
                        onbekend.add(indicator.code)
                        continue
                is_aantal = indicator.code in aantal_codes
                if indicator.frequentie == Frequentie.JAAR:
                    buffer.extend(
                        self._jaarwaarden(
                            indicator, gemeente, kwartalen, waarden, jaren, echt, bron
                        )
                    )
                    schrijf()
                    continue
                status = status_basis.copy()
                # About 1% of the small counts are suppressed (value kept, status geheim).
                loting = status_rng.random(lengte)
                if is_aantal:
                    status[(waarden < 5) & (loting < 0.01)] = WaarnemingStatus.GEHEIM
                geldig = bestaat & ~np.isnan(waarden.astype(float))
                for t in np.flatnonzero(geldig):
                    periode = periode_codes[t]
                    if (indicator.code, code, periode) in echt:
                        telling.overgeslagen += 1
                        continue
                    if is_aantal:
                        waarde = Decimal(int(waarden[t]))
                    else:
                        waarde = Decimal(repr(float(waarden[t]))).quantize(TWEE_DECIMALEN)
                    buffer.append(
                        Waarneming(
                            indicator_id=indicator.code,
                            gemeente_id=code,
                            periode_id=periode,
                            waarde=waarde,
                            status=status[t],
                            bron=bron,
                        )
                    )
                schrijf()
        schrijf(alles=True)
        telling.onbekend = sorted(onbekend)
