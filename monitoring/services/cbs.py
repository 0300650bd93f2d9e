"""CBS StatLine tables in: a saved OData response (v3 or v4) or a CSV download is read, its
measures, areas and periods are mapped to ours, and the rows go through the one import service
(all or nothing, Dutch row messages, locks, part-whole rules, audit).

The shapes read (CBS publishes them; the samples in tests/monitoring/cbs follow them):

- OData v3, as `cbsodata.download_data` returns and saves it: one list per entity set,
  `TypedDataSet` or `UntypedDataSet` (a row per area and period, a column per measure),
  `DataProperties` (Key, Title, Type: the measures are the Topics) and `Perioden` (Key, Title,
  Status "Voorlopig" or a title ending in '*'). A set may also be an OData page
  ({"value": [...]}) or a list of pages. Keys are padded with spaces ('GM0363  ').
- OData v4: `Observations` in long form (Measure, Value, ValueAttribute, RegioS, Perioden),
  `MeasureCodes` (Identifier, Title) and `PeriodenCodes` (Identifier, Title, Status).
- CSV: a header with RegioS, Perioden and a column per measure key, separated by ';' or ','.
  A provisional period carries CBS's '*' after its key.

Values: a number; '.' (or ValueAttribute Confidential) is secret; '-' is CBS's nihil (0); an
empty cell (null in the typed set) is no figure and is skipped.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils.translation import gettext as _

from monitoring.choices import CBS_BRON_BEGIN, WaarnemingStatus
from monitoring.models import CbsKoppeling, Waarneming
from monitoring.services.bestanden import Actie, ImportFout, ImportResultaat
from monitoring.services.importeren import waarnemingen_importeer
from regioaanpak.models import Gemeente, Regio

TABEL_REGEX = re.compile(r"^[0-9]{5}[A-Z]{3}$")
V3_SETS = ("TypedDataSet", "UntypedDataSet")
GEHEIM_TEKENS = {".", "x"}  # CBS: '.' unknown or secret, 'x' secret
NIHIL = "-"
# Area classifications of StatLine that the monitor does not keep (provinces, parts of the
# country, COROP, neighbourhoods ...): skipped and counted, never an error.
ANDERE_INDELINGEN = re.compile(r"^(PV|LD|CR|WK|BU|GG|JZ|RE|AM|VR|ZW)\d")


class CbsFout(Exception):
    """The table cannot be read or mapped at all; the message is Dutch."""


@dataclass
class CbsCel:
    regel: int  # the n-th row or observation in the file, 1-based: named in messages
    gebied: str
    periode: str
    meting: str
    waarde: object
    attribuut: str = ""


@dataclass
class CbsTabel:
    vorm: str
    metingen: dict[str, str]  # measure key -> title (empty for CSV: it has no titles)
    voorlopig: set[str]
    cellen: list[CbsCel]


@dataclass
class CbsImport:
    tabel: str
    vorm: str
    resultaat: ImportResultaat
    overgeslagen: Counter = field(default_factory=Counter)
    wijzigingen: list[str] = field(default_factory=list)


# -- reading --------------------------------------------------------------------------------
def _lijst(waarde) -> list:
    """An entity set as a list of rows: a list, an OData page, or a list of pages."""
    if isinstance(waarde, dict):
        return list(waarde.get("value", []))
    if (
        isinstance(waarde, list)
        and waarde
        and all(isinstance(p, dict) and "value" in p for p in waarde)
    ):
        return [rij for pagina in waarde for rij in pagina["value"]]
    return list(waarde or [])


def _voorlopig(titel: str, status: str) -> bool:
    return status.strip().lower() == "voorlopig" or titel.rstrip().endswith("*")


def lees_odata(data: dict) -> CbsTabel:
    """A saved OData response (v3 or v4) as CbsTabel."""
    if not isinstance(data, dict):
        raise CbsFout(_("Het bestand is geen OData-antwoord van CBS (verwacht een JSON-object)."))
    if "Observations" in data:
        return _lees_v4(data)
    if any(s in data for s in V3_SETS):
        return _lees_v3(data)
    raise CbsFout(
        _(
            "Het bestand bevat geen cijfers van CBS: verwacht TypedDataSet of UntypedDataSet "
            "(OData v3) of Observations (OData v4)."
        )
    )


def _lees_v3(data: dict) -> CbsTabel:
    rijen = _lijst(data.get("TypedDataSet", data.get("UntypedDataSet")))
    eigenschappen = _lijst(data.get("DataProperties"))
    metingen = {
        str(e["Key"]).strip(): str(e.get("Title", "")).strip()
        for e in eigenschappen
        if e.get("Type") == "Topic" and e.get("Key")
    }
    if not metingen:
        raise CbsFout(_("DataProperties ontbreekt of noemt geen onderwerpen (Type Topic)."))
    voorlopig = {
        str(p["Key"]).strip()
        for p in _lijst(data.get("Perioden"))
        if _voorlopig(str(p.get("Title", "")), str(p.get("Status", "")))
    }
    cellen = []
    for n, rij in enumerate(rijen, start=1):
        for meting in metingen:
            if meting in rij:
                cellen.append(
                    CbsCel(
                        n,
                        str(rij.get("RegioS", "")),
                        str(rij.get("Perioden", "")),
                        meting,
                        rij[meting],
                    )
                )
    return CbsTabel("OData v3", metingen, voorlopig, cellen)


def _lees_v4(data: dict) -> CbsTabel:
    metingen = {
        str(m["Identifier"]).strip(): str(m.get("Title", "")).strip()
        for m in _lijst(data.get("MeasureCodes"))
        if m.get("Identifier")
    }
    voorlopig = {
        str(p["Identifier"]).strip()
        for p in _lijst(data.get("PeriodenCodes"))
        if _voorlopig(str(p.get("Title", "")), str(p.get("Status", "")))
    }
    cellen = [
        CbsCel(
            n,
            str(o.get("RegioS", "")),
            str(o.get("Perioden", "")),
            str(o.get("Measure", "")).strip(),
            o.get("Value"),
            str(o.get("ValueAttribute") or ""),
        )
        for n, o in enumerate(_lijst(data["Observations"]), start=1)
    ]
    for cel in cellen:
        metingen.setdefault(cel.meting, "")
    return CbsTabel("OData v4", metingen, voorlopig, cellen)


def lees_csv(tekst: str) -> CbsTabel:
    """A CSV download: RegioS, Perioden and a column per measure key."""
    eerste = tekst.split("\n", 1)[0]
    lezer = csv.DictReader(io.StringIO(tekst), delimiter=";" if ";" in eerste else ",")
    kolommen = [k.strip() for k in (lezer.fieldnames or [])]
    for nodig in ("RegioS", "Perioden"):
        if nodig not in kolommen:
            raise CbsFout(
                _("De kolom %(kolom)s ontbreekt in de CSV van CBS (kolommen: %(kolommen)s).")
                % {"kolom": nodig, "kolommen": ", ".join(kolommen) or "-"}
            )
    metingen = {k: "" for k in kolommen if k not in ("ID", "RegioS", "Perioden")}
    voorlopig: set[str] = set()
    cellen = []
    for n, rij in enumerate(lezer, start=2):  # line 1 is the header
        rij = {(k or "").strip(): v for k, v in rij.items()}
        periode = (rij.get("Perioden") or "").strip()
        if periode.endswith("*"):
            periode = periode[:-1].strip()
            voorlopig.add(periode)
        for meting in metingen:
            cellen.append(CbsCel(n, rij.get("RegioS") or "", periode, meting, rij.get(meting)))
    return CbsTabel("CSV", metingen, voorlopig, cellen)


def lees_bestand(pad: Path) -> CbsTabel:
    """A saved table: a JSON file (v3 or v4), a CSV file, or the folder that
    `cbsodata.download_data(tabel, dir=...)` writes (one JSON file per entity set)."""
    if pad.is_dir():
        data = {}
        for bestand in sorted(pad.glob("*.json")):
            data[bestand.stem] = _json(bestand.read_text(encoding="utf-8"), bestand.name)
        return lees_odata(data)
    tekst = pad.read_text(encoding="utf-8-sig")
    if pad.suffix.lower() == ".csv":
        return lees_csv(tekst)
    return lees_odata(_json(tekst, pad.name))


def _json(tekst: str, naam: str):
    try:
        return json.loads(tekst, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise CbsFout(
            _("%(naam)s is geen geldige JSON (regel %(regel)s): %(fout)s")
            % {"naam": naam, "regel": exc.lineno, "fout": exc.msg}
        ) from exc


def lees_online(tabel: str) -> CbsTabel:
    """The table from CBS's OData v3 service through cbsodata (raw keys, not titles).

    cbsodata 1.3.5 swaps its `typed` flag (typed=True fetches the UntypedDataSet); the reader
    takes either set. The untyped set carries CBS's '.' for a secret value."""
    import cbsodata

    try:
        return lees_odata(cbsodata.download_data(tabel, typed=True))
    except CbsFout:
        raise
    except Exception as exc:  # requests' errors: no route to CBS, a 404 for an unknown table
        raise CbsFout(
            _(
                "CBS StatLine is niet bereikbaar of kent tabel %(tabel)s niet (%(fout)s). "
                "Download de tabel op een machine met internet en lees haar in met --bestand."
            )
            % {"tabel": tabel, "fout": exc.__class__.__name__}
        ) from exc


