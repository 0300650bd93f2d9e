"""Reads for the aldermen's dashboards: where a region or a municipality stands, at a glance.

Every number comes from the figure selector `cijfers()`, called a fixed number of times per
page: for the region (or municipality) over all periods of the trend and, on the region
dashboard, for its members in the chosen period, both with the approval filter; and once for
the country (NL01) without it (the approval workflow is per region; the country is the sum of
every municipality's delivered figures). The calls are split by what is shown because the
selector answers every combination of indicators, areas and periods it is given: one call for
15 members x 40 quarters x 14 indicators would compute 8.000 answers to show 50. Everything else
(members, boundaries, deliveries, targets, progress, budget) is read in a fixed number of
queries too, so a page costs the same number of queries for 2 or 15 municipalities and for 4
or 40 quarters. The dataclasses hold the `Cijfer` objects themselves, so tests can compare
what a dashboard shows with `cijfer(...)` for the same question.
"""

from monitoring.selectors.dashboard.bouwstenen import (
    ADVIEZEN,
    HONDERD,
    LANDELIJK,
    MAX_PERIODEN,
    MELDERS,
    MELDINGEN,
    NORMEN,
    PER_1000,
    STANDAARD_INDICATOR,
    TREND,
    VERGELIJKBAAR,
    GemeenteRij,
    Kaart,
    Kaartvlak,
    Kerncijfer,
    Normcijfer,
    Periodekeuze,
    Reeks,
    Verschil,
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
    streefwaarde_perioden,
    vraagperioden,
    zonder_lege_begin,
)
from monitoring.selectors.dashboard.gemeente import (
    Gemeentedashboard,
    gemeente_lidmaatschappen,
    gemeentedashboard,
    vergelijkingsregio,
)
from monitoring.selectors.dashboard.kaart import (
    grensjaar,
    maak_kaart,
    maak_kaartplan,
)
from monitoring.selectors.dashboard.regio import (
    Regiodashboard,
    regiodashboard,
)

__all__ = [
    "ADVIEZEN",
    "HONDERD",
    "LANDELIJK",
    "MAX_PERIODEN",
    "MELDERS",
    "MELDINGEN",
    "NORMEN",
    "PER_1000",
    "STANDAARD_INDICATOR",
    "TREND",
    "VERGELIJKBAAR",
    "GemeenteRij",
    "Gemeentedashboard",
    "Kaart",
    "Kaartvlak",
    "Kerncijfer",
    "Normcijfer",
    "Periodekeuze",
    "Reeks",
    "Regiodashboard",
    "Verschil",
    "basiscodes_van",
    "bronnen_van",
    "gemeente_lidmaatschappen",
    "gemeentedashboard",
    "getoonde_staten",
    "grensjaar",
    "heeft_cijfers",
    "kies_periode",
    "laatst_bijgewerkt",
    "landelijke_cijfers",
    "lees_indicatoren",
    "lees_leveringen",
    "lees_streefwaarden",
    "maak_kaart",
    "maak_kaartplan",
    "maak_kerncijfers",
    "maak_normcijfers",
    "maak_reeks",
    "perioden_met_cijfers",
    "regiodashboard",
    "streefwaarde_perioden",
    "vergelijkingsregio",
    "vraagperioden",
    "zonder_lege_begin",
]
