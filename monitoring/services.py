"""Writes of figures. The CSV import, the web upload and the API push all go through here.

`waarnemingen_importeer` checks and saves rows (from CSV, Excel or the API); with a region and
period it is the upload on the grid page. `gegevensgrid_opslaan` saves the entry grid. Both
refuse figures locked by an approved delivery, write an audit entry per figure and, for a
region and period, bump the delivery's version.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from monitoring.choices import WaarnemingStatus
from monitoring.models import Gegevenslevering, Indicator, Waarneming
from monitoring.selectors import (
    GridContext,
    buiten_looptijd,
    gegevensgrid_afwijkingen,
    gegevensgrid_context,
    gegevenslevering_laatste_opslag,
    regioaanpak_looptijden,
    tijdstip_nl,
)
from regioaanpak.choices import AuditActie, RolSoort, WorkflowStatus
from regioaanpak.models import Gemeente, Lidmaatschap, Periode, Regio
from regioaanpak.perioden import OngeldigePeriode, PeriodeCode
from regioaanpak.services import audit_schrijf_veel
from regioaanpak.toegang import heeft_rol
from regioaanpak.validators import CBS_GEMEENTECODE_REGEX
from regioaanpak.workflow import workflow_overgang

VERPLICHTE_KOLOMMEN = ("indicator", "gebied", "periode", "waarde")
OPTIONELE_KOLOMMEN = ("status", "bron", "toelichting")
STATUS_ALIASSEN = {
    "": WaarnemingStatus.DEFINITIEF,
    "definitief": WaarnemingStatus.DEFINITIEF,
    "voorlopig": WaarnemingStatus.VOORLOPIG,
    "*": WaarnemingStatus.VOORLOPIG,
    "geheim": WaarnemingStatus.GEHEIM,
    ".": WaarnemingStatus.GEHEIM,
}
MAX_DECIMALEN = 4
MAX_CIJFERS_VOOR_KOMMA = 14


class Actie:
    NIEUW = "nieuw"
    GEWIJZIGD = "gewijzigd"
    ONGEWIJZIGD = "ongewijzigd"
    FOUT = "fout"


@dataclass(frozen=True)
class ImportFout:
    regel: int
    kolom: str | None
    reden: str

    def __str__(self) -> str:
        if self.kolom:
            return _("Regel %(regel)s, kolom '%(kolom)s': %(reden)s") % {
                "regel": self.regel,
                "kolom": self.kolom,
                "reden": self.reden,
            }
        return _("Regel %(regel)s: %(reden)s") % {"regel": self.regel, "reden": self.reden}


@dataclass
class ImportRij:
    """One row of the file as understood, with what saving it would do."""

    regel: int
    indicator: str = ""
    gebied: str = ""
    periode: str = ""
    waarde: Decimal | None = None
    status: str = WaarnemingStatus.DEFINITIEF
    bron: str | None = None
    toelichting: str | None = None
    actie: str = Actie.FOUT
    vorige_waarde: Decimal | None = None
    vorige_status: str | None = None


@dataclass
class ImportResultaat:
    rijen: list[ImportRij] = field(default_factory=list)
    fouten: list[ImportFout] = field(default_factory=list)
    opgeslagen: bool = False
    # Only for an upload on a grid page: why nothing can be saved there, and the version.
    algemene_fouten: list[str] = field(default_factory=list)
    conflict: str = ""
    levering_versie: int = 0

    def _tel(self, actie: str) -> int:
        return sum(1 for rij in self.rijen if rij.actie == actie)

    @property
    def nieuw(self) -> int:
        return self._tel(Actie.NIEUW)

    @property
    def gewijzigd(self) -> int:
        return self._tel(Actie.GEWIJZIGD)

    @property
    def ongewijzigd(self) -> int:
        return self._tel(Actie.ONGEWIJZIGD)

    @property
    def geldig(self) -> bool:
        return not (self.fouten or self.algemene_fouten or self.conflict)

    def samenvatting(self) -> str:
        return _("%(nieuw)s nieuw, %(gewijzigd)s gewijzigd, %(ongewijzigd)s ongewijzigd") % {
            "nieuw": self.nieuw,
            "gewijzigd": self.gewijzigd,
            "ongewijzigd": self.ongewijzigd,
        }


# -- reading files ------------------------------------------------------------------------------
def waarnemingen_lees_csv(inhoud: bytes | str) -> tuple[list[dict[str, str]], list[ImportFout]]:
    """Parse a CSV file into rows keyed by lower-case column name.

    Accepts UTF-8 with or without BOM (Excel) and comma, semicolon or tab as separator.
    Returns the rows (each with its line number under '__regel__') and header errors.
    """
    if isinstance(inhoud, bytes):
        try:
            tekst = inhoud.decode("utf-8-sig")
        except UnicodeDecodeError:
            return [], [
                ImportFout(1, None, _("Het bestand is geen UTF-8-tekst. Sla het op als CSV UTF-8."))
            ]
    else:
        tekst = inhoud.removeprefix("\ufeff")
    if not tekst.strip():
        return [], [ImportFout(1, None, _("Het bestand is leeg."))]

    eerste_regel = tekst.splitlines()[0]
    scheiding = max([",", ";", "\t"], key=eerste_regel.count)
    lezer = csv.reader(io.StringIO(tekst, newline=""), delimiter=scheiding)
    kop = [k.strip().lower() for k in next(lezer)]
    fouten = _controleer_kop(kop)
    if fouten:
        return [], fouten

    rijen = []
    for velden in lezer:
        regel = lezer.line_num
        if not any(v.strip() for v in velden):
            continue
        if len(velden) > len(kop):
            fouten.append(
                ImportFout(
                    regel,
                    None,
                    _("de regel heeft %(aantal)s velden, de kop %(kop)s.")
                    % {"aantal": len(velden), "kop": len(kop)},
                )
            )
            continue
        rij = {k: (velden[i] if i < len(velden) else "") for i, k in enumerate(kop)}
        rij["__regel__"] = regel
        rijen.append(rij)
    return rijen, fouten


def _excel_tekst(waarde) -> str:
    """A cell's value as text, numbers exactly as Excel shows them (never via float sums)."""
    if waarde is None:
        return ""
    if isinstance(waarde, bool):
        return "WAAR" if waarde else "ONWAAR"
    if isinstance(waarde, float) and math.isfinite(waarde):
        # Excel shows at most 15 significant digits: 0.1 + 0.2 is shown (and meant) as 0.3.
        return str(Decimal(format(waarde, ".15g")))
    if isinstance(waarde, dt.datetime | dt.date | dt.time):
        return waarde.isoformat()
    return str(waarde)