# -- mapping to our indicators, areas and periods -------------------------------------------
def _waarde(cel: CbsCel) -> tuple[str | None, bool]:
    """(value as the import reads it, secret); value None: no figure in this cell."""
    if cel.attribuut.strip().lower() == "confidential":
        return "", True
    waarde = cel.waarde
    if waarde is None:
        return None, False
    if isinstance(waarde, bool):
        raise ValueError(str(waarde))
    if isinstance(waarde, int | Decimal | float):
        getal = Decimal(str(waarde))
    else:
        tekst = str(waarde).strip()
        if not tekst:
            return None, False
        if tekst in GEHEIM_TEKENS:
            return "", True
        if tekst == NIHIL:
            return "0", False
        try:
            getal = Decimal(tekst)
        except InvalidOperation as exc:
            raise ValueError(tekst) from exc
    # A decimal comma: the import refuses '1.234' as ambiguous (Dutch or English?).
    return f"{getal.normalize():f}".replace(".", ","), False


def cbs_rijen(tabel: str, cbs: CbsTabel) -> tuple[list[dict], list[ImportFout], Counter]:
    """The import rows of a CBS table, the errors of mapping it, and what was skipped."""
    koppelingen = {k.meting: k for k in CbsKoppeling.objects.filter(tabel=tabel)}
    if not koppelingen:
        raise CbsFout(
            _(
                "Voor tabel %(tabel)s zijn geen CBS-koppelingen vastgelegd; leg in het beheer "
                "(CBS-koppelingen) vast welk onderwerp welke indicator vult."
            )
            % {"tabel": tabel}
        )
    fouten: list[ImportFout] = []
    for meting, titel in cbs.metingen.items():
        koppeling = koppelingen.get(meting)
        if koppeling is None:
            fouten.append(
                ImportFout(
                    1,
                    "onderwerp",
                    _(
                        "onderwerp '%(meting)s'%(titel)s van %(tabel)s staat niet in de "
                        "CBS-koppelingen; koppel het in het beheer aan een indicator, of leg "
                        "vast dat het niet wordt ingelezen."
                    )
                    % {"meting": meting, "titel": f" ({titel})" if titel else "", "tabel": tabel},
                )
            )
        elif titel and titel != koppeling.titel:
            fouten.append(
                ImportFout(
                    1,
                    "onderwerp",
                    _(
                        "onderwerp '%(meting)s' heet bij CBS nu '%(nieuw)s', in de koppeling "
                        "'%(oud)s'; controleer of het nog %(indicator)s is en pas de koppeling "
                        "aan."
                    )
                    % {
                        "meting": meting,
                        "nieuw": titel,
                        "oud": koppeling.titel,
                        "indicator": koppeling.indicator_id or _("niet inlezen"),
                    },
                )
            )
    if fouten:
        return [], fouten, Counter()

    gemeenten = set(Gemeente.objects.values_list("cbs_code", flat=True))
    regios = dict(Regio.objects.exclude(cbs_code="").values_list("cbs_code", "code"))
    bron = f"CBS StatLine {tabel}"
    overgeslagen: Counter = Counter()
    rijen: list[dict] = []
    for cel in cbs.cellen:
        koppeling = koppelingen[cel.meting]
        if koppeling.indicator_id is None:
            continue
        sleutel = cel.gebied.strip().upper()
        if sleutel in gemeenten:
            gebied = sleutel
        elif sleutel in regios:
            gebied = regios[sleutel]
        elif ANDERE_INDELINGEN.match(sleutel):
            overgeslagen[
                _("gebieden van een andere indeling (%(soort)s)") % {"soort": sleutel[:2]}
            ] += 1
            continue
        else:
            gebied = sleutel  # the import names it: unknown municipality or region
        periode = cel.periode.strip()
        if re.match(r"^\d{4}MM\d{2}$", periode):
            overgeslagen[_("maandcijfers")] += 1
            continue
        try:
            waarde, geheim = _waarde(cel)
        except ValueError as exc:
            fouten.append(
                ImportFout(
                    cel.regel,
                    cel.meting,
                    _("'%(waarde)s' is geen getal en geen CBS-teken ('.' geheim, '-' nihil).")
                    % {"waarde": exc.args[0]},
                )
            )
            continue
        if waarde is None:
            overgeslagen[_("lege cellen")] += 1
            continue
        if geheim:
            status = WaarnemingStatus.GEHEIM
        elif periode in cbs.voorlopig:
            status = WaarnemingStatus.VOORLOPIG
        else:
            status = WaarnemingStatus.DEFINITIEF
        rijen.append(
            {
                "indicator": koppeling.indicator_id,
                "gebied": gebied,
                "periode": periode,
                "waarde": waarde,
                "status": status,
                "bron": bron,
                "__regel__": str(cel.regel),
            }
        )
    return _zonder_eigen_cijfers(rijen, overgeslagen), fouten, overgeslagen


