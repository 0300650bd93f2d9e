"""The only module that reads stored figures (`Waarneming`) for output.

`Waarneming.objects` refuses to hand out values (`OnbeschermdeLezing`) unless a read says why
with `.ongefilterd(reden)`. Here that happens for the figure selector (which applies the viewer
policy to everything it returns) and for the few reads that serve the policy's own purposes:
the stored figures of the API within a policy's reach and release, the entry grid of the people
who enter or review a region's figures, and metadata (which periods have figures, when they
last changed, how many cells are filled). `csv_opmaak` formats the API's queryset from here as
one COPY. Write services read existing rows to compare with (monitoring/services); nothing
else reads figures. A new page, PDF or feed goes through `monitoring.selectors.cijfers`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db import connection
from django.db.models import CharField, Count, F, Max, Q, QuerySet, Value
from django.db.models.fields.tuple_lookups import TupleIn
from django.db.models.functions import Concat

from monitoring.choices import CBS_BRON_BEGIN
from monitoring.models import Gegevenslevering, Waarneming
from monitoring.selectors import sommentabel
from monitoring.selectors.organisaties import aanleververdeling
from regioaanpak.choices import WorkflowStatus
from regioaanpak.inzage import GOEDGEKEURD, Inzage
from regioaanpak.models import Lidmaatschap, Periode
from regioaanpak.selectors import Ledenregister

_BASISVELDEN = ("indicator_id", "gemeente_id", "regio_id", "periode_id", "waarde", "status", "bron")
API_VELDEN = (
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


def _waarnemingen(reden: str) -> QuerySet:
    return Waarneming.objects.ongefilterd(reden)


# -- the figure selector ------------------------------------------------------------------------
def basiswaarden(
    *,
    indicatoren: Iterable[str],
    gemeenten: set[str] | None,
    regios: list[str],
    perioden: Iterable[str],
) -> Iterator[tuple]:
    """Raw stored figures (indicator, gemeente, regio, periode, waarde, status, bron) of the
    municipalities (None: all of them) and regions, for the figure selector only: it applies
    the viewer policy to everything it answers with."""
    indicatoren = list(indicatoren)
    if not indicatoren:
        return iter(())
    if connection.vendor == "postgresql":
        return iter(_basiswaarden_sql(indicatoren, gemeenten, regios, list(perioden)))
    basis_qs = _waarnemingen("cijferselector").filter(
        indicator__in=indicatoren, periode__in=list(perioden)
    )
    # Two halves joined with UNION ALL rather than one OR: each half can use its own
    # (indicator, area, period) unique index, which the OR prevents on PostgreSQL. For the whole
    # country (every municipality) a NOT NULL test is the same set and spares compiling an IN
    # list of 351 codes.
    gemeente_q = Q(gemeente__isnull=False) if gemeenten is None else Q(gemeente__in=gemeenten)
    return iter(
        basis_qs.filter(gemeente_q)
        .order_by()
        .values_list(*_BASISVELDEN)
        .union(basis_qs.filter(regio__in=regios).order_by().values_list(*_BASISVELDEN), all=True)
    )


def basiswaarden_en_stand(
    *,
    indicatoren: Iterable[str],
    gemeenten: set[str] | None,
    regios: list[str],
    perioden: Iterable[str],
    sommen: tuple[list[str], list[str]] | None = None,
) -> tuple[list[tuple], dict[str, str], list[tuple]]:
    """`basiswaarden` (PostgreSQL) and, in the same statement, the stored sums' log state of
    these periods (`sommentabel.stand_sql`): the figures are exactly those of that state.
    `sommen` (indicators, regions): also the stored sums of these regions in these periods
    (`sommentabel.som_sql`), from the same state, and one round trip less; returned as that
    function's rows for `sommentabel.sommen`."""
    perioden = sorted(perioden)
    stand, stand_params = sommentabel.stand_sql(perioden)
    # Every part has a soort first (0 figure, 1 state, 2 stored sum) and the columns of a
    # stored sum (`som_sql`); a figure's seven columns come first, the state in the 5th/6th.
    delen = [
        (
            f"SELECT 1, NULL, NULL, NULL, v.periode, NULL, v.stand, NULL, NULL, NULL, NULL "
            f"FROM ({stand}) v",
            stand_params,
        )
    ]
    if sommen is not None:
        delen.append(sommentabel.som_sql(sommen[0], sommen[1], perioden))
    rijen = _basiswaarden_sql(list(indicatoren), gemeenten, regios, perioden, extra=delen)
    standen = {r[4]: r[6] for r in rijen if r[0] == 1}
    somrijen = [r for r in rijen if r[0] == 2]
    return [r[1:8] for r in rijen if r[0] == 0], standen, somrijen