def waarnemingen_lees_excel(inhoud: bytes) -> tuple[list[dict[str, str]], list[ImportFout]]:
    """Read the first sheet of an Excel workbook (.xlsx) into the same rows as a CSV file.

    The header is row 1; line numbers in messages are Excel's row numbers.
    """
    from openpyxl import load_workbook

    onleesbaar = ImportFout(
        1,
        None,
        _(
            "Het bestand is geen leesbaar Excel-bestand (.xlsx). Sla het op als Excel-werkmap "
            "(.xlsx) of als CSV UTF-8."
        ),
    )
    try:
        boek = load_workbook(io.BytesIO(inhoud), read_only=True, data_only=True)
    except Exception:  # openpyxl raises zip, XML and key errors for damaged files
        return [], [onleesbaar]
    try:
        regels = boek.worksheets[0].iter_rows(values_only=True)
        kop = [_excel_tekst(c).strip().lower() for c in next(regels, ())]
        while kop and not kop[-1]:
            kop.pop()
        if not kop:
            return [], [ImportFout(1, None, _("Het bestand is leeg."))]
        fouten = _controleer_kop([k for k in kop if k])
        if fouten:
            return [], fouten
        rijen = []
        for regel, cellen in enumerate(regels, start=2):
            teksten = [_excel_tekst(c) for c in cellen]
            if not any(t.strip() for t in teksten):
                continue
            zonder_kop = [
                i for i, t in enumerate(teksten) if t.strip() and (i >= len(kop) or not kop[i])
            ]
            if zonder_kop:
                fouten.append(
                    ImportFout(
                        regel,
                        None,
                        _("kolom %(kolom)s heeft geen kop maar bevat '%(waarde)s'.")
                        % {
                            "kolom": get_column_letter(zonder_kop[0] + 1),
                            "waarde": teksten[zonder_kop[0]],
                        },
                    )
                )
                continue
            rij = {k: (teksten[i] if i < len(teksten) else "") for i, k in enumerate(kop) if k}
            rij["__regel__"] = regel
            rijen.append(rij)
    except Exception:  # a damaged sheet fails while reading its rows
        return [], [onleesbaar]
    finally:
        boek.close()
    return rijen, fouten


