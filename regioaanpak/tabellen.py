"""Reading uploaded tables (CSV and Excel .xlsx) within ceilings checked before the work.

Every file that users send in (figures, risk factors, an analyst's meldingen table) is read here,
so each channel gets the same limits and the same Dutch messages: at most so many rows, columns
and characters per cell, no NUL characters, and for a workbook a ceiling on its unpacked size and
compression ratio (zip bombs) and on the dimension of its first sheet, all checked before
openpyxl parses a row. Reading stops at the first ceiling or after `Grenzen.fouten` errors, so
the work is linear in the input and never larger than the ceilings allow.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.utils import column_index_from_string, get_column_letter

# The csv module's own ceiling per field; our cell ceiling (Grenzen.cel) is checked per cell,
# with a message naming the line, so this only keeps the module from refusing first.
csv.field_size_limit(16 * 1024 * 1024)

MB = 1024 * 1024
_RIJ = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")
_CEL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s>/]")
_AFMETING = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?dimension\s+ref="[A-Z]*\d*:?([A-Z]+)(\d+)"')


def getal(n: int) -> str:
    """A whole number with Dutch thousands separators (1.000.000)."""
    return f"{n:,}".replace(",", ".")


def mb(n: int) -> str:
    return f"{n / MB:.1f}".replace(".", ",").removesuffix(",0") + " MB"


@dataclass(frozen=True)
class ImportFout:
    """A Dutch reason why a row (or the file, regel 1) cannot be read or saved."""

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


@dataclass(frozen=True)
class Grenzen:
    """The ceilings of one kind of input; see the settings INVOER_*."""

    regels: int
    kolommen: int
    cel: int
    fouten: int
    bytes: int

    @classmethod
    def import_(cls) -> Grenzen:
        """A bulk import (API, command): many rows."""
        return cls._maak(settings.INVOER_MAX_REGELS, settings.INVOER_MAX_IMPORT_MB)

    @classmethod
    def upload(cls) -> Grenzen:
        """A file uploaded on a page (the grid, the risk profile)."""
        return cls._maak(settings.INVOER_MAX_REGELS_UPLOAD, settings.INVOER_MAX_UPLOAD_MB)

    @classmethod
    def risico(cls) -> Grenzen:
        """A risk factor or meldingen table of one region (kept in the session until saved)."""
        return cls._maak(settings.INVOER_MAX_REGELS_UPLOAD, settings.INVOER_MAX_RISICO_MB)

    @classmethod
    def _maak(cls, regels: int, megabytes: int) -> Grenzen:
        return cls(
            regels=regels,
            kolommen=settings.INVOER_MAX_KOLOMMEN,
            cel=settings.INVOER_MAX_CEL,
            fouten=settings.INVOER_MAX_FOUTEN,
            bytes=megabytes * MB,
        )


@dataclass
class Tabel:
    """A table as read: the header (lower case, stripped) and the rows with their line
    numbers, or the errors that stopped or spoiled the reading."""

    kop: list[str] = field(default_factory=list)
    rijen: list[tuple[int, list[str]]] = field(default_factory=list)
    fouten: list[ImportFout] = field(default_factory=list)

    def als_dicts(self) -> list[dict[str, str]]:
        """Rows keyed by column name, with the line number under '__regel__'."""
        uit = []
        for regel, velden in self.rijen:
            rij = {k: (velden[i] if i < len(velden) else "") for i, k in enumerate(self.kop) if k}
            rij["__regel__"] = regel
            uit.append(rij)
        return uit


def fout_bestand(reden: str) -> Tabel:
    return Tabel(fouten=[ImportFout(1, None, reden)])


def te_groot(grootte: int, grenzen: Grenzen) -> ImportFout | None:
    if grootte <= grenzen.bytes:
        return None
    return ImportFout(
        1,
        None,
        _("Het bestand is %(grootte)s; ten hoogste %(max)s. Splits het in delen.")
        % {"grootte": mb(grootte), "max": mb(grenzen.bytes)},
    )


class _Lezer:
    """Collects rows and errors with the ceilings of one read."""

    def __init__(self, grenzen: Grenzen, kop: list[str]):
        self.grenzen = grenzen
        self.tabel = Tabel(kop=kop)
        self.gestopt = False

    def fout(self, regel: int, kolom: str | None, reden: str) -> None:
        self.tabel.fouten.append(ImportFout(regel, kolom, reden))
        if len(self.tabel.fouten) >= self.grenzen.fouten:
            self.stop(
                regel,
                _("meer dan %(max)s fouten; het lezen is hier gestopt. Verbeter eerst deze.")
                % {"max": getal(self.grenzen.fouten)},
            )

    def stop(self, regel: int, reden: str) -> None:
        self.tabel.fouten.append(ImportFout(regel, None, reden))
        self.gestopt = True

    def rij(self, regel: int, velden: list[str]) -> None:
        if len(self.tabel.rijen) >= self.grenzen.regels:
            self.stop(
                regel,
                _("het bestand heeft meer dan %(max)s regels; stuur ten hoogste %(max)s per keer.")
                % {"max": getal(self.grenzen.regels)},
            )
            return
        aantal_fouten = len(self.tabel.fouten)
        for i, waarde in enumerate(velden):
            kolom = self.tabel.kop[i] if i < len(self.tabel.kop) else None
            if "\x00" in waarde:
                self.fout(regel, kolom, _("de cel bevat een NUL-teken; dat kan geen waarde zijn."))
            elif len(waarde) > self.grenzen.cel:
                self.fout(
                    regel,
                    kolom,
                    _("de cel heeft %(n)s tekens; ten hoogste %(max)s.")
                    % {"n": getal(len(waarde)), "max": getal(self.grenzen.cel)},
                )
            if self.gestopt:
                return
        if len(self.tabel.fouten) == aantal_fouten:
            self.tabel.rijen.append((regel, velden))


def controleer_kop(kop: list[str], grenzen: Grenzen) -> ImportFout | None:
    if len(kop) > grenzen.kolommen:
        return ImportFout(
            1,
            None,
            _("Het bestand heeft %(n)s kolommen; ten hoogste %(max)s.")
            % {"n": getal(len(kop)), "max": getal(grenzen.kolommen)},
        )
    for naam in kop:
        if "\x00" in naam or len(naam) > 100:
            return ImportFout(1, None, _("De kopregel bevat een onleesbare kolomnaam."))
    return None


def dubbele_kolommen(kop: list[str]) -> list[str]:
    """Column names that occur more than once (linear, whatever the number of columns)."""
    return sorted(naam for naam, aantal in Counter(k for k in kop if k).items() if aantal > 1)


# -- CSV -----------------------------------------------------------------------------------------
def lees_csv(inhoud: bytes | str, grenzen: Grenzen) -> Tabel:
    """A CSV file: UTF-8 with or without BOM (Excel); comma, semicolon or tab as separator,
    whichever the header uses most. Line numbers are the file's own."""
    if isinstance(inhoud, bytes):
        fout = te_groot(len(inhoud), grenzen)
        if fout is not None:
            return Tabel(fouten=[fout])
        try:
            inhoud = inhoud.decode("utf-8-sig")
        except UnicodeDecodeError:
            return fout_bestand(_("Het bestand is geen UTF-8-tekst. Sla het op als CSV UTF-8."))
    tekst = inhoud.removeprefix("\ufeff")
    if not tekst.strip():
        return fout_bestand(_("Het bestand is leeg."))
    eerste = tekst.split("\n", 1)[0]
    scheiding = max([",", ";", "\t"], key=eerste.count)
    if eerste.count(scheiding) >= grenzen.kolommen:
        return Tabel(
            fouten=[
                ImportFout(
                    1,
                    None,
                    _("Het bestand heeft %(n)s kolommen; ten hoogste %(max)s.")
                    % {"n": getal(eerste.count(scheiding) + 1), "max": getal(grenzen.kolommen)},
                )
            ]
        )
    lezer = csv.reader(io.StringIO(tekst, newline=""), delimiter=scheiding)
    try:
        kop = [k.strip().lower() for k in next(lezer)]
    except csv.Error as exc:
        return fout_bestand(_("De kopregel is geen geldige CSV (%(fout)s).") % {"fout": exc})
    fout = controleer_kop(kop, grenzen)
    if fout is not None:
        return Tabel(fouten=[fout])
    verzamelaar = _Lezer(grenzen, kop)
    while not verzamelaar.gestopt:
        try:
            velden = next(lezer)
        except StopIteration:
            break
        except csv.Error as exc:
            verzamelaar.stop(
                lezer.line_num,
                _("de regel is geen geldige CSV (%(fout)s); het lezen is hier gestopt.")
                % {"fout": exc},
            )
            break
        if not any(v.strip() for v in velden):
            continue
        if len(velden) > len(kop):
            verzamelaar.fout(
                lezer.line_num,
                None,
                _("de regel heeft %(aantal)s velden, de kop %(kop)s.")
                % {"aantal": len(velden), "kop": len(kop)},
            )
            continue
        verzamelaar.rij(lezer.line_num, velden)
    return verzamelaar.tabel


