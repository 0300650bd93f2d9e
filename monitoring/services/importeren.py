"""Checking and saving imported rows: all rows or none, locks, the page's region and period."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from monitoring.choices import WaarnemingStatus
from monitoring.models import Gegevenslevering, Waarneming
from monitoring.services.aanlevering import AanleverControle, Aanlevering
from monitoring.services.bestanden import (
    Actie,
    ImportFout,
    ImportResultaat,
    ImportRij,
    zelfde_waarde,
)
from monitoring.services.regels import bestaande_waarden, delen_en_gehelen, relaties
from monitoring.services.rijen import RijContext, controleer_rij
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
from regioaanpak.choices import WorkflowStatus
from regioaanpak.models import Lidmaatschap, Periode, Regio
from regioaanpak.perioden import PeriodeCode
from regioaanpak.services import AuditRij, audit_schrijf_veel
from regioaanpak.tabellen import getal


# -- validating and saving ----------------------------------------------------------------------
def _vergrendeld(
    rijen: list[ImportRij], ctx: RijContext, *, voor_update: bool
) -> dict[tuple[str, str, str], Regio]:
    """(gebied, periode, indicator) -> the region whose approved delivery locks that figure.

    A figure is locked when the delivery of its own region (for a region's figure) or of a
    region the municipality was a member of in that period (for a municipality's figure) is
    approved, by the organisation that delivers the indicator there. Two queries at most,
    whatever the number of rows.
    """
    perioden = {r.periode for r in rijen if r.gebied and r.periode}
    if not perioden:
        return {}
    leveringen = Gegevenslevering.objects.filter(periode__in=perioden).select_related("regio")
    if voor_update:
        # Lock the deliveries so that none is approved while these rows are being saved.
        leveringen = leveringen.select_for_update(of=("self",))
    goedgekeurd = {
        (levering.regio_id, levering.periode_id, levering.organisatie_id): levering.regio
        for levering in leveringen
        if levering.workflow_status == WorkflowStatus.GOEDGEKEURD
    }
    verdeling = ctx.verdeling

    def slot(regio: str, rij: ImportRij) -> Regio | None:
        return goedgekeurd.get(
            (regio, rij.periode, verdeling.organisatie_van(regio, rij.indicator))
        )

    if not goedgekeurd:
        return {}
    gemeenten = {r.gebied for r in rijen if r.gebied in ctx.gemeenten}
    lidmaatschappen: dict[str, list[Lidmaatschap]] = {}
    if gemeenten:
        for lid in Lidmaatschap.objects.filter(
            regio__in={regio for regio, _periode, _org in goedgekeurd}, gemeente__in=gemeenten
        ):
            lidmaatschappen.setdefault(lid.gemeente_id, []).append(lid)

    vergrendeld: dict[tuple[str, str, str], Regio] = {}
    for rij in rijen:
        if not (rij.gebied and rij.periode and rij.indicator):
            continue
        sleutel = (rij.gebied, rij.periode, rij.indicator)
        if rij.gebied not in ctx.gemeenten:
            regio = slot(rij.gebied, rij)
            if regio is not None:
                vergrendeld[sleutel] = regio
            continue
        periode = PeriodeCode.parse(rij.periode)
        for lid in lidmaatschappen.get(rij.gebied, ()):
            regio = slot(lid.regio_id, rij)
            if regio is not None and lid.geldig_in(periode.begindatum, periode.einddatum):
                vergrendeld[sleutel] = regio
                break
    return vergrendeld


def _delen_en_gehelen(rijen: list[ImportRij], ctx: RijContext, resultaat: ImportResultaat) -> None:
    """Parts never exceed their whole, with the values after the import (stored ones for what
    the file leaves alone)."""
    nieuw = {
        (r.indicator, r.gebied, r.periode): None
        if r.status == WaarnemingStatus.GEHEIM
        else r.waarde
        for r in rijen
    }
    codes = set().union(*(relatie.codes for relatie in relaties(ctx.indicatoren.values())))
    if not any(sleutel[0] in codes for sleutel in nieuw):
        return
    regel_van = {(r.indicator, r.gebied, r.periode): r for r in rijen}
    bestaand = bestaande_waarden([k for k in nieuw if k[0] in codes], codes)
    for sleutel, melding in delen_en_gehelen(nieuw, bestaand, ctx.indicatoren).items():
        rij = regel_van[sleutel]
        resultaat.fouten.append(ImportFout(rij.regel, "waarde", melding))
        rij.actie = Actie.FOUT


def _vergrendeld_bericht(regio: Regio, periode: str) -> str:
    return _(
        "de cijfers van %(regio)s over %(periode)s zijn goedgekeurd en vergrendeld; vraag een "
        "beheerder de vergrendeling op te heffen."
    ) % {"regio": regio.naam, "periode": periode}


def waarnemingen_importeer(
    *,
    rijen: Iterable[Mapping[str, str]],
    dry_run: bool = False,
    gebruiker=None,
    regio: Regio | None = None,
    periode: str | None = None,
    organisatie: str | None = None,
    versie: int | None = None,
    omschrijving: str = "",
    aanlevering: Aanlevering | None = None,
    cbs: bool = False,
) -> ImportResultaat:
    """Check all rows and save them all, or save nothing when any row is wrong.

    Rows are mappings with the columns indicator, gebied, periode, waarde and optional status,
    bron and toelichting, plus '__regel__' (the line number used in messages). Figures locked by
    an approved delivery are refused.

    With `regio` and `periode` (the upload on the grid page) every row must belong to that
    region and period, only a projectleider or beheerder may save, the delivery must be open
    for changes and, with `versie`, unchanged since the preview; saving bumps its version.
    Every created or changed figure gets an audit entry.

    With `aanlevering` (the API push) every row must lie within the sender's regions, rows of a
    submitted delivery are refused, and the deliveries of the regions concerned are created or
    get a new version, as a save on the grid page does.
    """
    rijen = list(rijen)
    if dry_run:
        return _importeer(
            rijen,
            dry_run=True,
            gebruiker=gebruiker,
            regio=regio,
            periode=periode,
            organisatie=organisatie,
            versie=versie,
            aanlevering=aanlevering,
            cbs=cbs,
        )
    with transaction.atomic():
        return _importeer(
            rijen,
            dry_run=False,
            gebruiker=gebruiker,
            regio=regio,
            periode=periode,
            organisatie=organisatie,
            versie=versie,
            omschrijving=omschrijving,
            aanlevering=aanlevering,
            cbs=cbs,
        )


def _importeer(
    rijen: list[Mapping[str, str]],
    *,
    dry_run: bool,
    gebruiker,
    regio: Regio | None,
    periode: str | None,
    versie: int | None,
    organisatie: str | None = None,
    omschrijving: str = "",
    aanlevering: Aanlevering | None = None,
    cbs: bool = False,
) -> ImportResultaat:
    resultaat = ImportResultaat()
    pagina_periode = PeriodeCode.parse(periode) if regio is not None and periode else None
    ctx = RijContext(
        rijen,
        regio=regio if pagina_periode else None,
        periode=pagina_periode,
        organisatie=organisatie,
        cbs=cbs,
    )
    levering = None
    if pagina_periode is not None:
        levering = levering_ophalen(regio, pagina_periode, ctx.organisatie, voor_update=not dry_run)
        resultaat.levering_versie = levering.versie if levering is not None else 0
        resultaat.algemene_fouten = bewerk_fouten(
            regio=regio,
            periode=pagina_periode,
            levering=levering,
            gebruiker=gebruiker,
        )
        if versie is not None and versie != resultaat.levering_versie:
            resultaat.conflict = conflict_bericht(levering)

    eerder: dict[tuple[str, str, str], int] = {}
    for rij in rijen:
        if len(resultaat.fouten) >= settings.INVOER_MAX_FOUTEN:
            # Every row is wrong, or most: enough to go on; the rest is not checked.
            resultaat.fouten.append(
                ImportFout(
                    int(rij["__regel__"]),
                    None,
                    _("meer dan %(max)s fouten; het controleren is hier gestopt.")
                    % {"max": getal(settings.INVOER_MAX_FOUTEN)},
                )
            )
            break
        import_rij, fouten = controleer_rij(rij, ctx)
        sleutel = (import_rij.indicator, import_rij.gebied, import_rij.periode)
        if all(sleutel) and not fouten:
            if sleutel in eerder:
                fouten.append(
                    ImportFout(
                        import_rij.regel,
                        None,
                        _(
                            "dezelfde indicator, hetzelfde gebied en dezelfde periode staan al op "
                            "regel %(regel)s."
                        )
                        % {"regel": eerder[sleutel]},
                    )
                )
            else:
                eerder[sleutel] = import_rij.regel
        resultaat.rijen.append(import_rij)
        resultaat.fouten.extend(fouten)
        if fouten:
            import_rij.actie = Actie.FOUT

    goede = [r for r in resultaat.rijen if r.indicator and r.gebied and r.periode]
    foutregels = {f.regel for f in resultaat.fouten}
    controle = None
    if aanlevering is not None:
        controle = AanleverControle(
            aanlevering, {code: g.naam for code, g in ctx.gemeenten.items()}, ctx.verdeling
        )
        for rij in goede:
            if rij.regel not in foutregels:
                fout = controle.controleer(rij, rij.gebied in ctx.gemeenten)
                if fout is not None:
                    resultaat.fouten.append(fout)
                    rij.actie = Actie.FOUT
        foutregels = {f.regel for f in resultaat.fouten}
    _delen_en_gehelen([r for r in goede if r.regel not in foutregels], ctx, resultaat)
    foutregels = {f.regel for f in resultaat.fouten}
    vergrendeld = _vergrendeld(
        [r for r in goede if r.regel not in foutregels], ctx, voor_update=not dry_run
    )
    for rij in goede:
        regio_slot = vergrendeld.get((rij.gebied, rij.periode, rij.indicator))
        if regio_slot is not None and rij.regel not in foutregels:
            resultaat.fouten.append(
                ImportFout(rij.regel, None, _vergrendeld_bericht(regio_slot, rij.periode))
            )
            rij.actie = Actie.FOUT
    foutregels = {f.regel for f in resultaat.fouten}
    if controle is not None:
        for fout in controle.ingediend(
            [r for r in goede if r.regel not in foutregels], voor_update=not dry_run
        ):
            resultaat.fouten.append(fout)
        foutregels = {f.regel for f in resultaat.fouten}
        for rij in goede:
            if rij.regel in foutregels:
                rij.actie = Actie.FOUT

    bestaand = _bestaande_waarnemingen(goede, ctx)
    for rij in goede:
        if rij.regel in foutregels:
            continue
        oud = bestaand.get((rij.indicator, rij.gebied, rij.periode))
        if oud is None:
            rij.actie = Actie.NIEUW
            continue
        rij.vorige_waarde, rij.vorige_status = oud.waarde, oud.status
        gelijk = (
            zelfde_waarde(oud.waarde, rij.waarde)
            and oud.status == rij.status
            and (rij.bron is None or rij.bron == oud.bron)
            and (rij.toelichting is None or rij.toelichting == oud.toelichting)
        )
        rij.actie = Actie.ONGEWIJZIGD if gelijk else Actie.GEWIJZIGD

    if not resultaat.geldig or dry_run:
        return resultaat
    if pagina_periode is not None and not (resultaat.nieuw or resultaat.gewijzigd):
        resultaat.opgeslagen = True  # nothing to change: the delivery stays as it is
        return resultaat
    if pagina_periode is not None:
        try:
            levering = levering_klaarzetten(
                regio=regio,
                periode=pagina_periode,
                organisatie=ctx.organisatie,
                levering=levering,
                gebruiker=gebruiker,
            )
        except LeveringBestaatAl:
            resultaat.conflict = conflict_bericht(None)
            return resultaat
    reden = aanlevering.reden if controle is not None else ""
    regels = _sla_op(resultaat.rijen, bestaand, ctx, gebruiker=gebruiker, reden=reden)
    if levering is not None:
        tekst = omschrijving or _("Cijfers geüpload")
        levering_ophogen(
            levering=levering,
            gebruiker=gebruiker,
            omschrijving=f"{tekst}: {resultaat.samenvatting()}",
            regels=regels,
        )
        resultaat.levering_versie = levering.versie
    else:
        if controle is not None:
            regels += controle.leveringen_bijwerken(
                resultaat.rijen, gebruiker=gebruiker, samenvatting=resultaat.samenvatting()
            )
        audit_schrijf_veel(regels)
    resultaat.opgeslagen = True
    return resultaat


class _Bestaand(NamedTuple):
    """A stored figure as the import compares it; a model instance is made only to change it."""

    id: int
    indicator_id: str
    gemeente_id: str | None
    regio_id: str | None
    periode_id: str
    waarde: Decimal | None
    status: str
    bron: str
    toelichting: str

    def als_waarneming(self) -> Waarneming:
        return Waarneming(**self._asdict())


def _bestaande_waarnemingen(
    rijen: list[ImportRij], ctx: RijContext
) -> dict[tuple[str, str, str], _Bestaand]:
    if not rijen:
        return {}
    gemeenten = {r.gebied for r in rijen if r.gebied in ctx.gemeenten}
    regios = {r.gebied for r in rijen if r.gebied in ctx.regios}
    qs = (
        Waarneming.objects.ongefilterd("import: vergelijken met de bestaande cijfers")
        .filter(
            Q(gemeente__in=gemeenten) | Q(regio__in=regios),
            indicator__in={r.indicator for r in rijen},
            periode__in={r.periode for r in rijen},
        )
        .values_list(*_Bestaand._fields)
    )
    return {
        (w.indicator_id, w.gemeente_id or w.regio_id, w.periode_id): w
        for w in map(_Bestaand._make, qs)
    }


def _sla_op(
    rijen: list[ImportRij],
    bestaand: dict[tuple[str, str, str], _Bestaand],
    ctx: RijContext,
    *,
    gebruiker,
    reden: str = "",
) -> list[AuditRij]:
    """Write the new and changed rows; returns their audit entries (not yet written)."""
    periode_codes = {r.periode for r in rijen}
    aanwezig = set(Periode.objects.filter(code__in=periode_codes).values_list("code", flat=True))
    Periode.objects.bulk_create(
        [Periode.uit_code(code) for code in sorted(periode_codes - aanwezig)],
        ignore_conflicts=True,
    )
    nieuw: list[NieuwCijfer] = []
    gewijzigd: list[tuple[Waarneming, dict]] = []
    for rij in rijen:
        if rij.actie == Actie.NIEUW:
            is_gemeente = rij.gebied in ctx.gemeenten
            nieuw.append(
                NieuwCijfer(
                    rij.indicator,
                    rij.gebied if is_gemeente else None,
                    None if is_gemeente else rij.gebied,
                    rij.periode,
                    rij.waarde,
                    rij.status,
                    rij.bron or "",
                    rij.toelichting or "",
                )
            )
        elif rij.actie == Actie.GEWIJZIGD:
            waarneming = bestaand[(rij.indicator, rij.gebied, rij.periode)].als_waarneming()
            voor = vooraf(waarneming)
            waarneming.waarde = rij.waarde
            waarneming.status = rij.status
            if rij.bron is not None:
                waarneming.bron = rij.bron
            if rij.toelichting is not None:
                waarneming.toelichting = rij.toelichting
            gewijzigd.append((waarneming, voor))
    return schrijf_waarnemingen(
        nieuw=nieuw,
        gewijzigd=gewijzigd,
        gebruiker=gebruiker,
        regio=ctx.regio,
        indicatoren=ctx.indicatoren,
        namen=ctx.naam,
        reden=reden,
    )