def waarnemingen_lees_bestand(
    inhoud: bytes, bestandsnaam: str
) -> tuple[list[dict[str, str]], list[ImportFout]]:
    """Read an uploaded CSV or Excel (.xlsx) file into rows for `waarnemingen_importeer`."""
    naam = (bestandsnaam or "").lower()
    if naam.endswith(".xls"):
        return [], [
            ImportFout(
                1,
                None,
                _(
                    "Oude Excel-bestanden (.xls) worden niet gelezen; sla het bestand op als "
                    "Excel-werkmap (.xlsx) of als CSV UTF-8."
                ),
            )
        ]
    if naam.endswith((".xlsx", ".xlsm")) or inhoud[:4] == b"PK\x03\x04":
        return waarnemingen_lees_excel(inhoud)
    return waarnemingen_lees_csv(inhoud)


def _controleer_kop(kop: list[str]) -> list[ImportFout]:
    """Errors in the header row: missing, unknown or repeated columns."""

    fouten = []
    ontbrekend = [k for k in VERPLICHTE_KOLOMMEN if k not in kop]
    if ontbrekend:
        fouten.append(
            ImportFout(
                1,
                None,
                _("De kolom(men) %(kolommen)s ontbreken; verplicht zijn %(verplicht)s.")
                % {
                    "kolommen": ", ".join(f"'{k}'" for k in ontbrekend),
                    "verplicht": ", ".join(VERPLICHTE_KOLOMMEN),
                },
            )
        )
    toegestaan = set(VERPLICHTE_KOLOMMEN) | set(OPTIONELE_KOLOMMEN)
    for kolom in kop:
        if kolom not in toegestaan:
            fouten.append(
                ImportFout(
                    1,
                    kolom,
                    _("onbekende kolom; toegestaan zijn %(kolommen)s.")
                    % {"kolommen": ", ".join(VERPLICHTE_KOLOMMEN + OPTIONELE_KOLOMMEN)},
                )
            )
    dubbel = {k for k in kop if kop.count(k) > 1}
    for kolom in sorted(dubbel):
        fouten.append(ImportFout(1, kolom, _("deze kolom staat er meer dan eens in.")))
    return fouten


def lees_decimaal(tekst: str) -> Decimal:
    """Read a number written the Dutch or the English way: 1234,5 / 1.234,5 / 1234.5."""
    schoon = tekst.strip().replace(" ", "").replace("\u00a0", "")
    if "," in schoon and "." in schoon:
        if schoon.rfind(",") > schoon.rfind("."):
            schoon = schoon.replace(".", "").replace(",", ".")
        else:
            schoon = schoon.replace(",", "")
    elif "," in schoon:
        if schoon.count(",") > 1:
            raise InvalidOperation(tekst)
        schoon = schoon.replace(",", ".")
    waarde = Decimal(schoon)
    if not waarde.is_finite():
        raise InvalidOperation(tekst)
    return waarde


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
    ) -> None:
        self.indicatoren = {i.code: i for i in Indicator.objects.select_related("teller")}
        codes = {(r.get("gebied") or "").strip().upper() for r in rijen}
        self.gemeenten = {
            g.cbs_code: g
            for g in Gemeente.objects.filter(cbs_code__in=codes).select_related("opgevolgd_door")
        }
        self.regios = {r.code: r for r in Regio.objects.filter(code__in=codes)}
        self.regio = regio
        self.periode = periode
        self.leden: set[str] = set()
        if regio is not None and periode is not None:
            self.regios[regio.code] = regio
            self.leden = set(
                Lidmaatschap.objects.filter(regio=regio)
                .geldig_in(periode.begindatum, periode.einddatum)
                .values_list("gemeente_id", flat=True)
            )

    def naam(self, gebied: str) -> str:
        gevonden = self.gemeenten.get(gebied) or self.regios.get(gebied)
        return gevonden.naam if gevonden is not None else gebied