# -- Excel ---------------------------------------------------------------------------------------
def _onleesbaar() -> Tabel:
    return fout_bestand(
        _(
            "Het bestand is geen leesbaar Excel-bestand (.xlsx). Sla het op als Excel-werkmap "
            "(.xlsx) of als CSV UTF-8."
        )
    )


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


def _controleer_zip(archief: zipfile.ZipFile) -> str | None:
    """Why the workbook's packed parts may not be unpacked (size, ratio), or None."""
    onderdelen = archief.infolist()
    if len(onderdelen) > 1_000:
        return _("De werkmap bestaat uit %(n)s onderdelen; dat is geen gewone werkmap.") % {
            "n": getal(len(onderdelen))
        }
    maximum = settings.INVOER_XLSX_MAX_UITGEPAKT_MB * MB
    totaal = sum(o.file_size for o in onderdelen)
    if totaal > maximum:
        return _(
            "De werkmap is uitgepakt %(grootte)s; ten hoogste %(max)s. Splits haar in delen of "
            "sla haar op als CSV."
        ) % {"grootte": mb(totaal), "max": mb(maximum)}
    verhouding = settings.INVOER_XLSX_MAX_VERHOUDING
    for onderdeel in onderdelen:
        if onderdeel.file_size > MB and onderdeel.file_size > verhouding * max(
            onderdeel.compress_size, 1
        ):
            return _(
                "De werkmap is verdacht sterk ingepakt (%(naam)s: %(n)s keer); zo'n bestand "
                "wordt niet uitgepakt. Sla de gegevens op als CSV."
            ) % {
                "naam": onderdeel.filename,
                "n": getal(onderdeel.file_size // max(onderdeel.compress_size, 1)),
            }
    return None


def _tel_rijen(archief: zipfile.ZipFile, pad: str, grenzen: Grenzen) -> str | None:
    """Count the sheet's rows and cells in its XML before openpyxl parses any of it."""
    rijen = cellen = 0
    rest = b""
    with archief.open(pad.lstrip("/")) as bron:
        while stuk := bron.read(256 * 1024):
            blok = rest + stuk
            # Count only up to the last '<': a tag cut in two is counted with the next piece.
            grens = blok.rfind(b"<")
            if grens <= 0:
                grens = len(blok)
            rijen += sum(1 for _treffer in _RIJ.finditer(blok, 0, grens))
            cellen += sum(1 for _treffer in _CEL.finditer(blok, 0, grens))
            rest = blok[grens:]
            if rijen > grenzen.regels + 1 or cellen > (grenzen.regels + 1) * grenzen.kolommen:
                break
    rijen += len(_RIJ.findall(rest))
    if rijen > grenzen.regels + 1:
        return _(
            "Het werkblad heeft meer dan %(max)s regels; stuur ten hoogste %(max)s per keer."
        ) % {"max": getal(grenzen.regels)}
    if cellen > (grenzen.regels + 1) * grenzen.kolommen:
        return _("Het werkblad heeft te veel cellen (meer dan %(max)s).") % {
            "max": getal((grenzen.regels + 1) * grenzen.kolommen)
        }
    return None


def _eerste_blad(archief: zipfile.ZipFile) -> str | None:
    """The path of the workbook's first sheet, read from workbook.xml and its relations (small
    parts, checked), before openpyxl opens the workbook: opening it already parses every sheet
    that states no dimension."""
    from xml.etree import ElementTree

    namen = set(archief.namelist())
    boek_pad, rels_pad = "xl/workbook.xml", "xl/_rels/workbook.xml.rels"
    if boek_pad not in namen or rels_pad not in namen:
        return None
    if any(archief.getinfo(n).file_size > MB for n in (boek_pad, rels_pad)):
        return None
    try:
        boek = ElementTree.fromstring(archief.read(boek_pad))
        rels = ElementTree.fromstring(archief.read(rels_pad))
    except ElementTree.ParseError:
        return None
    r_id = next(
        (
            waarde
            for element in boek.iter()
            if element.tag.endswith("}sheet")
            for naam, waarde in element.attrib.items()
            if naam.endswith("}id")
        ),
        None,
    )
    doel = next(
        (r.get("Target") for r in rels.iter() if r.get("Id") == r_id and r.get("Target")), None
    )
    if doel is None:
        return None
    pad = doel.lstrip("/") if doel.startswith("/") else f"xl/{doel}"
    return pad if pad in namen else None


def _controleer_afmeting(archief: zipfile.ZipFile, pad: str, grenzen: Grenzen) -> str | None:
    """The sheet's own dimension (<dimension ref="A1:D200"/>), when it states one."""
    with archief.open(pad) as bron:
        begin = bron.read(64 * 1024)
    treffer = _AFMETING.search(begin)
    if treffer is None:
        return None
    kolom, regels = treffer.group(1).decode(), int(treffer.group(2))
    kolommen = column_index_from_string(kolom) if len(kolom) <= 3 else 10**6
    if kolommen > grenzen.kolommen:
        return _(
            "Het werkblad loopt tot kolom %(kolom)s (%(n)s kolommen); ten hoogste %(max)s. "
            "Verwijder wat rechts van de gegevens staat."
        ) % {"kolom": kolom, "n": getal(kolommen), "max": getal(grenzen.kolommen)}
    if regels > grenzen.regels + 1:
        return _(
            "Het werkblad loopt tot regel %(n)s; ten hoogste %(max)s regels onder de kop. "
            "Verwijder wat onder de gegevens staat of splits het bestand."
        ) % {"n": getal(regels), "max": getal(grenzen.regels)}
    return None


def lees_xlsx(inhoud: bytes, grenzen: Grenzen) -> Tabel:
    """The first sheet of an Excel workbook (.xlsx); the header is row 1 and line numbers are
    Excel's row numbers. The packed size, the unpacked size, the compression ratio, the sheet's
    dimension and its number of rows and cells are checked before openpyxl reads the sheet."""
    from openpyxl import load_workbook

    fout = te_groot(len(inhoud), grenzen)
    if fout is not None:
        return Tabel(fouten=[fout])
    try:
        archief = zipfile.ZipFile(io.BytesIO(inhoud))
    except (zipfile.BadZipFile, ValueError, OSError):
        return _onleesbaar()
    with archief:
        try:
            reden = _controleer_zip(archief)
            if reden:
                return fout_bestand(reden)
            pad = _eerste_blad(archief)
            if pad is None:
                return _onleesbaar()
            reden = _controleer_afmeting(archief, pad, grenzen) or _tel_rijen(archief, pad, grenzen)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError):
            return _onleesbaar()
        if reden:
            return fout_bestand(reden)
    try:
        boek = load_workbook(io.BytesIO(inhoud), read_only=True, data_only=True)
    except Exception:  # openpyxl raises zip, XML and key errors for damaged files
        return _onleesbaar()
    try:
        if not boek.worksheets:
            return _onleesbaar()
        return _lees_blad(boek.worksheets[0], grenzen)
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile, OSError, EOFError, SyntaxError):
        # A damaged sheet fails while reading its rows (XML errors are SyntaxErrors).
        return _onleesbaar()
    finally:
        boek.close()


