"""The municipality dashboard: its own figures against its region and the country."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from actielijnen.selectors import (
    VoortgangStand,
    regioaanpakken_in_periode,
    voortgang_stand,
)
from monitoring.models import Indicator
from monitoring.selectors.cijfers import Cijfers, cijfers
from monitoring.selectors.dashboard.bouwstenen import (
    ADVIEZEN,
    LANDELIJK,
    MELDINGEN,
    NORMEN,
    PER_1000,
    TREND,
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
    maak_kerncijfers,
    maak_normcijfers,
    maak_reeks,
    perioden_met_cijfers,
    vraagperioden,
    zonder_lege_begin,
)
from regioaanpak.choices import RegioSoort
from regioaanpak.inzage import Inzage
from regioaanpak.models import Gemeente, Lidmaatschap, Regio
from regioaanpak.perioden import PeriodeCode

# -- the municipality dashboard -----------------------------------------------------------------


def gemeente_lidmaatschappen(gemeente: Gemeente) -> list[Lidmaatschap]:
    """Every membership of the municipality (any time) with its region, the country left out;
    the view keeps those of regions the user may see."""
    return list(
        Lidmaatschap.objects.filter(gemeente=gemeente)
        .exclude(regio__soort=RegioSoort.LAND)
        .select_related("regio")
        .order_by("regio__naam", "regio_id")
    )


@dataclass
class Gemeentedashboard:
    gemeente: Gemeente
    regio: Regio | None  # the region it is compared with in the period
    regios: list[Regio]  # every visible region it belongs to
    keuze: Periodekeuze
    inzage: Inzage  # the viewer policy every figure was read under
    leveringstatussen: frozenset[str]  # the delivery states shown (period choice, markers)
    indicatoren: dict[str, Indicator]
    antwoorden: Cijfers  # the municipality and the region, with the approval filter
    landelijk: Cijfers | None
    perioden: list[PeriodeCode]
    kerncijfers: list[Kerncijfer]
    normen: list[Normcijfer]
    trend: list[Reeks]  # per rate: the municipality, its region and the country
    tijdigheid: list[Reeks]  # the norm percentages of the municipality
    voortgang: VoortgangStand | None
    bijgewerkt: dt.datetime | None
    bronnen: tuple[str, ...]
    landelijke_bronnen: tuple[str, ...]
    voorgangers: list[Gemeente] = field(default_factory=list)
    ingediend: set[str] = field(default_factory=set)

    @property
    def periode(self) -> PeriodeCode:
        return self.keuze.periode

    @property
    def alleen_goedgekeurd(self) -> bool:
        return not any(self.inzage.toont_ingediend(r.code) for r in self.regios)

    @property
    def afgeschermd(self) -> bool:
        """Some figures are disclosure-controlled for this viewer (show the CBS legend)."""
        return self.antwoorden.afgeschermd or bool(self.landelijk and self.landelijk.afgeschermd)


def vergelijkingsregio(
    lidmaatschappen: list[Lidmaatschap], periode: PeriodeCode, met_aanpak: set[str]
) -> Regio | None:
    """The region to compare with: a member region in the period (else any), one with a
    regioaanpak first, then Veilig Thuis regions, then by name."""
    begin, eind = periode.begindatum, periode.einddatum
    in_periode = [lid.regio for lid in lidmaatschappen if lid.geldig_in(begin, eind)]
    kandidaten = in_periode or [lid.regio for lid in lidmaatschappen]
    if not kandidaten:
        return None
    return min(
        kandidaten,
        key=lambda r: (
            r.code not in met_aanpak,
            r.soort != RegioSoort.VEILIG_THUIS_REGIO,
            r.naam,
            r.code,
        ),
    )


def gemeentedashboard(
    gemeente: Gemeente,
    periode: PeriodeCode | str | None = None,
    *,
    lidmaatschappen: list[Lidmaatschap],
    inzage: Inzage,
    vandaag: dt.date | None = None,
) -> Gemeentedashboard:
    """The municipality's own figures against its region and the country, and the projects
    it takes part in, under the viewer's policy. `lidmaatschappen`: its memberships of regions
    the user may see."""
    from actielijnen.models import Regioaanpak

    gevraagd = None if periode is None else PeriodeCode.parse(periode)
    regios = list({lid.regio_id: lid.regio for lid in lidmaatschappen}.values())
    regio_codes = [r.code for r in regios]
    statussen = getoonde_staten(inzage, regio_codes)
    voorgangers = list(Gemeente.objects.filter(opgevolgd_door=gemeente).order_by("naam"))
    eigen_codes = [gemeente.cbs_code, *(v.cbs_code for v in voorgangers)]
    leveringen = lees_leveringen([], eigen_codes)
    keuze = kies_periode(
        gevraagd=gevraagd,
        leveringen=leveringen,
        met_cijfers=perioden_met_cijfers(
            leveringen,
            statussen,
            eigen_codes,
            [],
            mag_onvoltooid=any(inzage.mag_onvoltooid(r) for r in regio_codes),
        ),
        statussen=statussen,
        vandaag=vandaag,
    )
    periode = keuze.periode
    met_aanpak = set(
        Regioaanpak.objects.filter(regio__in=regio_codes).values_list("regio_id", flat=True)
    )
    regio = vergelijkingsregio(lidmaatschappen, periode, met_aanpak)

    codes = {MELDINGEN, ADVIEZEN, *PER_1000.values(), *NORMEN}
    indicatoren = lees_indicatoren(codes)
    gebieden = [gemeente.cbs_code] + ([regio.code] if regio else [])
    antwoorden = cijfers(
        inzage=inzage,
        indicatoren=sorted(codes),
        gebieden=gebieden,
        perioden=vraagperioden(keuze),
    )
    perioden = zonder_lege_begin(keuze.trend, antwoorden, gemeente.cbs_code, TREND)
    # The country over the trend too: the database adds up its municipalities in one query.
    landelijk = landelijke_cijfers(
        inzage, list(PER_1000.values()), vraagperioden(keuze), gemeente.cbs_code
    )

    trend = []
    for code in PER_1000.values():
        trend.append(
            maak_reeks(indicatoren[code], antwoorden, gemeente.cbs_code, gemeente.naam, perioden)
        )
        if regio:
            trend.append(
                maak_reeks(indicatoren[code], antwoorden, regio.code, regio.naam, perioden)
            )
        if landelijk is not None:
            reeks = maak_reeks(indicatoren[code], landelijk, LANDELIJK, "Nederland", perioden)
            if heeft_cijfers(reeks):  # no line of nothing but gaps (the country unknown)
                trend.append(reeks)
    voortgang = None
    if regio is not None:
        voortgang = voortgang_stand(
            regio=regio,
            periode=periode,
            gemeente=gemeente.cbs_code,
            regioaanpakken=regioaanpakken_in_periode(regio, periode),
        )
    regio_code = regio.code if regio else None
    return Gemeentedashboard(
        gemeente=gemeente,
        regio=regio,
        regios=regios,
        keuze=keuze,
        inzage=inzage,
        leveringstatussen=statussen,
        indicatoren=indicatoren,
        antwoorden=antwoorden,
        landelijk=landelijk,
        perioden=perioden,
        kerncijfers=maak_kerncijfers(
            indicatoren,
            antwoorden,
            gemeente.cbs_code,
            periode,
            regio=regio_code,
            landelijk=landelijk,
        ),
        normen=maak_normcijfers(
            indicatoren, antwoorden, gemeente.cbs_code, periode, regio=regio_code
        ),
        trend=trend,
        tijdigheid=[
            maak_reeks(indicatoren[c], antwoorden, gemeente.cbs_code, gemeente.naam, perioden)
            for c in NORMEN
        ],
        voortgang=voortgang,
        bijgewerkt=laatst_bijgewerkt(
            gemeenten=eigen_codes,
            regios=[],
            indicatoren=basiscodes_van(indicatoren.values()),
            perioden=perioden,
            keuze=keuze,
            statussen=statussen,
            mag_onvoltooid=any(inzage.mag_onvoltooid(r) for r in regio_codes),
        ),
        bronnen=bronnen_van(antwoorden),
        landelijke_bronnen=bronnen_van(landelijk) if landelijk else (),
        voorgangers=voorgangers,
        ingediend=keuze.ingediend(statussen),
    )