def _lees_waarde(
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
        if indicator.is_afgeleid:
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
        periode = PeriodeCode.parse(rij.get("periode") or "")
        resultaat.periode = periode.code
    except OngeldigePeriode as exc:
        fout("periode", exc.messages[0])

    if (
        gemeente is not None
        and periode is not None
        and not gemeente.bestaat_in(periode.begindatum, periode.einddatum)
    ):
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
        _controleer_rij_hoort_bij_pagina(fout, gebied, gemeente, periode, ctx)

    waarde, status, waardefouten = _lees_waarde(rij.get("waarde"), rij.get("status"), indicator)
    for kolom, reden in waardefouten:
        fout(kolom, reden)
    if status is not None:
        resultaat.status = status
    resultaat.waarde = waarde

    if "bron" in rij:
        resultaat.bron = (rij.get("bron") or "").strip()[:200]
    if "toelichting" in rij:
        resultaat.toelichting = (rij.get("toelichting") or "").strip()
    return resultaat, fouten


def _controleer_rij_hoort_bij_pagina(fout, gebied, gemeente, periode, ctx: _Context) -> None:
    """An upload on a grid page holds the figures of that region and period only."""
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


def _vergrendeld(
    rijen: list[ImportRij], ctx: _Context, *, voor_update: bool
) -> dict[tuple[str, str], Regio]:
    """(gebied, periode) -> the region whose approved delivery locks that figure.

    A figure is locked when the delivery of its own region (for a region's figure) or of a
    region the municipality was a member of in that period (for a municipality's figure) is
    approved. Two queries at most, whatever the number of rows.
    """
    perioden = {r.periode for r in rijen if r.gebied and r.periode}
    if not perioden:
        return {}
    leveringen = Gegevenslevering.objects.filter(periode__in=perioden).select_related("regio")
    if voor_update:
        # Lock the deliveries so that none is approved while these rows are being saved.
        leveringen = leveringen.select_for_update(of=("self",))
    goedgekeurd = {
        (levering.regio_id, levering.periode_id): levering.regio
        for levering in leveringen
        if levering.workflow_status == WorkflowStatus.GOEDGEKEURD
    }
    if not goedgekeurd:
        return {}
    gemeenten = {r.gebied for r in rijen if r.gebied in ctx.gemeenten}
    lidmaatschappen: dict[str, list[Lidmaatschap]] = {}
    if gemeenten:
        for lid in Lidmaatschap.objects.filter(
            regio__in={regio for regio, _periode in goedgekeurd}, gemeente__in=gemeenten
        ):
            lidmaatschappen.setdefault(lid.gemeente_id, []).append(lid)

    vergrendeld: dict[tuple[str, str], Regio] = {}
    for rij in rijen:
        if not (rij.gebied and rij.periode):
            continue
        if rij.gebied not in ctx.gemeenten:
            regio = goedgekeurd.get((rij.gebied, rij.periode))
            if regio is not None:
                vergrendeld[(rij.gebied, rij.periode)] = regio
            continue
        periode = PeriodeCode.parse(rij.periode)
        for lid in lidmaatschappen.get(rij.gebied, ()):
            regio = goedgekeurd.get((lid.regio_id, rij.periode))
            if regio is not None and lid.geldig_in(periode.begindatum, periode.einddatum):
                vergrendeld[(rij.gebied, rij.periode)] = regio
                break
    return vergrendeld


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
    versie: int | None = None,
    omschrijving: str = "",
) -> ImportResultaat:
    """Check all rows and save them all, or save nothing when any row is wrong.

    Rows are mappings with the columns indicator, gebied, periode, waarde and optional status,
    bron and toelichting, plus '__regel__' (the line number used in messages). Figures locked by
    an approved delivery are refused.

    With `regio` and `periode` (the upload on the grid page) every row must belong to that
    region and period, only a projectleider or beheerder may save, the delivery must be open
    for changes and, with `versie`, unchanged since the preview; saving bumps its version.
    Every created or changed figure gets an audit entry.
    """
    rijen = list(rijen)
    if dry_run:
        return _importeer(
            rijen, dry_run=True, gebruiker=gebruiker, regio=regio, periode=periode, versie=versie
        )
    with transaction.atomic():
        return _importeer(
            rijen,
            dry_run=False,
            gebruiker=gebruiker,
            regio=regio,
            periode=periode,
            versie=versie,
            omschrijving=omschrijving,
        )