def _zonder_eigen_cijfers(rijen: list[dict], overgeslagen: Counter) -> list[dict]:
    """The rows without those where the region delivered a figure of its own: own figures go
    before CBS's (Bronkeuze.VOORRANG), so CBS never overwrites them; skipped and counted."""
    if not rijen:
        return rijen
    eigen = {
        (indicator, gemeente or regio, periode)
        for indicator, gemeente, regio, periode in Waarneming.objects.ongefilterd(
            "CBS-import: eigen cijfers gaan voor"
        )
        .filter(
            indicator_id__in={r["indicator"] for r in rijen},
            periode_id__in={r["periode"] for r in rijen},
        )
        .exclude(bron__startswith=CBS_BRON_BEGIN)
        .values_list("indicator_id", "gemeente_id", "regio_id", "periode_id")
    }
    if not eigen:
        return rijen
    over = [r for r in rijen if (r["indicator"], r["gebied"], r["periode"]) not in eigen]
    if len(over) < len(rijen):
        overgeslagen[_("cijfers met een eigen aanlevering (eigen cijfers gaan voor)")] += len(
            rijen
        ) - len(over)
    return over


def cbs_importeer(tabel: str, cbs: CbsTabel, *, dry_run: bool = False) -> CbsImport:
    """Map and import a CBS table: every figure or none. A second run of the same release
    changes nothing; a newer release updates (provisional) figures and lists them."""
    if not TABEL_REGEX.match(tabel):
        raise CbsFout(
            _("'%(tabel)s' is geen CBS-tabelnummer (vijf cijfers en drie letters, zoals 84847NED).")
            % {"tabel": tabel}
        )
    rijen, fouten, overgeslagen = cbs_rijen(tabel, cbs)
    if fouten:
        if rijen:  # check the readable rows too, so one answer names every wrong row
            fouten += waarnemingen_importeer(rijen=rijen, dry_run=True, cbs=True).fouten
        fouten.sort(key=lambda f: f.regel)
        resultaat = ImportResultaat()
        resultaat.fouten = fouten
        return CbsImport(tabel, cbs.vorm, resultaat, overgeslagen)
    resultaat = waarnemingen_importeer(
        rijen=rijen, dry_run=dry_run, omschrijving=f"CBS StatLine {tabel}", cbs=True
    )
    wijzigingen = [
        f"{r.gebied} {r.periode} {r.indicator}: {_getal(r.vorige_waarde)} "
        f"({r.vorige_status}) -> {_getal(r.waarde)} ({r.status})"
        for r in resultaat.rijen
        if r.actie == Actie.GEWIJZIGD
    ]
    return CbsImport(tabel, cbs.vorm, resultaat, overgeslagen, wijzigingen)


def _getal(waarde: Decimal | None) -> str:
    return "." if waarde is None else f"{waarde.normalize():f}"
