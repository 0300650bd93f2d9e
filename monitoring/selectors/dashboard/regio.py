"""The region dashboard."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from actielijnen.selectors import (
    BegrotingStand,
    VoortgangStand,
    begroting_stand,
    voortgang_stand,
)
from monitoring.models import Indicator, Streefwaarde
from monitoring.selectors.cijfers import Cijfer, Cijfers, cijfers
from monitoring.selectors.dashboard.bouwstenen import (
    ADVIEZEN,
    LANDELIJK,
    MELDERS,
    MELDINGEN,
    NORMEN,
    PER_1000,
    STANDAARD_INDICATOR,
    TREND,
    VERGELIJKBAAR,
    GemeenteRij,
    Kaart,
    Kerncijfer,
    Normcijfer,
    Periodekeuze,
    Reeks,
    basiscodes_van,
    bronnen_van,
    getoonde_staten,
    heeft_cijfers,
    kies_periode,
    laatst_bijgewerkt,
    landelijke_cijfers,
    lees_indicatoren,
    lees_leveringen,
    lees_streefwaarden,
    maak_kerncijfers,
    maak_normcijfers,
    maak_reeks,
    perioden_met_cijfers,
    vraagperioden,
    zonder_lege_begin,
)
from monitoring.selectors.dashboard.kaart import maak_kaart, maak_kaartplan
from regioaanpak.inzage import Inzage
from regioaanpak.models import Gemeente, Lidmaatschap, Regio
from regioaanpak.perioden import PeriodeCode

# -- the region dashboard -----------------------------------------------------------------------


@dataclass
class Regiodashboard:
    regio: Regio
    keuze: Periodekeuze
    inzage: Inzage  # the viewer policy every figure was read under
    leveringstatussen: frozenset[str]  # the delivery states shown (period choice, markers)
    indicator: Indicator  # of the comparison and the map
    indicatoren: dict[str, Indicator]
    antwoorden: Cijfers  # the region (all periods) and its members (the period), approved
    landelijk: Cijfers | None  # NL01 (None on its own page): the rates over the trend
    perioden: list[PeriodeCode]  # of the trend, oldest first
    kerncijfers: list[Kerncijfer]
    normen: list[Normcijfer]
    trend: list[Reeks]
    landelijke_trend: list[Reeks]  # the country's rates per 1.000 over the same periods
    melders: list[Reeks]
    gemeenten: list[GemeenteRij]
    kaart: Kaart
    voortgang: VoortgangStand
    begroting: BegrotingStand
    streefwaarden: list[Streefwaarde]
    bijgewerkt: dt.datetime | None
    bronnen: tuple[str, ...]
    landelijke_bronnen: tuple[str, ...]
    ingediend: set[str] = field(default_factory=set)

    @property
    def periode(self) -> PeriodeCode:
        return self.keuze.periode

    @property
    def alleen_goedgekeurd(self) -> bool:
        return not self.inzage.toont_ingediend(self.regio.code)

    @property
    def afgeschermd(self) -> bool:
        """Some figures are disclosure-controlled for this viewer (show the CBS legend)."""
        return self.antwoorden.afgeschermd or bool(self.landelijk and self.landelijk.afgeschermd)

    def regiocijfer(self, indicator: str, periode: PeriodeCode | str | None = None) -> Cijfer:
        return self.antwoorden.get(indicator, self.regio.code, periode or self.periode)


def _leden_in(lidmaatschappen: Iterable[Lidmaatschap], periode: PeriodeCode) -> list[Gemeente]:
    begin, eind = periode.begindatum, periode.einddatum
    leden = {
        lid.gemeente_id: lid.gemeente
        for lid in lidmaatschappen
        if lid.geldig_in(begin, eind) and lid.gemeente.bestaat_in(begin, eind)
    }
    return sorted(leden.values(), key=lambda g: (g.naam, g.cbs_code))


def regiodashboard(
    regio: Regio,
    periode: PeriodeCode | str | None = None,
    *,
    inzage: Inzage,
    indicator: str = STANDAARD_INDICATOR,
    vandaag: dt.date | None = None,
) -> Regiodashboard:
    """Everything the region dashboard shows for the period (default: the newest approved),
    every figure read under the viewer's policy: approved figures, and submitted ones where the
    policy (and the viewer's choice, `inzage.met_ingediend()`) shows them."""
    if indicator not in VERGELIJKBAAR:
        raise ValueError(f"Indicator {indicator} is niet te vergelijken tussen gemeenten.")
    statussen = getoonde_staten(inzage, [regio.code])
    gevraagd = None if periode is None else PeriodeCode.parse(periode)

    lidmaatschappen = list(
        Lidmaatschap.objects.filter(regio=regio).select_related(
            "gemeente", "gemeente__opgevolgd_door__opgevolgd_door"
        )
    )
    alle_leden = {lid.gemeente_id for lid in lidmaatschappen}
    leveringen = lees_leveringen([regio.code], alle_leden)
    keuze = kies_periode(
        gevraagd=gevraagd,
        leveringen=leveringen,
        met_cijfers=perioden_met_cijfers(
            leveringen,
            statussen,
            alle_leden,
            [regio.code],
            mag_onvoltooid=inzage.mag_onvoltooid(regio.code),
        ),
        statussen=statussen,
        vandaag=vandaag,
    )
    periode = keuze.periode
    leden = _leden_in(lidmaatschappen, periode)
    plan = maak_kaartplan(leden, periode)

    regiocodes = {MELDINGEN, ADVIEZEN, *PER_1000.values(), *NORMEN, *MELDERS, indicator}
    vergelijking = list(dict.fromkeys([indicator, *PER_1000.values()]))
    indicatoren = lees_indicatoren(regiocodes | set(VERGELIJKBAAR))  # the select's options too
    # The region over the whole trend ...
    antwoorden = cijfers(
        inzage=inzage,
        indicatoren=sorted(regiocodes),
        gebieden=[regio.code],
        perioden=vraagperioden(keuze),
    )
    # ... its members (and successors of merged members, for the map) in the period only ...
    per_gemeente = cijfers(
        inzage=inzage,
        indicatoren=vergelijking,
        gebieden=[*(g.cbs_code for g in leden), *plan.opvolgers],
        perioden=[periode],
    )
    antwoorden.antwoorden.update(per_gemeente.antwoorden)
    # ... and the country over the trend: its rates and the compared indicator (added up by
    # the database, so its 351 municipalities cost one query, not 150.000 rows).
    landelijk = landelijke_cijfers(inzage, vergelijking, vraagperioden(keuze), regio.code)

    perioden = zonder_lege_begin(keuze.trend, antwoorden, regio.code, [*TREND, *MELDERS])
    streefwaarden = lees_streefwaarden([regio.code], TREND)
    trend = [
        maak_reeks(indicatoren[c], antwoorden, regio.code, regio.naam, perioden, streefwaarden)
        for c in TREND
    ]
    landelijke_trend = [
        reeks
        for c in PER_1000.values()
        if landelijk is not None
        and heeft_cijfers(
            reeks := maak_reeks(indicatoren[c], landelijk, LANDELIJK, "Nederland", perioden)
        )
    ]
    gemeenten = [
        GemeenteRij(g, {c: antwoorden.get(c, g.cbs_code, periode) for c in vergelijking})
        for g in leden
    ]
    voortgang = voortgang_stand(regio=regio, periode=periode)
    return Regiodashboard(
        regio=regio,
        keuze=keuze,
        inzage=inzage,
        leveringstatussen=statussen,
        indicator=indicatoren[indicator],
        indicatoren=indicatoren,
        antwoorden=antwoorden,
        landelijk=landelijk,
        perioden=perioden,
        kerncijfers=maak_kerncijfers(
            indicatoren, antwoorden, regio.code, periode, landelijk=landelijk
        ),
        normen=maak_normcijfers(indicatoren, antwoorden, regio.code, periode),
        trend=trend,
        landelijke_trend=landelijke_trend,
        melders=[
            maak_reeks(indicatoren[c], antwoorden, regio.code, regio.naam, perioden)
            for c in MELDERS
        ],
        gemeenten=gemeenten,
        kaart=maak_kaart(plan, leden, indicatoren[indicator], antwoorden, periode),
        voortgang=voortgang,
        begroting=begroting_stand(voortgang=voortgang),
        streefwaarden=streefwaarden,
        bijgewerkt=laatst_bijgewerkt(
            gemeenten=alle_leden,
            regios=[regio.code],
            indicatoren=basiscodes_van(indicatoren[c] for c in regiocodes),
            perioden=perioden,
            keuze=keuze,
            statussen=statussen,
            mag_onvoltooid=inzage.mag_onvoltooid(regio.code),
        ),
        bronnen=bronnen_van(antwoorden),
        landelijke_bronnen=bronnen_van(landelijk) if landelijk else (),
        ingediend=keuze.ingediend(statussen),
    )