def _importeer(
    rijen: list[Mapping[str, str]],
    *,
    dry_run: bool,
    gebruiker,
    regio: Regio | None,
    periode: str | None,
    versie: int | None,
    omschrijving: str = "",
) -> ImportResultaat:
    resultaat = ImportResultaat()
    pagina_periode = PeriodeCode.parse(periode) if regio is not None and periode else None
    ctx = _Context(rijen, regio=regio if pagina_periode else None, periode=pagina_periode)
    levering = None
    if pagina_periode is not None:
        levering = _levering_ophalen(regio, pagina_periode, voor_update=not dry_run)
        resultaat.levering_versie = levering.versie if levering is not None else 0
        resultaat.algemene_fouten = _bewerk_fouten(
            regio=regio,
            periode=pagina_periode,
            levering=levering,
            gebruiker=gebruiker,
            looptijd_fout=buiten_looptijd(pagina_periode, regioaanpak_looptijden(regio)),
        )
        if versie is not None and versie != resultaat.levering_versie:
            resultaat.conflict = _conflict_bericht(levering)

    eerder: dict[tuple[str, str, str], int] = {}
    for rij in rijen:
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
    vergrendeld = _vergrendeld(
        [r for r in goede if r.regel not in foutregels], ctx, voor_update=not dry_run
    )
    for rij in goede:
        regio_slot = vergrendeld.get((rij.gebied, rij.periode))
        if regio_slot is not None and rij.regel not in foutregels:
            resultaat.fouten.append(
                ImportFout(rij.regel, None, _vergrendeld_bericht(regio_slot, rij.periode))
            )
            rij.actie = Actie.FOUT
    foutregels = {f.regel for f in resultaat.fouten}

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
            _zelfde_waarde(oud.waarde, rij.waarde)
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
            levering = _levering_klaarzetten(
                regio=regio, periode=pagina_periode, levering=levering, gebruiker=gebruiker
            )
        except _LeveringBestaatAl:
            resultaat.conflict = _conflict_bericht(None)
            return resultaat
    regels = _sla_op(resultaat.rijen, bestaand, ctx, gebruiker=gebruiker)
    if levering is not None:
        tekst = omschrijving or _("Cijfers geüpload")
        _levering_ophogen(
            levering=levering,
            gebruiker=gebruiker,
            omschrijving=f"{tekst}: {resultaat.samenvatting()}",
            regels=regels,
        )
        resultaat.levering_versie = levering.versie
    else:
        audit_schrijf_veel(regels)
    resultaat.opgeslagen = True
    return resultaat


def _zelfde_waarde(a: Decimal | None, b: Decimal | None) -> bool:
    if a is None or b is None:
        return a is b
    return a == b


def _bestaande_waarnemingen(
    rijen: list[ImportRij], ctx: _Context
) -> dict[tuple[str, str, str], Waarneming]:
    if not rijen:
        return {}
    gemeenten = {r.gebied for r in rijen if r.gebied in ctx.gemeenten}
    regios = {r.gebied for r in rijen if r.gebied in ctx.regios}
    qs = Waarneming.objects.filter(
        Q(gemeente__in=gemeenten) | Q(regio__in=regios),
        indicator__in={r.indicator for r in rijen},
        periode__in={r.periode for r in rijen},
    )
    return {(w.indicator_id, w.gemeente_id or w.regio_id, w.periode_id): w for w in qs}


def _sla_op(
    rijen: list[ImportRij],
    bestaand: dict[tuple[str, str, str], Waarneming],
    ctx: _Context,
    *,
    gebruiker,
) -> list[dict]:
    """Write the new and changed rows; returns their audit entries (not yet written)."""
    periode_codes = {r.periode for r in rijen}
    aanwezig = set(Periode.objects.filter(code__in=periode_codes).values_list("code", flat=True))
    Periode.objects.bulk_create(
        [Periode.uit_code(code) for code in sorted(periode_codes - aanwezig)],
        ignore_conflicts=True,
    )
    nieuw: list[Waarneming] = []
    gewijzigd: list[tuple[Waarneming, dict]] = []
    for rij in rijen:
        if rij.actie == Actie.NIEUW:
            is_gemeente = rij.gebied in ctx.gemeenten
            nieuw.append(
                Waarneming(
                    indicator_id=rij.indicator,
                    gemeente_id=rij.gebied if is_gemeente else None,
                    regio_id=None if is_gemeente else rij.gebied,
                    periode_id=rij.periode,
                    waarde=rij.waarde,
                    status=rij.status,
                    bron=rij.bron or "",
                    toelichting=rij.toelichting or "",
                )
            )
        elif rij.actie == Actie.GEWIJZIGD:
            waarneming = bestaand[(rij.indicator, rij.gebied, rij.periode)]
            voor = _vooraf(waarneming)
            waarneming.waarde = rij.waarde
            waarneming.status = rij.status
            if rij.bron is not None:
                waarneming.bron = rij.bron
            if rij.toelichting is not None:
                waarneming.toelichting = rij.toelichting
            gewijzigd.append((waarneming, voor))
    return _schrijf_waarnemingen(
        nieuw=nieuw,
        gewijzigd=gewijzigd,
        gebruiker=gebruiker,
        regio=ctx.regio,
        indicatoren=ctx.indicatoren,
        namen=ctx.naam,
    )


