"""Reads for the entry grid of figures per region and period."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import Q

from monitoring.choices import Eenheid, Frequentie, WaarnemingStatus
from monitoring.models import Gegevenslevering, Indicator, Waarneming
from monitoring.selectors import opslag
from monitoring.selectors.cijfers import Cijfer, Cijfers, cijfers
from monitoring.selectors.organisaties import (
    Aanleververdeling,
    aanleververdeling,
    leveringen_van,
)
from regioaanpak import opmaak
from regioaanpak.choices import WorkflowStatus
from regioaanpak.inzage import Inzage
from regioaanpak.models import (
    AuditRegel,
    Gemeente,
    Inwonertal,
    Lidmaatschap,
    Organisatie,
    Regio,
)
from regioaanpak.perioden import HALFJAAR, JAAR, KWARTAAL, PeriodeCode

VIER_DECIMALEN = Decimal("0.0001")
MAX_ONTBREKEND = 5


# -- the entry grid of figures per region and period --------------------------------------------
# Soft checks of a value against history and against the region (the grid asks for a comment).
HISTORIE_PERIODEN = 8
MIN_HISTORIE = 4
AANTAL_SD = Decimal(3)
FACTOR_REGIO = Decimal(3)
MIN_AANTAL_REGIOVERGELIJKING = Decimal(10)
PERIODEN_MEERVOUD = {KWARTAAL: "kwartalen", HALFJAAR: "halfjaren", JAAR: "jaren"}


@dataclass
class GridContext:
    """What the grid of one region and period shows and checks, read in a fixed number of queries.

    Rows are the municipalities that were members in the period, plus the region itself (for
    figures not known per municipality); columns the measured indicators.
    """

    regio: Regio
    periode: PeriodeCode
    leden: list[Gemeente]
    indicatoren: list[Indicator]
    bestaand: dict[tuple[str, str], Waarneming]  # (gebied, indicator) -> stored figure
    antwoorden: Cijfers  # this period and the 8 before, through the figure selector
    inwoners: dict[str, int]  # population on 1 January of the period's year
    # Cells (municipality, indicator) whose figure another region approved for this period
    # (shared municipalities): locked here too, with that region's name.
    vergrendeld: dict[tuple[str, str], str] = field(default_factory=dict)
    # The organisation whose delivery this grid is (its indicators only), and every
    # organisation delivering for the region, the standard one first.
    organisatie: Organisatie | None = None
    organisaties: list[Organisatie] = field(default_factory=list)

    @property
    def gebieden(self) -> list[str]:
        return [g.cbs_code for g in self.leden] + [self.regio.code]

    @property
    def indicator_per_code(self) -> dict[str, Indicator]:
        return {i.code: i for i in self.indicatoren}

    def _antwoord(self, gebied: str, indicator: str, periode: str) -> Cijfer | None:
        return self.antwoorden.antwoorden.get((indicator, gebied, periode))

    @cached_property
    def _eerdere_perioden(self) -> list[str]:
        return [self.periode.verschuif(-stap).code for stap in range(1, HISTORIE_PERIODEN + 1)]

    def huidig(self, gebied: str, indicator: str) -> Cijfer | None:
        """The figure of this period as dashboards show it (stored or rolled up)."""
        return self._antwoord(gebied, indicator, self.periode.code)

    def vorige(self, gebied: str, indicator: str) -> Cijfer | None:
        """The previous period's figure, as dashboards show it."""
        return self._antwoord(gebied, indicator, self._eerdere_perioden[0])

    def historie(self, gebied: str, indicator: str) -> list[Decimal]:
        """Known values of the previous periods of the same type (newest first)."""
        waarden = []
        for periode in self._eerdere_perioden:
            antwoord = self._antwoord(gebied, indicator, periode)
            if antwoord is not None and antwoord.waarde is not None:
                waarden.append(antwoord.waarde)
        return waarden


