"""Writes of figures. The CSV import, the web upload and the API push all go through here."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring.choices import WaarnemingStatus
from monitoring.models import Indicator, Waarneming
from regioaanpak.models import Gemeente, Periode, Regio
from regioaanpak.perioden import OngeldigePeriode, PeriodeCode
from regioaanpak.validators import CBS_GEMEENTECODE_REGEX

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
        return not self.fouten

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
    """Everything the row checks need, read in a fixed number of queries."""

    def __init__(self, rijen: list[Mapping[str, str]]) -> None:
        self.indicatoren = {i.code: i for i in Indicator.objects.select_related("teller")}
        codes = {(r.get("gebied") or "").strip().upper() for r in rijen}
        self.gemeenten = {
            g.cbs_code: g
            for g in Gemeente.objects.filter(cbs_code__in=codes).select_related("opgevolgd_door")
        }
        self.regios = {r.code: r for r in Regio.objects.filter(code__in=codes)}


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

    status_tekst = (rij.get("status") or "").strip().lower()
    waarde_tekst = (rij.get("waarde") or "").strip()
    if waarde_tekst == ".":
        status_tekst = status_tekst or "geheim"
    status = STATUS_ALIASSEN.get(status_tekst)
    if status is None:
        fout(
            "status",
            _("'%(status)s' is geen bekende status; kies definitief, voorlopig of geheim.")
            % {"status": rij.get("status")},
        )
    else:
        resultaat.status = status

    if waarde_tekst in ("", "."):
        if status != WaarnemingStatus.GEHEIM:
            fout("waarde", _("de waarde ontbreekt (alleen een geheime waarde mag leeg zijn)."))
    else:
        try:
            waarde = lees_decimaal(waarde_tekst)
        except (InvalidOperation, ValueError):
            fout("waarde", _("'%(waarde)s' is geen getal.") % {"waarde": waarde_tekst})
        else:
            exponent = waarde.as_tuple().exponent
            if isinstance(exponent, int) and -exponent > MAX_DECIMALEN:
                fout(
                    "waarde",
                    _("%(waarde)s heeft meer dan %(max)s decimalen.")
                    % {"waarde": waarde_tekst, "max": MAX_DECIMALEN},
                )
            elif abs(waarde) >= Decimal(10) ** MAX_CIJFERS_VOOR_KOMMA:
                fout("waarde", _("%(waarde)s is te groot.") % {"waarde": waarde_tekst})
            elif indicator is not None and not indicator.is_afgeleid:
                reden = indicator.waarde_fout(waarde)
                if reden:
                    fout("waarde", reden)
            resultaat.waarde = waarde

    if "bron" in rij:
        resultaat.bron = (rij.get("bron") or "").strip()[:200]
    if "toelichting" in rij:
        resultaat.toelichting = (rij.get("toelichting") or "").strip()
    return resultaat, fouten


def waarnemingen_importeer(
    *, rijen: Iterable[Mapping[str, str]], dry_run: bool = False, gebruiker=None
) -> ImportResultaat:
    """Check all rows and save them all, or save nothing when any row is wrong.

    Rows are mappings with the columns indicator, gebied, periode, waarde and optional status,
    bron and toelichting, plus '__regel__' (the line number used in messages).
    """
    rijen = list(rijen)
    resultaat = ImportResultaat()
    ctx = _Context(rijen)
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
    bestaand = _bestaande_waarnemingen(goede, ctx)
    foutregels = {f.regel for f in resultaat.fouten}
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

    if resultaat.fouten or dry_run:
        return resultaat
    with transaction.atomic():
        _sla_op(resultaat.rijen, bestaand, ctx)
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
) -> None:
    periode_codes = {r.periode for r in rijen}
    aanwezig = set(Periode.objects.filter(code__in=periode_codes).values_list("code", flat=True))
    Periode.objects.bulk_create(
        [Periode.uit_code(code) for code in sorted(periode_codes - aanwezig)],
        ignore_conflicts=True,
    )
    nu = timezone.now()
    nieuw, gewijzigd = [], []
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
            waarneming.waarde = rij.waarde
            waarneming.status = rij.status
            if rij.bron is not None:
                waarneming.bron = rij.bron
            if rij.toelichting is not None:
                waarneming.toelichting = rij.toelichting
            waarneming.gewijzigd_op = nu
            gewijzigd.append(waarneming)
    Waarneming.objects.bulk_create(nieuw, batch_size=2000)
    Waarneming.objects.bulk_update(
        gewijzigd, ["waarde", "status", "bron", "toelichting", "gewijzigd_op"], batch_size=2000
    )