# -- writing figures with their audit entries ---------------------------------------------------
def _decimaal_tekst(waarde: Decimal | None) -> str | None:
    """Exact text of a value for the audit log (JSON has no decimals): '412', '62.5'."""
    if waarde is None:
        return None
    return f"{waarde.normalize():f}"


BIJWERKBAAR = ("waarde", "status", "bron", "toelichting")
# SQLite before 3.32 takes at most 999 parameters per statement; a full grid has fewer ids.
MAX_IDS_PER_QUERY = 900


def _vooraf(waarneming: Waarneming) -> dict:
    """The changeable fields of a figure before it is changed."""
    return {veld: getattr(waarneming, veld) for veld in BIJWERKBAAR}


def _audit_gegevens(waarneming: Waarneming | dict) -> dict:
    """What the audit log keeps of a figure: value (exact text), status and comment."""
    gegevens = waarneming if isinstance(waarneming, dict) else _vooraf(waarneming)
    return {
        "waarde": _decimaal_tekst(gegevens["waarde"]),
        "status": gegevens["status"],
        "toelichting": gegevens["toelichting"],
    }


def _schrijf_waarnemingen(
    *,
    nieuw: list[Waarneming],
    gewijzigd: list[tuple[Waarneming, dict]],
    gebruiker,
    regio: Regio | None,
    indicatoren: Mapping[str, Indicator],
    namen,
) -> list[dict]:
    """Insert and update figures in bulk; returns one audit entry per figure (not written yet).

    `gewijzigd` holds the changed figures with their fields from before the change (`_vooraf`).
    """
    nu = timezone.now()
    # Only the columns that changed somewhere: Django builds a CASE per column and row.
    velden = [
        veld
        for veld in BIJWERKBAAR
        if any(
            not _zelfde_waarde(getattr(w, veld), voor[veld])
            if veld == "waarde"
            else getattr(w, veld) != voor[veld]
            for w, voor in gewijzigd
        )
    ]
    Waarneming.objects.bulk_create(nieuw, batch_size=2000)
    if velden:
        Waarneming.objects.bulk_update([w for w, _voor in gewijzigd], velden, batch_size=2000)
    # One timestamp for all: a plain UPDATE instead of another CASE over every row.
    ids = [w.pk for w, _voor in gewijzigd]
    for begin in range(0, len(ids), MAX_IDS_PER_QUERY):
        Waarneming.objects.filter(pk__in=ids[begin : begin + MAX_IDS_PER_QUERY]).update(
            gewijzigd_op=nu
        )
    for waarneming, _voor in gewijzigd:
        waarneming.gewijzigd_op = nu

    def omschrijving(w: Waarneming) -> str:
        indicator = indicatoren.get(w.indicator_id)
        naam = indicator.naam if indicator is not None else w.indicator_id
        return f"{naam} — {namen(w.gebied_code)} — {w.periode_id}"

    def audit_regio(w: Waarneming):
        if regio is not None:
            return regio
        return Regio(code=w.regio_id) if w.regio_id else None

    regels = [
        {
            "gebruiker": gebruiker,
            "obj": w,
            "regio": audit_regio(w),
            "actie": AuditActie.AANGEMAAKT,
            "voor": None,
            "na": _audit_gegevens(w),
            "omschrijving": omschrijving(w),
        }
        for w in nieuw
    ]
    regels += [
        {
            "gebruiker": gebruiker,
            "obj": w,
            "regio": audit_regio(w),
            "actie": AuditActie.GEWIJZIGD,
            "voor": _audit_gegevens(voor),
            "na": _audit_gegevens(w),
            "omschrijving": omschrijving(w),
        }
        for w, voor in gewijzigd
    ]
    return regels


# -- the delivery of one region and period ------------------------------------------------------
class _LeveringBestaatAl(Exception):
    """Someone else created the delivery between reading and saving."""


