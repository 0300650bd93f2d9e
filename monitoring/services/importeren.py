"""Checking and saving imported rows: all rows or none, locks, the page's region and period."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from monitoring.choices import Frequentie, WaarnemingStatus, is_cbs_bron
from monitoring.models import Gegevenslevering, Indicator, Waarneming
from monitoring.selectors.organisaties import aanleververdeling
from monitoring.services.aanlevering import AanleverControle, Aanlevering
from monitoring.services.bestanden import (
    MAX_CIJFERS_VOOR_KOMMA,
    MAX_DECIMALEN,
    STATUS_ALIASSEN,
    Actie,
    ImportFout,
    ImportResultaat,
    ImportRij,
    lees_decimaal,
    zelfde_waarde,
)
from monitoring.services.regels import bestaande_waarden, delen_en_gehelen, relaties
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
from regioaanpak.models import Gemeente, Lidmaatschap, Periode, Regio
from regioaanpak.perioden import JAAR, OngeldigePeriode, PeriodeCode
from regioaanpak.services import audit_schrijf_veel
from regioaanpak.tabellen import getal
from regioaanpak.validators import CBS_GEMEENTECODE_REGEX


# -- validating and saving ----------------------------------------------------------------------
class _Context:
    """Everything the row checks need, read in a fixed number of queries.

    With a region and period (the upload on the grid page) every row must belong to them.
    """

    def __init__(
        self,
        rijen: list[Mapping[str, str]],
        *,
        regio: Regio | None = None,
        periode: PeriodeCode | None = None,
        organisatie: str | None = None,
        cbs: bool = False,
    ) -> None:
        # The CBS import (services/cbs.py): the only writer of CBS's published figures, rates
        # included; every other import is refused a CBS source.
        self.cbs = cbs
        self.indicatoren = {i.code: i for i in Indicator.objects.select_related("teller")}
        codes = {(r.get("gebied") or "").strip().upper() for r in rijen}
        self.gemeenten = {
            g.cbs_code: g
            for g in Gemeente.objects.filter(cbs_code__in=codes).select_related("opgevolgd_door")
        }
        self.regios = {r.code: r for r in Regio.objects.filter(code__in=codes)}
        self.regio = regio
        self.periode = periode
        self.verdeling = aanleververdeling()
        # The upload on a grid page holds one organisation's indicators.
        self.organisatie = organisatie or self.verdeling.standaard
        self.leden: set[str] = set()
        if regio is not None and periode is not None:
            self.regios[regio.code] = regio
            self.leden = set(
                Lidmaatschap.objects.filter(regio=regio)
                .geldig_in(periode.begindatum, periode.einddatum)
                .values_list("gemeente_id", flat=True)
            )

        # The same period, value and municipality come back on many rows: each is read once
        # (a national import of 100.000 rows has 15 periods and a few thousand values).
        self.perioden: dict[str, PeriodeCode | OngeldigePeriode] = {}
        self.waarden: dict[tuple, tuple] = {}
        self.bestaat: dict[tuple[str, str], bool] = {}

    def naam(self, gebied: str) -> str:
        gevonden = self.gemeenten.get(gebied) or self.regios.get(gebied)
        return gevonden.naam if gevonden is not None else gebied

    def periode_lezen(self, tekst: str) -> PeriodeCode:
        gelezen = self.perioden.get(tekst)
        if gelezen is None:
            try:
                gelezen = PeriodeCode.invoer(tekst)
            except OngeldigePeriode as exc:
                gelezen = exc
            if len(self.perioden) < MAX_ONTHOUDEN:
                self.perioden[tekst] = gelezen
        if isinstance(gelezen, OngeldigePeriode):
            raise gelezen
        return gelezen

    def bestond(self, gemeente: Gemeente, periode: PeriodeCode) -> bool:
        sleutel = (gemeente.cbs_code, periode.code)
        antwoord = self.bestaat.get(sleutel)
        if antwoord is None:
            antwoord = gemeente.bestaat_in(periode.begindatum, periode.einddatum)
            self.bestaat[sleutel] = antwoord
        return antwoord

    def waarde_lezen(self, waarde_ruw, status_ruw, indicator: Indicator | None):
        """`lees_waarde`, remembered per (value, status, indicator) as typed."""
        sleutel = (waarde_ruw, status_ruw, indicator.code if indicator is not None else None)
        try:
            waarde, status, fouten = self.waarden[sleutel]
        except KeyError:
            waarde, status, fouten = lees_waarde(waarde_ruw, status_ruw, indicator)
            if len(self.waarden) < MAX_ONTHOUDEN:
                self.waarden[sleutel] = (waarde, status, tuple(fouten))
        except TypeError:  # a value that is no text or number (the API checked it before)
            waarde, status, fouten = lees_waarde(waarde_ruw, status_ruw, indicator)
        return waarde, status, list(fouten)


# How many distinct periods and values `_Context` remembers while checking rows.
MAX_ONTHOUDEN = 100_000


# "1.234" may mean 1234 (Dutch) or 1,234 (English); "1,234.50" is English for 1234,50. Both are
# refused rather than guessed, on every channel (grid, upload, command, API). A JSON number is
# no text and is never ambiguous: the API passes it on with a decimal comma.
DUBBELZINNIG = re.compile(r"^[+-]?[1-9]\d{0,2}(\.\d{3})+$")
ENGELS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+\.\d+$")


def dubbelzinnig(tekst: str) -> str | None:
    """Why a number as typed is ambiguous, in Dutch, or None."""
    schoon = tekst.strip().replace(" ", "").replace("\u00a0", "")
    if DUBBELZINNIG.match(schoon):
        return _(
            "'%(tekst)s' is dubbelzinnig: schrijf %(zonder)s (zonder punt) voor een heel getal, "
            "of gebruik een komma voor decimalen."
        ) % {"tekst": tekst.strip(), "zonder": schoon.replace(".", "")}
    if ENGELS.match(schoon):
        geheel, decimalen = schoon.replace(",", "").split(".")
        return _(
            "'%(tekst)s' is in Engelse schrijfwijze; schrijf %(nl)s (komma voor decimalen)."
        ) % {"tekst": tekst.strip(), "nl": f"{geheel},{decimalen}"}
    return None


def lees_waarde(
    waarde_ruw: str | None, status_ruw: str | None, indicator: Indicator | None
) -> tuple[Decimal | None, str | None, list[tuple[str, str]]]:
    """Read a value and its status as the import and the grid accept them.

    Returns the value (None when empty or unreadable), the status (None when unknown) and the
    errors as (column, Dutch reason).
    """
    fouten: list[tuple[str, str]] = []
    status_tekst = (status_ruw or "").strip().lower()
    waarde_tekst = (waarde_ruw or "").strip()
    if waarde_tekst == ".":
        status_tekst = status_tekst or "geheim"
    status = STATUS_ALIASSEN.get(status_tekst)
    if status is None:
        fouten.append(
            (
                "status",
                _("'%(status)s' is geen bekende status; kies definitief, voorlopig of geheim.")
                % {"status": status_ruw},
            )
        )

    waarde = None
    twijfel = dubbelzinnig(waarde_tekst)
    if twijfel:
        fouten.append(("waarde", twijfel))
        return None, status, fouten
    if waarde_tekst in ("", "."):
        if status != WaarnemingStatus.GEHEIM:
            fouten.append(
                ("waarde", _("de waarde ontbreekt (alleen een geheime waarde mag leeg zijn)."))
            )
        return waarde, status, fouten
    try:
        waarde = lees_decimaal(waarde_tekst)
    except (InvalidOperation, ValueError):
        fouten.append(("waarde", _("'%(waarde)s' is geen getal.") % {"waarde": waarde_tekst}))
        return None, status, fouten
    exponent = waarde.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_DECIMALEN:
        fouten.append(
            (
                "waarde",
                _("%(waarde)s heeft meer dan %(max)s decimalen.")
                % {"waarde": waarde_tekst, "max": MAX_DECIMALEN},
            )
        )
    elif abs(waarde) >= Decimal(10) ** MAX_CIJFERS_VOOR_KOMMA:
        fouten.append(("waarde", _("%(waarde)s is te groot.") % {"waarde": waarde_tekst}))
    elif indicator is not None and not indicator.is_afgeleid:
        reden = indicator.waarde_fout(waarde)
        if reden:
            fouten.append(("waarde", reden))
    return waarde, status, fouten


def _controleer_rij(rij: Mapping[str, str], ctx: _Context) -> tuple[ImportRij, list[ImportFout]]:
    regel = int(rij["__regel__"])
    resultaat = ImportRij(regel=regel)
    fouten: list[ImportFout] = []

    def fout(kolom: str, reden: str) -> None:
        fouten.append(ImportFout(regel, kolom, reden))

    indicator = None
    code = (rij.get("indicator") or "").strip().lower()
    if not code:
        fout("indicator", _("de indicator ontbreekt."))
    elif code not in ctx.indicatoren:
        fout("indicator", _("'%(code)s' is geen bekende indicator.") % {"code": code})
    else:
        indicator = ctx.indicatoren[code]
        resultaat.indicator = code
        if indicator.is_afgeleid and not ctx.cbs:
            fout("indicator", indicator.waarde_fout(None))

    gebied = (rij.get("gebied") or "").strip().upper()
    gemeente = ctx.gemeenten.get(gebied)
    if not gebied:
        fout("gebied", _("het gebied ontbreekt (een CBS-gemeentecode of een regiocode)."))
    elif gemeente is None and gebied not in ctx.regios:
        if gebied.startswith("GM"):
            if re.match(CBS_GEMEENTECODE_REGEX, gebied):
                fout("gebied", _("'%(code)s' is geen bekende gemeente.") % {"code": gebied})
            else:
                fout(
                    "gebied",
                    _("'%(code)s' is geen geldige CBS-gemeentecode (GM en vier cijfers).")
                    % {"code": gebied},
                )
        else:
            fout("gebied", _("'%(code)s' is geen bekende gemeente of regio.") % {"code": gebied})
    else:
        resultaat.gebied = gebied

    periode = None
    try:
        periode = ctx.periode_lezen(rij.get("periode") or "")
        resultaat.periode = periode.code
    except OngeldigePeriode as exc:
        fout("periode", exc.messages[0])

    if (
        indicator is not None
        and periode is not None
        and indicator.frequentie == Frequentie.JAAR
        and periode.soort != JAAR
    ):
        fout(
            "periode",
            _(
                "'%(code)s' wordt per jaar aangeleverd, niet over %(periode)s; gebruik het hele "
                "jaar, %(jaar)s."
            )
            % {"code": indicator.code, "periode": periode.code, "jaar": f"{periode.jaar}JJ00"},
        )
    if gemeente is not None and periode is not None and not ctx.bestond(gemeente, periode):
        reden = _("%(gemeente)s (%(code)s) bestond niet in %(periode)s") % {
            "gemeente": gemeente.naam,
            "code": gemeente.cbs_code,
            "periode": periode.code,
        }
        if gemeente.opgevolgd_door:
            reden += _("; gebruik %(opvolger)s (%(code)s)") % {
                "opvolger": gemeente.opgevolgd_door.naam,
                "code": gemeente.opgevolgd_door.cbs_code,
            }
        fout("gebied", reden + ".")
    elif ctx.regio is not None and ctx.periode is not None:
        _controleer_rij_hoort_bij_pagina(fout, gebied, gemeente, periode, indicator, ctx)

    waarde, status, waardefouten = ctx.waarde_lezen(rij.get("waarde"), rij.get("status"), indicator)
    for kolom, reden in waardefouten:
        fout(kolom, reden)
    if status is not None:
        resultaat.status = status
    resultaat.waarde = waarde

    if "bron" in rij:
        resultaat.bron = (rij.get("bron") or "").strip()[:200]
        if is_cbs_bron(resultaat.bron) != ctx.cbs:
            fout(
                "bron",
                _(
                    "de bron '%(bron)s' is voorbehouden aan de import van CBS StatLine "
                    "(manage.py importeer_cbs); noem een andere bron."
                )
                % {"bron": resultaat.bron[:60]}
                if not ctx.cbs
                else _("een cijfer van CBS heeft als bron 'CBS StatLine <tabel>'."),
            )
    if "toelichting" in rij:
        resultaat.toelichting = (rij.get("toelichting") or "").strip()
    return resultaat, fouten


def _controleer_rij_hoort_bij_pagina(
    fout, gebied, gemeente, periode, indicator, ctx: _Context
) -> None:
    """An upload on a grid page holds the figures of that region, period and organisation."""
    if periode is not None and periode != ctx.periode:
        fout(
            "periode",
            _(
                "%(periode)s is niet de periode van deze pagina (%(pagina)s); upload deze regel "
                "op de pagina van %(periode)s."
            )
            % {"periode": periode.code, "pagina": ctx.periode.code},
        )
    if gemeente is not None and gebied not in ctx.leden:
        fout(
            "gebied",
            _("%(gemeente)s (%(code)s) hoort in %(periode)s niet bij %(regio)s.")
            % {
                "gemeente": gemeente.naam,
                "code": gebied,
                "periode": ctx.periode.code,
                "regio": ctx.regio.naam,
            },
        )
    elif gemeente is None and gebied in ctx.regios and gebied != ctx.regio.code:
        fout(
            "gebied",
            _("%(code)s is een andere regio dan %(regio)s.")
            % {"code": gebied, "regio": ctx.regio.naam},
        )
    if indicator is not None and not ctx.verdeling.levert(
        ctx.organisatie, ctx.regio.code, indicator.code
    ):
        fout("indicator", organisatie_fout(ctx.verdeling, ctx.regio, indicator, ctx.organisatie))


def organisatie_fout(verdeling, regio: Regio, indicator: Indicator, organisatie: str) -> str:
    """Why a row of this indicator does not belong in this organisation's delivery (Dutch)."""
    eigenaar = verdeling.organisaties[verdeling.organisatie_van(regio.code, indicator.code)]
    return _(
        "'%(code)s' (%(naam)s) levert %(eigenaar)s aan voor %(regio)s, niet %(organisatie)s."
    ) % {
        "code": indicator.code,
        "naam": indicator.naam,
        "eigenaar": eigenaar.naam,
        "regio": regio.naam,
        "organisatie": verdeling.organisaties[organisatie].naam,
    }


def _vergrendeld(
    rijen: list[ImportRij], ctx: _Context, *, voor_update: bool
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


def _delen_en_gehelen(rijen: list[ImportRij], ctx: _Context, resultaat: ImportResultaat) -> None:
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
    ctx = _Context(
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
        import_rij, fouten = _controleer_rij(rij, ctx)
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
    rijen: list[ImportRij], ctx: _Context
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
    ctx: _Context,
    *,
    gebruiker,
    reden: str = "",
) -> list[dict]:
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