def _basiswaarden_sql(
    indicatoren: list[str],
    gemeenten: set[str] | None,
    regios: list[str],
    perioden: list[str],
    extra: list[tuple[str, list]] | None = None,
) -> list[tuple]:
    """`basiswaarden` on PostgreSQL in SQL written out: the same two halves with one array
    parameter per list. Building the ORM query took about as long as running it, three times
    per dashboard. `extra`: further SELECTs (and their parameters) read in the same
    statement; then every row starts with its soort (0 for a figure) and a figure's columns
    are padded to eleven."""
    kolommen = ", ".join(_BASISVELDEN)
    if extra is not None:
        kolommen = f"0, {kolommen}, NULL::int, NULL::int, NULL::int"
    gemeente = "gemeente_id IS NOT NULL" if gemeenten is None else "gemeente_id = ANY(%s)"
    params: list = [indicatoren, perioden]
    if gemeenten is not None:
        params.append(sorted(gemeenten))
    params += [indicatoren, perioden, list(regios)]
    sql = f"""SELECT {kolommen} FROM monitoring_waarneming
              WHERE indicator_id = ANY(%s) AND periode_id = ANY(%s) AND {gemeente}
              UNION ALL
              SELECT {kolommen} FROM monitoring_waarneming
              WHERE indicator_id = ANY(%s) AND periode_id = ANY(%s) AND regio_id = ANY(%s)"""
    for deel, deel_params in extra or ():
        sql += f" UNION ALL {deel}"
        params += deel_params
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def getoonde_leveringen(
    inzage: Inzage, periode_codes: set[str], regios: set[str] | None, *, met_stand: bool
) -> tuple[list[tuple[str, str, str]], dict[str, str] | None]:
    """The deliveries (region, period, organisation) of these periods and regions (None: all)
    in a state the policy shows, for the figure selector. On PostgreSQL in SQL written out
    (building the ORM query took as long as running it), approved only in every region asked
    as such, and with `met_stand` the stored sums' log state in the same statement (so the
    same snapshot; else None)."""
    if connection.vendor != "postgresql":
        leveringen = Gegevenslevering.objects.filter(periode__in=periode_codes)
        if regios is not None:
            leveringen = leveringen.filter(regio__in=sorted(regios))
        return [
            (regio_id, periode_id, organisatie_id)
            for regio_id, periode_id, organisatie_id, status in leveringen.values_list(
                "regio_id", "periode_id", "organisatie_id", "workflow_status"
            )
            if inzage.toont(regio_id, status)
        ], None
    waar = ["periode_id = ANY(%s)"]
    params: list = [sorted(periode_codes)]
    if regios is not None:
        waar.append("regio_id = ANY(%s)")
        params.append(sorted(regios))
    goedgekeurd = inzage.staten == GOEDGEKEURD
    if goedgekeurd:
        waar.append("workflow_status = %s")
        params.append(WorkflowStatus.GOEDGEKEURD.value)
    sql = (
        "SELECT regio_id, periode_id, organisatie_id, workflow_status "
        f"FROM monitoring_gegevenslevering WHERE {' AND '.join(waar)}"
    )
    if met_stand:
        stand, stand_params = sommentabel.stand_sql(sorted(periode_codes))
        # The state's rows have no region (a delivery always has one).
        sql += f" UNION ALL SELECT NULL, v.periode, v.stand, NULL FROM ({stand}) v"
        params += stand_params
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rijen = cursor.fetchall()
    standen = {p: stand for regio, p, stand, _s in rijen if regio is None} if met_stand else None
    getoond = [
        (regio_id, periode_id, organisatie_id)
        for regio_id, periode_id, organisatie_id, status in rijen
        if regio_id is not None and (goedgekeurd or inzage.toont(regio_id, status))
    ]
    return getoond, standen


# -- the stored figures of the API --------------------------------------------------------------
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


def _getoonde_leveringen(inzage: Inzage, pad: str = "") -> Q:
    """Deliveries whose figures the policy shows: approved ones, and (where the viewer may see
    unapproved data) those in the other states this read asks for. `pad` leads from the
    queried model to the delivery."""
    if inzage.staten is None:
        raise ValueError("De opgeslagen cijfers van de API tonen geen onbeoordeelde concepten.")
    q = Q(**{f"{pad}workflow_status": WorkflowStatus.GOEDGEKEURD})
    extra = sorted(inzage.staten - {WorkflowStatus.GOEDGEKEURD})
    if extra:
        meer = Q(**{f"{pad}workflow_status__in": extra})
        if inzage.onvoltooid is not None:
            meer &= Q(**{f"{pad}regio_id__in": sorted(inzage.onvoltooid)})
        q |= meer
    return q


