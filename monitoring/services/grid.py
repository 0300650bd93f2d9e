"""The entry grid of one region and period: reading cells, hard errors, warnings, saving."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from monitoring.choices import WaarnemingStatus
from monitoring.models import Indicator, Waarneming
from monitoring.selectors import (
    GridContext,
    gegevensgrid_afwijkingen,
    gegevensgrid_context,
)
from monitoring.services.bestanden import zelfde_waarde
from monitoring.services.regels import delen_en_gehelen
from monitoring.services.rijen import lees_waarde
from monitoring.services.schrijven import (
    LeveringBestaatAl,
    NieuwCijfer,
    bewerk_fouten,
    conflict_bericht,
    levering_klaarzetten,
    levering_ophalen,
    levering_ophogen,
    schrijf_waarnemingen,
    vooraf,
)
from regioaanpak.inzage import Inzage
from regioaanpak.models import Regio
from regioaanpak.perioden import PeriodeCode
from regioaanpak.tabellen import getal


# -- the entry grid -----------------------------------------------------------------------------
@dataclass(frozen=True)
class GridCel:
    """One cell as the user entered it: the value as typed, its status and its comment."""

    gebied: str
    indicator: str
    waarde: str = ""
    status: str = WaarnemingStatus.DEFINITIEF
    toelichting: str | None = None  # None: the cell had no comment field; keep what is stored


@dataclass
class GridResultaat:
    opgeslagen: bool = False
    fouten: list[str] = field(default_factory=list)  # for the whole grid, shown at the top
    celfouten: dict[tuple[str, str], str] = field(default_factory=dict)
    waarschuwingen: dict[tuple[str, str], str] = field(default_factory=dict)
    conflict: str = ""
    nieuw: int = 0
    gewijzigd: int = 0
    versie: int = 0

    @property
    def geldig(self) -> bool:
        return not (self.fouten or self.celfouten or self.conflict)

    def samenvatting(self) -> str:
        if not (self.nieuw or self.gewijzigd):
            return _("Er was niets gewijzigd; er is niets opgeslagen.")
        return _("De cijfers zijn opgeslagen: %(nieuw)s nieuw, %(gewijzigd)s gewijzigd.") % {
            "nieuw": self.nieuw,
            "gewijzigd": self.gewijzigd,
        }


def _hoofdletter(tekst: str) -> str:
    return tekst[:1].upper() + tekst[1:]


class _CelFout(Exception):
    """A hard error in one cell; the message is Dutch and shown at the cell."""


def _grid_cel_lezen(
    cel: GridCel, indicator: Indicator, oud: Waarneming | None
) -> tuple[Decimal | None, str, str] | None:
    """(value, status, comment) of one cell, or None when it holds no figure."""
    tekst = (cel.waarde or "").strip()
    status = cel.status or WaarnemingStatus.DEFINITIEF
    if cel.toelichting is not None:
        toelichting = cel.toelichting.strip()
    else:
        toelichting = oud.toelichting if oud is not None else ""
    if status not in WaarnemingStatus.values:
        raise _CelFout(
            _("'%(status)s' is geen bekende status; kies definitief, voorlopig of geheim.")
            % {"status": status[:20]}
        )
    if len(toelichting) > settings.INVOER_MAX_CEL:
        raise _CelFout(
            _("De toelichting heeft %(n)s tekens; ten hoogste %(max)s.")
            % {"n": getal(len(toelichting)), "max": getal(settings.INVOER_MAX_CEL)}
        )
    if not tekst:
        if status == WaarnemingStatus.GEHEIM:
            # Keep the number behind a figure that was already secret.
            bewaard = oud.waarde if oud is not None and oud.status == status else None
            return bewaard, status, toelichting
        if oud is not None:
            raise _CelFout(
                _(
                    "Een opgeslagen cijfer kan hier niet worden gewist; vul een waarde in, of "
                    "een punt (.) voor een geheim cijfer."
                )
            )
        if status == WaarnemingStatus.VOORLOPIG:
            raise _CelFout(_("Vul een getal in vóór de * (voorlopig)."))
        if toelichting:
            raise _CelFout(
                _("Vul ook een waarde in; een toelichting zonder cijfer wordt niet bewaard.")
            )
        return None
    waarde, _status, fouten = lees_waarde(tekst, status, indicator)
    if fouten:
        raise _CelFout(_hoofdletter(fouten[0][1]))
    return waarde, status, toelichting


def _verandert(oud: Waarneming | None, waarde, status: str, toelichting: str) -> bool:
    return oud is None or not (
        zelfde_waarde(oud.waarde, waarde)
        and oud.status == status
        and oud.toelichting == toelichting
    )


def _vergrendeld_elders(regio_naam: str, periode: PeriodeCode) -> str:
    return _(
        "Goedgekeurd en vergrendeld in %(regio)s (%(periode)s); deze gemeente hoort ook bij die "
        "regio. Vraag een beheerder daar de vergrendeling op te heffen."
    ) % {"regio": regio_naam, "periode": periode.code}


def gegevensgrid_opslaan(
    *,
    regio: Regio,
    periode: str,
    cellen: list[GridCel],
    versie: int,
    gebruiker,
    organisatie: str | None = None,
) -> GridResultaat:
    """Save the figures of one region and period as entered in the grid: all or nothing.

    Hard errors (not a number, negative, a count with decimals, a percentage over 100, a period
    outside every term, a locked or submitted delivery, no permission) block the whole save and
    come back per cell or for the grid. Values far from their history or from the region need
    a comment in their cell. `versie` is the delivery's version the form was based on (0 when
    it did not exist yet); a different one means someone else saved in between.
    """
    periode_code = PeriodeCode.parse(periode)
    resultaat = GridResultaat()
    with transaction.atomic():
        levering = levering_ophalen(regio, periode_code, organisatie, voor_update=True)
        resultaat.versie = levering.versie if levering is not None else 0
        # Checking the input against the region's own figures (history, the region's rate);
        # the grid holds the organisation's indicators only.
        context = gegevensgrid_context(
            regio=regio,
            periode=periode_code,
            inzage=Inzage.intern(regio.code),
            organisatie=organisatie,
        )
        resultaat.fouten = bewerk_fouten(
            regio=regio,
            periode=periode_code,
            levering=levering,
            gebruiker=gebruiker,
        )
        if resultaat.fouten:
            return resultaat
        if versie != resultaat.versie:
            resultaat.conflict = conflict_bericht(levering)
            return resultaat

        nieuw, gewijzigd = _grid_controleren(context, cellen, resultaat)
        if not resultaat.geldig or not (nieuw or gewijzigd):
            resultaat.opgeslagen = resultaat.geldig
            return resultaat

        try:
            levering = levering_klaarzetten(
                regio=regio,
                periode=periode_code,
                organisatie=context.organisatie.code,
                levering=levering,
                gebruiker=gebruiker,
            )
        except LeveringBestaatAl:
            resultaat.conflict = conflict_bericht(None)
            return resultaat
        namen = {g.cbs_code: g.naam for g in context.leden} | {regio.code: regio.naam}
        regels = schrijf_waarnemingen(
            nieuw=nieuw,
            gewijzigd=gewijzigd,
            gebruiker=gebruiker,
            regio=regio,
            indicatoren=context.indicator_per_code,
            namen=lambda code: namen.get(code, code),
        )
        resultaat.nieuw, resultaat.gewijzigd = len(nieuw), len(gewijzigd)
        levering_ophogen(
            levering=levering,
            gebruiker=gebruiker,
            omschrijving=_("Cijfers opgeslagen: %(nieuw)s nieuw, %(gewijzigd)s gewijzigd")
            % {"nieuw": resultaat.nieuw, "gewijzigd": resultaat.gewijzigd},
            regels=regels,
        )
        resultaat.versie = levering.versie
        resultaat.opgeslagen = True
    return resultaat


def _grid_controleren(
    context: GridContext, cellen: list[GridCel], resultaat: GridResultaat
) -> tuple[list[NieuwCijfer], list[tuple[Waarneming, dict]]]:
    """Check every cell; returns the figures to create and to change (with their old data)."""
    indicatoren = context.indicator_per_code
    leden = {g.cbs_code for g in context.leden}
    gebieden = set(context.gebieden)
    regio, periode = context.regio, context.periode

    # Values after this save, for the warnings: stored ones, overwritten by the entered ones.
    waarden: dict[tuple[str, str], Decimal | None] = {
        sleutel: w.waarde
        for sleutel, w in context.bestaand.items()
        if w.status != WaarnemingStatus.GEHEIM
    }
    nieuw: list[NieuwCijfer] = []
    gewijzigd: list[tuple[Waarneming, dict]] = []
    waarde_veranderd: dict[tuple[str, str], str] = {}  # cell -> its comment
    gezien: set[tuple[str, str]] = set()
    ingevoerd: dict[tuple[str, str, str], Decimal | None] = {}
    for cel in cellen:
        sleutel = (cel.gebied, cel.indicator)
        indicator = indicatoren.get(cel.indicator)
        if cel.gebied not in gebieden or indicator is None:
            resultaat.fouten.append(
                _("%(gebied)s / %(indicator)s hoort niet bij het invoerscherm van %(regio)s.")
                % {"gebied": cel.gebied, "indicator": cel.indicator, "regio": regio.naam}
            )
            continue
        if sleutel in gezien:
            continue
        gezien.add(sleutel)
        oud = context.bestaand.get(sleutel)
        try:
            gelezen = _grid_cel_lezen(cel, indicator, oud)
        except _CelFout as exc:
            resultaat.celfouten[sleutel] = str(exc)
            continue
        if gelezen is None:
            continue
        elders = context.vergrendeld.get((cel.gebied, cel.indicator))
        if elders is not None and _verandert(oud, *gelezen):
            resultaat.celfouten[sleutel] = _vergrendeld_elders(elders, periode)
            continue
        waarde, status, toelichting = gelezen
        waarden[sleutel] = None if status == WaarnemingStatus.GEHEIM else waarde
        ingevoerd[(cel.indicator, cel.gebied, periode.code)] = waarden[sleutel]
        if oud is None:
            nieuw.append(
                NieuwCijfer(
                    indicator_id=indicator.code,
                    gemeente_id=cel.gebied if cel.gebied in leden else None,
                    regio_id=None if cel.gebied in leden else cel.gebied,
                    periode_id=periode.code,
                    waarde=waarde,
                    status=status,
                    toelichting=toelichting,
                )
            )
            waarde_veranderd[sleutel] = toelichting
            continue
        if (
            zelfde_waarde(oud.waarde, waarde)
            and oud.status == status
            and oud.toelichting == toelichting
        ):
            continue
        if not zelfde_waarde(oud.waarde, waarde):
            waarde_veranderd[sleutel] = toelichting
        voor = vooraf(oud)
        oud.waarde, oud.status, oud.toelichting = waarde, status, toelichting
        gewijzigd.append((oud, voor))

    # Parts never exceed their whole (the same rule as the upload, the command and the API).
    opgeslagen = {
        (indicator, gebied, periode.code): w.waarde if w.status != WaarnemingStatus.GEHEIM else None
        for (gebied, indicator), w in context.bestaand.items()
    }
    for (indicator, gebied, _periode), melding in delen_en_gehelen(
        ingevoerd, opgeslagen, {i.code: i for i in Indicator.objects.all()}
    ).items():
        resultaat.celfouten.setdefault((gebied, indicator), melding)

    afwijkingen = gegevensgrid_afwijkingen(
        context=context, waarden={k: v for k, v in waarden.items() if v is not None}
    )
    for sleutel, toelichting in waarde_veranderd.items():
        melding = afwijkingen.get(sleutel)
        if melding is None:
            continue
        resultaat.waarschuwingen[sleutel] = melding
        if not toelichting:
            resultaat.celfouten[sleutel] = _("Geef een toelichting bij deze afwijkende waarde.")
    return nieuw, gewijzigd