def _lees_blad(blad, grenzen: Grenzen) -> Tabel:
    regels = blad.iter_rows(values_only=True, max_col=grenzen.kolommen)
    kop = [_excel_tekst(c).strip().lower() for c in next(regels, ())]
    while kop and not kop[-1]:
        kop.pop()
    if not kop:
        return fout_bestand(_("Het bestand is leeg."))
    fout = controleer_kop(kop, grenzen)
    if fout is not None:
        return Tabel(fouten=[fout])
    verzamelaar = _Lezer(grenzen, kop)
    for regel, cellen in enumerate(regels, start=2):
        teksten = [_excel_tekst(c) for c in cellen]
        while teksten and not teksten[-1].strip():
            teksten.pop()
        if not teksten:
            continue
        zonder_kop = [
            i for i, t in enumerate(teksten) if t.strip() and (i >= len(kop) or not kop[i])
        ]
        if zonder_kop:
            verzamelaar.fout(
                regel,
                None,
                _("kolom %(kolom)s heeft geen kop maar bevat '%(waarde)s'.")
                % {
                    "kolom": get_column_letter(zonder_kop[0] + 1),
                    "waarde": teksten[zonder_kop[0]][:50],
                },
            )
        else:
            verzamelaar.rij(regel, teksten)
        if verzamelaar.gestopt:
            break
    return verzamelaar.tabel


def lees_bestand(inhoud: bytes, bestandsnaam: str, grenzen: Grenzen) -> Tabel:
    """An uploaded CSV or Excel (.xlsx) file, by its name or its first bytes."""
    naam = (bestandsnaam or "").lower()
    if naam.endswith(".xls"):
        return fout_bestand(
            _(
                "Oude Excel-bestanden (.xls) worden niet gelezen; sla het bestand op als "
                "Excel-werkmap (.xlsx) of als CSV UTF-8."
            )
        )
    if naam.endswith((".xlsx", ".xlsm")) or inhoud[:4] == b"PK\x03\x04":
        return lees_xlsx(inhoud, grenzen)
    return lees_csv(inhoud, grenzen)
