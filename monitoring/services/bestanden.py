"""Reading figure files (CSV, Excel) into rows, and the import's result types."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from monitoring.choices import WaarnemingStatus

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
def csv_openen(inhoud: bytes | str):
    """A CSV file's header (lower case) and a reader for its rows, or the Dutch reason why it
    cannot be read. UTF-8 with or without BOM (Excel); comma, semicolon or tab as separator,
    whichever the header uses most. The reader's line_num is the line number for messages."""
    if isinstance(inhoud, bytes):
        try:
            inhoud = inhoud.decode("utf-8-sig")
        except UnicodeDecodeError:
            return ImportFout(
                1, None, _("Het bestand is geen UTF-8-tekst. Sla het op als CSV UTF-8.")
            )
    tekst = inhoud.removeprefix("\ufeff")
    if not tekst.strip():
        return ImportFout(1, None, _("Het bestand is leeg."))
    scheiding = max([",", ";", "\t"], key=tekst.splitlines()[0].count)
    lezer = csv.reader(io.StringIO(tekst, newline=""), delimiter=scheiding)
    return [k.strip().lower() for k in next(lezer)], lezer


def waarnemingen_lees_csv(inhoud: bytes | str) -> tuple[list[dict[str, str]], list[ImportFout]]:
    """Parse a CSV file into rows keyed by lower-case column name.

    Accepts UTF-8 with or without BOM (Excel) and comma, semicolon or tab as separator.
    Returns the rows (each with its line number under '__regel__') and header errors.
    """
    geopend = csv_openen(inhoud)
    if isinstance(geopend, ImportFout):
        return [], [geopend]
    kop, lezer = geopend
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


def zelfde_waarde(a: Decimal | None, b: Decimal | None) -> bool:
    if a is None or b is None:
        return a is b
    return a == b