def _vrijgegeven(inzage: Inzage) -> Q:
    """A figure counts when a delivery the policy shows covers it: for a municipality's figure
    a delivery of a region it was a member of in that period, for a region's own figure that
    region's delivery; in both the delivery of the organisation that delivers the indicator in
    that region (the figure selector's rule, `organisaties.Vrijgave`).

    Each is one uncorrelated IN on (area, period), which PostgreSQL hashes once; a correlated
    EXISTS would be run again for every figure (4,5 s against 0,3 s for the whole country).
    An indicator another organisation delivers somewhere gets its own pair of them."""
    verdeling = aanleververdeling()
    bijzonder = sorted(verdeling.bijzonder)
    standaard = Q(organisatie_id=verdeling.standaard)
    q = _vrijgegeven_door(inzage, standaard)
    if bijzonder:
        q = Q(q, ~Q(indicator_id__in=bijzonder))
    for indicator in bijzonder:
        afwijkend = verdeling.afwijkend(indicator)
        door = Q(standaard, ~Q(regio_id__in=sorted(afwijkend)))
        per_organisatie: dict[str, list[str]] = defaultdict(list)
        for regio, organisatie in afwijkend.items():
            per_organisatie[organisatie].append(regio)
        for organisatie, regios in sorted(per_organisatie.items()):
            door |= Q(organisatie_id=organisatie, regio_id__in=sorted(regios))
        q |= Q(_vrijgegeven_door(inzage, door), indicator_id=indicator)
    return q


def _vrijgegeven_door(inzage: Inzage, leveringen: Q) -> Q:
    """Figures released by the shown deliveries among `leveringen` (a Q on the delivery)."""
    via_lid = "regio__gegevensleveringen__"
    via = _met_pad(leveringen, via_lid)
    gemeente_paren = Lidmaatschap.objects.filter(
        Q(geldig_van__isnull=True) | Q(geldig_van__lte=F(f"{via_lid}periode__einddatum")),
        Q(geldig_tot__isnull=True) | Q(geldig_tot__gte=F(f"{via_lid}periode__begindatum")),
        _getoonde_leveringen(inzage, via_lid),
        via,
    )
    regio_paren = Gegevenslevering.objects.filter(_getoonde_leveringen(inzage), leveringen)
    if connection.features.supports_tuple_lookups:
        # (area, period) IN (...) as a pair: PostgreSQL hashes both columns as they are, 0,08 s
        # less on the whole country than gluing each figure's key into a text first.
        return Q(
            TupleIn(
                (F("gemeente_id"), F("periode_id")),
                gemeente_paren.values("gemeente_id", f"{via_lid}periode_id").query,
            )
        ) | Q(
            TupleIn(
                (F("regio_id"), F("periode_id")),
                regio_paren.values("regio_id", "periode_id").query,
            )
        )
    # SQLite runs a pair IN as a correlated EXISTS: one text key per side instead.
    gemeente_sleutels = gemeente_paren.annotate(
        sleutel=Concat("gemeente_id", f"{via_lid}periode_id")
    ).values("sleutel")
    regio_sleutels = regio_paren.annotate(
        sleutel=Concat("regio_id", Value("|"), "periode_id")
    ).values("sleutel")
    return Q(gemeente_sleutel__in=gemeente_sleutels) | Q(regio_sleutel__in=regio_sleutels)


def _met_pad(q: Q, pad: str) -> Q:
    """The same condition on a delivery reached through `pad` (each lookup prefixed)."""
    nieuw = Q()
    nieuw.connector, nieuw.negated = q.connector, q.negated
    for kind in q.children:
        if isinstance(kind, Q):
            nieuw.children.append(_met_pad(kind, pad))
        else:
            sleutel, waarde = kind
            nieuw.children.append((f"{pad}{sleutel}", waarde))
    return nieuw