def gegevensgrid_context(
    *,
    regio: Regio,
    periode: str | PeriodeCode,
    inzage: Inzage,
    organisatie: str | None = None,
) -> GridContext:
    """Members, measured indicators, stored figures, history and populations of one grid.

    The grid is for the people who enter or review the region's figures: every stored figure
    is shown, whatever its delivery's state (`inzage.met_alles()`); for anyone else
    `opslag.grid_waarnemingen` refuses."""
    inzage = inzage.met_alles()
    periode = PeriodeCode.parse(periode)
    lidmaatschappen = (
        Lidmaatschap.objects.filter(regio=regio)
        .geldig_in(periode.begindatum, periode.einddatum)
        .select_related("gemeente")
        .order_by("gemeente__naam", "gemeente_id")
    )
    leden = list(dict.fromkeys(lid.gemeente for lid in lidmaatschappen))
    codes = [g.cbs_code for g in leden]
    verdeling = aanleververdeling()
    organisatie = organisatie or verdeling.standaard
    gemeten = Indicator.objects.gemeten().order_by("volgorde", "code")
    if periode.soort != JAAR:  # a yearly indicator is entered on the year's grid only
        gemeten = gemeten.exclude(frequentie=Frequentie.JAAR)
    indicatoren = verdeling.indicatoren_van(organisatie, regio.code, gemeten)
    bestaand = {
        (w.gemeente_id or w.regio_id, w.indicator_id): w
        for w in opslag.grid_waarnemingen(
            inzage, regio=regio.code, gemeenten=codes, periode=periode.code
        )
    }
    perioden = [periode] + [periode.verschuif(-stap) for stap in range(1, HISTORIE_PERIODEN + 1)]
    antwoorden = cijfers(
        inzage=inzage,
        indicatoren=[i.code for i in indicatoren],
        gebieden=[*codes, regio.code],
        perioden=perioden,
    )
    inwoners_per_gemeente = dict(
        Inwonertal.objects.filter(gemeente__in=codes, jaar=periode.jaar).values_list(
            "gemeente_id", "aantal"
        )
    )
    return GridContext(
        regio=regio,
        periode=periode,
        leden=leden,
        indicatoren=indicatoren,
        bestaand=bestaand,
        antwoorden=antwoorden,
        inwoners=inwoners_per_gemeente,
        vergrendeld=elders_vergrendeld(
            regio=regio,
            periode=periode,
            gemeenten=codes,
            indicatoren=[i.code for i in indicatoren],
            verdeling=verdeling,
        ),
        organisatie=verdeling.organisaties[organisatie],
        organisaties=verdeling.organisaties_in(regio.code),
    )


def elders_vergrendeld(
    *,
    regio: Regio,
    periode: PeriodeCode,
    gemeenten: Iterable[str],
    indicatoren: Iterable[str],
    verdeling: Aanleververdeling,
) -> dict[tuple[str, str], str]:
    """Cells whose figure of the period another region has approved (a municipality can
    belong to a Veilig Thuis region and a centrumgemeenteregio): (municipality, indicator) ->
    that region's name. A cell is locked by the approved delivery of the organisation that
    delivers the indicator in that other region, as the import locks it (`_vergrendeld`)."""
    leveringen: dict[str, dict[str, str]] = defaultdict(dict)  # region -> organisation -> name
    for regio_id, organisatie_id, naam in (
        Gegevenslevering.objects.filter(
            periode_id=periode.code, workflow_status=WorkflowStatus.GOEDGEKEURD
        )
        .exclude(regio=regio)
        .values_list("regio_id", "organisatie_id", "regio__naam")
    ):
        leveringen[regio_id][organisatie_id] = naam
    if not leveringen:
        return {}
    indicatoren = list(indicatoren)
    vergrendeld: dict[tuple[str, str], str] = {}
    for lid in Lidmaatschap.objects.filter(
        regio__in=list(leveringen), gemeente__in=list(gemeenten)
    ).order_by("regio_id"):
        if not lid.geldig_in(periode.begindatum, periode.einddatum):
            continue
        goedgekeurd = leveringen[lid.regio_id]
        for indicator in indicatoren:
            naam = goedgekeurd.get(verdeling.organisatie_van(lid.regio_id, indicator))
            if naam is not None:
                vergrendeld.setdefault((lid.gemeente_id, indicator), naam)
    return vergrendeld


def afwijking_van_historie(
    waarde: Decimal, historie: list[Decimal], soort: str = KWARTAAL
) -> str | None:
    """A warning when the value lies more than 3 standard deviations from its own history."""
    if len(historie) < MIN_HISTORIE:
        return None
    # Sample standard deviation in Decimal arithmetic (the statistics module is slow on Decimals).
    gemiddeld = sum(historie, Decimal(0)) / len(historie)
    variantie = sum(((x - gemiddeld) ** 2 for x in historie), Decimal(0)) / (len(historie) - 1)
    sd = variantie.sqrt()
    if sd == 0 or abs(waarde - gemiddeld) <= AANTAL_SD * sd:
        return None
    return (
        f"Wijkt sterk af van de vorige {HISTORIE_PERIODEN} {PERIODEN_MEERVOUD[soort]} "
        f"(gemiddeld {opmaak.getal(gemiddeld, 1)})"
    )


def afwijking_van_regio(
    aantal: Decimal, inwoners: int, regio_aantal: Decimal, regio_inwoners: int
) -> str | None:
    """A warning when a count per 1.000 inwoners is over 3 times above or below the region's."""
    if aantal < MIN_AANTAL_REGIOVERGELIJKING or not inwoners or not regio_inwoners:
        return None
    eigen = aantal / inwoners * 1000
    regio = regio_aantal / regio_inwoners * 1000
    if regio <= 0:
        return None
    if eigen > FACTOR_REGIO * regio:
        hoe = "meer dan 3 keer zo hoog als"
    elif eigen * FACTOR_REGIO < regio:
        hoe = "minder dan een derde van"
    else:
        return None
    return (
        f"Per 1.000 inwoners {opmaak.getal(eigen, 1)}: {hoe} in de hele regio "
        f"({opmaak.getal(regio, 1)})"
    )