def _levering_ophalen(
    regio: Regio, periode: PeriodeCode, *, voor_update: bool
) -> Gegevenslevering | None:
    leveringen = Gegevenslevering.objects.select_related(
        "regio", "beoordeeld_door", "ingediend_door"
    )
    if voor_update:
        leveringen = leveringen.select_for_update(of=("self",))
    return leveringen.filter(regio=regio, periode_id=periode.code).first()


def _persoon(gebruiker, gebruikersnaam: str = "") -> str:
    """A person's name for messages; an entry without a user came from the import command."""
    if gebruiker is not None:
        return gebruiker.get_full_name() or gebruiker.get_username()
    return gebruikersnaam or _("het systeem (import)")


def mag_cijfers_bewerken(gebruiker, regio: Regio) -> bool:
    """Only the region's projectleider or a beheerder enters figures."""
    return heeft_rol(gebruiker, regio, RolSoort.PROJECTLEIDER, RolSoort.BEHEERDER)


def _bewerk_fouten(
    *,
    regio: Regio,
    periode: PeriodeCode,
    levering: Gegevenslevering | None,
    gebruiker,
    looptijd_fout: str | None,
) -> list[str]:
    """Why the figures of this region and period cannot be changed now (Dutch), if at all."""
    fouten = []
    if not mag_cijfers_bewerken(gebruiker, regio):
        fouten.append(
            _("Alleen de projectleider of een beheerder van %(regio)s kan deze cijfers wijzigen.")
            % {"regio": regio.naam}
        )
    if looptijd_fout:
        fouten.append(looptijd_fout)
    if levering is not None and levering.workflow_status == WorkflowStatus.GOEDGEKEURD:
        wanneer = ""
        if levering.beoordeeld_op is not None:
            wanneer = _(" (%(wanneer)s door %(wie)s)") % {
                "wanneer": tijdstip_nl(levering.beoordeeld_op),
                "wie": _persoon(levering.beoordeeld_door, _("onbekend")),
            }
        fouten.append(
            _(
                "De cijfers van %(regio)s over %(periode)s zijn goedgekeurd en "
                "vergrendeld%(wanneer)s; vraag een beheerder de vergrendeling op te heffen."
            )
            % {"regio": regio.naam, "periode": periode.code, "wanneer": wanneer}
        )
    elif levering is not None and levering.workflow_status == WorkflowStatus.INGEDIEND:
        fouten.append(
            _(
                "De cijfers van %(regio)s over %(periode)s zijn ingediend en wachten op "
                "beoordeling; ze kunnen nu niet worden gewijzigd."
            )
            % {"regio": regio.naam, "periode": periode.code}
        )
    return fouten


def _conflict_bericht(levering: Gegevenslevering | None) -> str:
    laatste = gegevenslevering_laatste_opslag(levering)
    if laatste is None:
        return _(
            "Uw wijzigingen zijn niet opgeslagen: iemand anders heeft deze cijfers intussen "
            "opgeslagen. Uw invoer staat hieronder nog; controleer de cijfers en sla opnieuw op."
        )
    return _(
        "Uw wijzigingen zijn niet opgeslagen: %(wie)s heeft deze cijfers op %(wanneer)s "
        "opgeslagen, nadat u dit scherm opende. Uw invoer staat hieronder nog; controleer de "
        "cijfers en sla opnieuw op."
    ) % {
        "wie": _persoon(laatste.gebruiker, laatste.gebruikersnaam),
        "wanneer": tijdstip_nl(laatste.tijdstip),
    }


def _levering_klaarzetten(
    *, regio: Regio, periode: PeriodeCode, levering: Gegevenslevering | None, gebruiker
) -> Gegevenslevering:
    """The delivery to record a save on: created in concept on first save; a returned one is
    reopened (teruggestuurd -> concept) through the workflow when the user may do that."""
    Periode.objects.bulk_create([Periode.uit_code(periode)], ignore_conflicts=True)
    if levering is None:
        try:
            with transaction.atomic():
                levering = Gegevenslevering.objects.create(regio=regio, periode_id=periode.code)
        except IntegrityError as exc:
            raise _LeveringBestaatAl from exc
        levering.versie = 0  # the first save below makes it version 1
        return levering
    if levering.workflow_status == WorkflowStatus.TERUGGESTUURD and any(
        naar == WorkflowStatus.CONCEPT for naar, _o in levering.toegestane_overgangen(gebruiker)
    ):
        levering = workflow_overgang(obj=levering, naar=WorkflowStatus.CONCEPT, gebruiker=gebruiker)
    return levering