def opgeslagen_waarnemingen(
    inzage: Inzage,
    *,
    indicatoren: Iterable[str] = (),
    gemeenten: Iterable[str] = (),
    regios: Iterable[str] = (),
    perioden: list[str] | None = None,
    van: dt.date | None = None,
    tot: dt.date | None = None,
    soort: str | None = None,
    statussen: Iterable[str] = (),
) -> QuerySet:
    """Stored figures within the policy's reach and release, as value dicts (no ordering).
    Values are raw: the caller publishes each row through the policy (selectors/api.py)."""
    qs = _waarnemingen("opgeslagen cijfers binnen het inzagebeleid")
    indicatoren, gemeenten, regios = list(indicatoren), list(gemeenten), list(regios)
    if indicatoren:
        qs = qs.filter(indicator_id__in=indicatoren)
    if gemeenten:
        qs = qs.filter(gemeente_id__in=gemeenten)
    if regios:
        qs = qs.filter(_leden_q(Ledenregister(regios)) | Q(regio_id__in=regios))
    if inzage.lees is not None:
        qs = qs.filter(_leden_q(Ledenregister(inzage.lees)) | Q(regio_id__in=inzage.lees))
    if perioden is not None:
        qs = qs.filter(periode_id__in=perioden)
    else:
        if van:
            qs = qs.filter(periode__begindatum__gte=van)
        if tot:
            qs = qs.filter(periode__einddatum__lte=tot)
        if soort:
            qs = qs.filter(periode__soort=soort)
    statussen = list(statussen)
    if statussen:
        qs = qs.filter(status__in=statussen)
    if not connection.features.supports_tuple_lookups:
        qs = qs.alias(
            gemeente_sleutel=Concat("gemeente_id", "periode_id", output_field=CharField()),
            regio_sleutel=Concat("regio_id", Value("|"), "periode_id", output_field=CharField()),
        )
    qs = qs.filter(_vrijgegeven(inzage))
    return qs.order_by().values(*API_VELDEN)


def grid_waarnemingen(
    inzage: Inzage, *, regio: str, gemeenten: Iterable[str], periode: str
) -> list[Waarneming]:
    """Every stored figure of the grid's municipalities and region in the period, whatever its
    delivery's state: for the people who enter or review the region's figures only."""
    if not inzage.mag_onvoltooid(regio):
        raise PermissionError(
            "Het invoerscherm is alleen voor de projectleider, beleidsmedewerker of beheerder "
            "van de regio."
        )
    return list(
        _waarnemingen("invoerscherm").filter(
            Q(gemeente__in=list(gemeenten)) | Q(regio=regio), periode_id=periode
        )
    )


def ingevuld(gemeenten: Iterable[str], periode: str) -> dict[tuple[str, str], int]:
    """How many figures each municipality has of each indicator in the period (counts, no
    values): (gemeente, indicator) -> number."""
    return {
        (gemeente, indicator): n
        for gemeente, indicator, n in _waarnemingen("volledigheid: aantallen ingevulde cellen")
        .filter(gemeente__in=list(gemeenten), periode_id=periode)
        .values("gemeente", "indicator")
        .annotate(n=Count("id"))
        .values_list("gemeente", "indicator", "n")
    }


# -- metadata of the dashboards -----------------------------------------------------------------
def perioden_met_cijfers(
    *, gemeenten: Iterable[str], regios: Iterable[str], indicatoren: Iterable[str]
) -> set[str]:
    """Periods with any stored figure of these indicators and areas (codes only)."""
    return set(
        _waarnemingen("perioden met cijfers")
        .filter(
            Q(gemeente__in=list(gemeenten)) | Q(regio__in=list(regios)),
            indicator_id__in=list(indicatoren),
        )
        .order_by()
        .values_list("periode_id", flat=True)
        .distinct()
    )


def laatst_gewijzigd_per_periode(
    *, gemeenten: Iterable[str], regios: Iterable[str], indicatoren: Iterable[str]
) -> dict[str, dt.datetime]:
    """Per period, when the newest stored figure of these indicators and areas changed."""
    # Grouped per period over the (indicator, gemeente, periode) index; the caller picks the
    # periods (a filter on dozens of period codes makes PostgreSQL pick a worse index).
    return dict(
        _waarnemingen("laatst bijgewerkt")
        .filter(
            Q(gemeente__in=list(gemeenten)) | Q(regio__in=list(regios)),
            indicator_id__in=sorted(indicatoren),
        )
        .order_by()
        .values("periode_id")
        .annotate(laatst=Max("gewijzigd_op"))
        .values_list("periode_id", "laatst")
    )


def cbs_perioden_en_bronnen(
    *, indicatoren: Iterable[str], gemeenten: Iterable[str], regio: str
) -> tuple[set[str], list[str]]:
    """The periods and sources ("CBS StatLine 84847NED") of CBS's figures for the region and
    these municipalities: codes only, for the comparison of own and CBS figures."""
    rijen = (
        _waarnemingen("CBS-vergelijking: perioden en tabellen van CBS")
        .filter(bron__startswith=CBS_BRON_BEGIN, indicator_id__in=list(indicatoren))
        .filter(Q(gemeente_id__in=list(gemeenten)) | Q(regio_id=regio))
        .order_by()
        .values_list("periode_id", "bron")
        .distinct()
    )
    perioden, bronnen = set(), set()
    for periode, bron in rijen:
        perioden.add(periode)
        bronnen.add(bron)
    return perioden, sorted(bronnen)