def gegevensgrid_afwijkingen(
    *, context: GridContext, waarden: Mapping[tuple[str, str], Decimal | None]
) -> dict[tuple[str, str], str]:
    """Warnings per cell for the given values (gebied, indicator) -> value.

    (a) more than 3 standard deviations from the area's own last 8 periods of the same type
    (with at least 4 of them known and a spread above 0); (b) for counts of a municipality: its
    rate per 1.000 inwoners more than a factor 3 above or below the region's rate in the same
    grid (count at least 10, populations known).
    """
    indicatoren = context.indicator_per_code
    leden = {g.cbs_code for g in context.leden}
    # The region's rate per count indicator, from the municipalities in this very grid.
    regio_totaal: dict[str, tuple[Decimal, int]] = {}
    for (gebied, code), waarde in waarden.items():
        if waarde is None or gebied not in leden or gebied not in context.inwoners:
            continue
        if indicatoren.get(code) is None or indicatoren[code].eenheid != Eenheid.AANTAL:
            continue
        aantal, inwoners_totaal = regio_totaal.get(code, (Decimal(0), 0))
        regio_totaal[code] = (aantal + waarde, inwoners_totaal + context.inwoners[gebied])

    meldingen: dict[tuple[str, str], str] = {}
    for (gebied, code), waarde in waarden.items():
        indicator = indicatoren.get(code)
        if waarde is None or indicator is None:
            continue
        teksten = []
        historisch = afwijking_van_historie(
            waarde, context.historie(gebied, code), context.periode.soort
        )
        if historisch:
            teksten.append(historisch)
        if (
            indicator.eenheid == Eenheid.AANTAL
            and gebied in leden
            and gebied in context.inwoners
            and code in regio_totaal
        ):
            regionaal = afwijking_van_regio(waarde, context.inwoners[gebied], *regio_totaal[code])
            if regionaal:
                teksten.append(regionaal)
        if teksten:
            meldingen[(gebied, code)] = ". ".join(teksten)
    return meldingen


def gegevenslevering_laatste_opslag(levering: Gegevenslevering | None) -> AuditRegel | None:
    """The newest audit entry of the delivery: who saved (or moved) it last, and when."""
    if levering is None or levering.pk is None:
        return None
    return (
        AuditRegel.objects.filter(
            object_type=Gegevenslevering._meta.label_lower, object_id=str(levering.pk)
        )
        .select_related("gebruiker")
        .order_by("-tijdstip", "-id")
        .first()
    )


MAX_GESCHIEDENIS = 200


def gegevenslevering_geschiedenis(
    *, levering: Gegevenslevering | None, waarneming_ids: Iterable[int]
) -> list[AuditRegel]:
    """Audit entries of the delivery and of its figures, newest first (at most 200)."""
    voorwaarde = Q(
        object_type=Waarneming._meta.label_lower,
        object_id__in=[str(pk) for pk in waarneming_ids],
    )
    if levering is not None and levering.pk is not None:
        voorwaarde |= Q(object_type=Gegevenslevering._meta.label_lower, object_id=str(levering.pk))
    return list(
        AuditRegel.objects.filter(voorwaarde)
        .select_related("gebruiker")
        .order_by("-tijdstip", "-id")[:MAX_GESCHIEDENIS]
    )


@dataclass
class Gegevensgrid:
    """Everything the grid page shows."""

    context: GridContext
    levering: Gegevenslevering | None
    leveringen: dict[str, Gegevenslevering]  # organisation -> its delivery, where one exists
    laatste_opslag: AuditRegel | None
    geschiedenis: list[AuditRegel]
    afwijkingen: dict[tuple[str, str], str]

    @property
    def versie(self) -> int:
        """The version the form is based on; 0 while the delivery does not exist yet."""
        return self.levering.versie if self.levering is not None else 0


def gegevensgrid(
    *,
    regio: Regio,
    periode: str | PeriodeCode,
    inzage: Inzage,
    organisatie: str | None = None,
) -> Gegevensgrid:
    """The grid of one region, period and organisation with its delivery, warnings and
    history, and the state of every organisation's delivery of the region and period."""
    context = gegevensgrid_context(
        regio=regio, periode=periode, inzage=inzage, organisatie=organisatie
    )
    leveringen = leveringen_van(regio.code, context.periode.code)
    levering = leveringen.get(context.organisatie.code)
    waarden = {
        sleutel: w.waarde
        for sleutel, w in context.bestaand.items()
        if w.waarde is not None and w.status != WaarnemingStatus.GEHEIM
    }
    geschiedenis = gegevenslevering_geschiedenis(
        levering=levering, waarneming_ids=[w.pk for w in context.bestaand.values()]
    )
    laatste = next(
        (r for r in geschiedenis if r.object_type == Gegevenslevering._meta.label_lower), None
    )
    if laatste is None and levering is not None and len(geschiedenis) == MAX_GESCHIEDENIS:
        laatste = gegevenslevering_laatste_opslag(levering)
    return Gegevensgrid(
        context=context,
        levering=levering,
        leveringen=leveringen,
        laatste_opslag=laatste,
        geschiedenis=geschiedenis,
        afwijkingen=gegevensgrid_afwijkingen(context=context, waarden=waarden),
    )