def _levering_ophogen(
    *, levering: Gegevenslevering, gebruiker, omschrijving: str, regels: list[dict]
) -> None:
    """Bump the delivery's version and write all audit entries of the save in one go."""
    voor = levering.versie
    levering.versie = voor + 1
    levering.save(update_fields=["versie", "gewijzigd_op"])
    regels.append(
        {
            "gebruiker": gebruiker,
            "obj": levering,
            "regio": levering.regio,
            "actie": AuditActie.AANGEMAAKT if voor == 0 else AuditActie.GEWIJZIGD,
            "voor": None if voor == 0 else {"versie": voor},
            "na": {"versie": levering.versie},
            "omschrijving": omschrijving,
        }
    )
    audit_schrijf_veel(regels)


# -- the entry grid -----------------------------------------------------------------------------
# "1.234" may mean 1234 (Dutch) or 1,234 (English): refuse it rather than guess.
DUBBELZINNIG = re.compile(r"^[1-9]\d{0,2}(\.\d{3})+$")


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
            % {"status": status}
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
    if DUBBELZINNIG.match(tekst):
        raise _CelFout(
            _(
                "'%(tekst)s' is dubbelzinnig: schrijf %(zonder)s (zonder punt) voor een heel "
                "getal, of gebruik een komma voor decimalen."
            )
            % {"tekst": tekst, "zonder": tekst.replace(".", "")}
        )
    waarde, _status, fouten = _lees_waarde(tekst, status, indicator)
    if fouten:
        raise _CelFout(_hoofdletter(fouten[0][1]))
    return waarde, status, toelichting


def gegevensgrid_opslaan(
    *, regio: Regio, periode: str, cellen: list[GridCel], versie: int, gebruiker
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
        levering = _levering_ophalen(regio, periode_code, voor_update=True)
        resultaat.versie = levering.versie if levering is not None else 0
        context = gegevensgrid_context(regio=regio, periode=periode_code)
        resultaat.fouten = _bewerk_fouten(
            regio=regio,
            periode=periode_code,
            levering=levering,
            gebruiker=gebruiker,
            looptijd_fout=context.looptijd_fout(),
        )
        if resultaat.fouten:
            return resultaat
        if versie != resultaat.versie:
            resultaat.conflict = _conflict_bericht(levering)
            return resultaat

        nieuw, gewijzigd = _grid_controleren(context, cellen, resultaat)
        if not resultaat.geldig or not (nieuw or gewijzigd):
            resultaat.opgeslagen = resultaat.geldig
            return resultaat

        try:
            levering = _levering_klaarzetten(
                regio=regio, periode=periode_code, levering=levering, gebruiker=gebruiker
            )
        except _LeveringBestaatAl:
            resultaat.conflict = _conflict_bericht(None)
            return resultaat
        namen = {g.cbs_code: g.naam for g in context.leden} | {regio.code: regio.naam}
        regels = _schrijf_waarnemingen(
            nieuw=nieuw,
            gewijzigd=gewijzigd,
            gebruiker=gebruiker,
            regio=regio,
            indicatoren=context.indicator_per_code,
            namen=lambda code: namen.get(code, code),
        )
        resultaat.nieuw, resultaat.gewijzigd = len(nieuw), len(gewijzigd)
        _levering_ophogen(
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
) -> tuple[list[Waarneming], list[tuple[Waarneming, dict]]]:
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
    nieuw: list[Waarneming] = []
    gewijzigd: list[tuple[Waarneming, dict]] = []
    waarde_veranderd: dict[tuple[str, str], str] = {}  # cell -> its comment
    gezien: set[tuple[str, str]] = set()
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
        waarde, status, toelichting = gelezen
        waarden[sleutel] = None if status == WaarnemingStatus.GEHEIM else waarde
        if oud is None:
            nieuw.append(
                Waarneming(
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
            _zelfde_waarde(oud.waarde, waarde)
            and oud.status == status
            and oud.toelichting == toelichting
        ):
            continue
        if not _zelfde_waarde(oud.waarde, waarde):
            waarde_veranderd[sleutel] = toelichting
        voor = _vooraf(oud)
        oud.waarde, oud.status, oud.toelichting = waarde, status, toelichting
        gewijzigd.append((oud, voor))

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
