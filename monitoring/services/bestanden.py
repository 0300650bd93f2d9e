"""Reading figure files (CSV, Excel) into rows, and the import's result types."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from monitoring.choices import WaarnemingStatus
from regioaanpak.tabellen import (
    Grenzen,
    ImportFout,
    Tabel,
    dubbele_kolommen,
    lees_bestand,
    lees_csv,
    lees_xlsx,
)

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
# A number as text is at most this long, and its magnitude at most 10 to this power either way:
# beyond that it is no figure of ours (checked before any arithmetic on it).
MAX_GETAL_TEKENS = 40
MAX_EXPONENT = 30


class Actie:
    NIEUW = "nieuw"
    GEWIJZIGD = "gewijzigd"
    ONGEWIJZIGD = "ongewijzigd"
    FOUT = "fout"


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
def csv_openen(inhoud: bytes | str, grenzen: Grenzen | None = None) -> Tabel:
    """A CSV file within the ceilings of an upload (or the given ones); see regioaanpak.tabellen."""
    return lees_csv(inhoud, grenzen or Grenzen.upload())


def _figuren(tabel: Tabel) -> tuple[list[dict[str, str]], list[ImportFout]]:
    if tabel.fouten and not tabel.kop:
        return [], tabel.fouten
    kopfouten = _controleer_kop([k for k in tabel.kop if k])
    if kopfouten:
        return [], kopfouten
    return tabel.als_dicts(), tabel.fouten


def waarnemingen_lees_csv(
    inhoud: bytes | str, grenzen: Grenzen | None = None
) -> tuple[list[dict[str, str]], list[ImportFout]]:
    """Parse a CSV file into rows keyed by lower-case column name.

    Accepts UTF-8 with or without BOM (Excel) and comma, semicolon or tab as separator.
    Returns the rows (each with its line number under '__regel__') and the errors of reading.
    Without `grenzen` the ceilings of a bulk import apply.
    """
    return _figuren(lees_csv(inhoud, grenzen or Grenzen.import_()))


def waarnemingen_lees_excel(
    inhoud: bytes, grenzen: Grenzen | None = None
) -> tuple[list[dict[str, str]], list[ImportFout]]:
    """Read the first sheet of an Excel workbook (.xlsx) into the same rows as a CSV file.

    The header is row 1; line numbers in messages are Excel's row numbers.
    """
    return _figuren(lees_xlsx(inhoud, grenzen or Grenzen.import_()))


def waarnemingen_lees_bestand(
    inhoud: bytes, bestandsnaam: str, grenzen: Grenzen | None = None
) -> tuple[list[dict[str, str]], list[ImportFout]]:
    """Read an uploaded CSV or Excel (.xlsx) file into rows for `waarnemingen_importeer`."""
    return _figuren(lees_bestand(inhoud, bestandsnaam, grenzen or Grenzen.import_()))


def _controleer_kop(kop: list[str]) -> list[ImportFout]:
    """Errors in the header row: missing, unknown or repeated columns (linear in the header)."""

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
    for kolom in dict.fromkeys(kop):
        if kolom not in toegestaan:
            fouten.append(
                ImportFout(
                    1,
                    kolom,
                    _("onbekende kolom; toegestaan zijn %(kolommen)s.")
                    % {"kolommen": ", ".join(VERPLICHTE_KOLOMMEN + OPTIONELE_KOLOMMEN)},
                )
            )
    for kolom in dubbele_kolommen(kop):
        fouten.append(ImportFout(1, kolom, _("deze kolom staat er meer dan eens in.")))
    return fouten


def lees_decimaal(tekst: str) -> Decimal:
    """Read a number written the Dutch or the English way: 1234,5 / 1.234,5 / 1234.5."""
    schoon = tekst.strip().replace(" ", "").replace("\u00a0", "")
    if len(schoon) > MAX_GETAL_TEKENS:
        raise InvalidOperation(tekst)
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
    # '1E+999999999' is a finite Decimal whose digits would fill the memory when written out.
    if not waarde.is_finite() or (waarde and abs(waarde.adjusted()) > MAX_EXPONENT):
        raise InvalidOperation(tekst)
    return waarde


def zelfde_waarde(a: Decimal | None, b: Decimal | None) -> bool:
    if a is None or b is None:
        return a is b
    return a == b
