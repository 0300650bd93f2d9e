"""Importing a region's risk factors: all rows or none, with a Dutch message per bad row.

Columns: gemeente (CBS code), factor, waarde (empty: missing), richting (1 or -1), and optional
bron and peiljaar (empty: the current year). Separator comma, semicolon or tab; decimal comma
or point. An existing value for the same municipality, factor and year is replaced.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from monitoring.models import Risicofactorwaarde
from monitoring.services.bestanden import ImportFout, csv_openen, lees_decimaal
from regioaanpak.models import Gemeente, Lidmaatschap, Regio
from regioaanpak.services import audit_schrijf
from regioaanpak.tabellen import Grenzen, dubbele_kolommen

VERPLICHT = ("gemeente", "factor", "waarde", "richting")
MAX_FACTORNAAM = Risicofactorwaarde._meta.get_field("factor").max_length
OPTIONEEL = ("bron", "peiljaar")


@dataclass
class Factorregel:
    regel: int
    gemeente: str
    naam: str
    factor: str
    peiljaar: int
    waarde: Decimal | None
    richting: int
    bron: str
    actie: str = "nieuw"  # nieuw, gewijzigd, ongewijzigd


@dataclass
class FactorImport:
    regels: list[Factorregel] = field(default_factory=list)
    fouten: list[ImportFout] = field(default_factory=list)
    opgeslagen: bool = False

    @property
    def geldig(self) -> bool:
        return not self.fouten

    def tel(self, actie: str) -> int:
        return sum(1 for r in self.regels if r.actie == actie)

    def samenvatting(self) -> str:
        return _("%(n)s nieuw, %(g)s gewijzigd, %(o)s ongewijzigd") % {
            "n": self.tel("nieuw"),
            "g": self.tel("gewijzigd"),
            "o": self.tel("ongewijzigd"),
        }


def _rijen(inhoud: bytes | str) -> tuple[list[dict], list[ImportFout]]:
    tabel = csv_openen(inhoud, Grenzen.risico())
    if tabel.fouten and not tabel.kop:
        return [], tabel.fouten
    kop = tabel.kop
    ontbrekend = [k for k in VERPLICHT if k not in kop]
    onbekend = [k for k in dict.fromkeys(kop) if k not in VERPLICHT + OPTIONEEL]
    fouten = []
    if ontbrekend:
        fouten.append(
            ImportFout(
                1,
                None,
                _("De kolom(men) %(k)s ontbreken; verplicht zijn %(v)s.")
                % {"k": ", ".join(ontbrekend), "v": ", ".join(VERPLICHT)},
            )
        )
    for kolom in onbekend:
        fouten.append(
            ImportFout(
                1,
                kolom,
                _("onbekende kolom; toegestaan zijn %(v)s.")
                % {"v": ", ".join(VERPLICHT + OPTIONEEL)},
            )
        )
    for kolom in dubbele_kolommen(kop):
        fouten.append(ImportFout(1, kolom, _("deze kolom staat er meer dan eens in.")))
    if fouten:
        return [], fouten
    rijen = [
        {k: v.strip() for k, v in rij.items() if k != "__regel__"} | {"__regel__": rij["__regel__"]}
        for rij in tabel.als_dicts()
    ]
    fouten = list(tabel.fouten)
    if not rijen and not fouten:
        fouten.append(ImportFout(1, None, _("Het bestand bevat geen regels onder de kop.")))
    return rijen, fouten


def risicofactoren_controleer(*, regio: Regio, inhoud: bytes | str) -> FactorImport:
    """Read and check a file of risk factors for the region; saves nothing."""
    resultaat = FactorImport()
    rijen, resultaat.fouten = _rijen(inhoud)
    if resultaat.fouten:
        return resultaat
    codes = {r.get("gemeente", "").upper() for r in rijen}
    gemeenten = {g.cbs_code: g for g in Gemeente.objects.filter(cbs_code__in=codes)}
    leden = set(
        Lidmaatschap.objects.filter(regio=regio, gemeente__in=codes).values_list(
            "gemeente_id", flat=True
        )
    )
    bestaand = {
        (w.gemeente_id, w.factor, w.peiljaar): w
        for w in Risicofactorwaarde.objects.filter(regio=regio, gemeente__in=codes)
    }
    richtingen: dict[str, tuple[int, int]] = {}
    gezien: dict[tuple[str, str, int], int] = {}
    jaar_nu = dt.date.today().year
    for rij in rijen:
        regel = rij["__regel__"]
        if len(resultaat.fouten) >= settings.INVOER_MAX_FOUTEN:
            resultaat.fouten.append(
                ImportFout(
                    regel,
                    None,
                    _("meer dan %(max)s fouten; het lezen is hier gestopt. Verbeter eerst deze.")
                    % {"max": settings.INVOER_MAX_FOUTEN},
                )
            )
            break

        def fout(kolom, reden, regel=regel):
            resultaat.fouten.append(ImportFout(regel, kolom, reden))

        aantal = len(resultaat.fouten)
        code = rij.get("gemeente", "").upper()
        gemeente = gemeenten.get(code)
        if not code:
            fout("gemeente", _("de gemeente ontbreekt (een CBS-code zoals GM0599)."))
        elif gemeente is None:
            fout("gemeente", _("'%(c)s' is geen bekende gemeente.") % {"c": code})
        elif code not in leden:
            fout(
                "gemeente",
                _("%(naam)s (%(c)s) hoort niet bij %(regio)s.")
                % {"naam": gemeente.naam, "c": code, "regio": regio.naam},
            )
        factor = rij.get("factor", "").strip()
        if not factor:
            fout("factor", _("de naam van de risicofactor ontbreekt."))
        elif len(factor) > MAX_FACTORNAAM:
            fout(
                "factor",
                _("de naam van de risicofactor is langer dan %(max)s tekens.")
                % {"max": MAX_FACTORNAAM},
            )
        elif len(factor) > 200:
            fout("factor", _("de naam van de risicofactor is langer dan 200 tekens."))
        waarde = None
        tekst = rij.get("waarde", "")
        if tekst:
            try:
                waarde = lees_decimaal(tekst)
            except (InvalidOperation, ValueError):
                fout("waarde", _("'%(w)s' is geen getal.") % {"w": tekst})
            else:
                if abs(waarde) >= Decimal(10) ** 14 or -waarde.as_tuple().exponent > 4:
                    fout(
                        "waarde",
                        _("'%(w)s' heeft te veel cijfers (hoogstens 4 decimalen).") % {"w": tekst},
                    )
        richting_tekst = rij.get("richting", "").replace("+", "")
        richting = {"1": 1, "-1": -1}.get(richting_tekst)
        if richting is None:
            fout(
                "richting",
                _(
                    "'%(r)s' is geen richting; gebruik 1 (hoger is meer risico) of -1 (lager is "
                    "meer risico, zoals de WOZ-waarde)."
                )
                % {"r": rij.get("richting", "")},
            )
        elif factor in richtingen and richtingen[factor][0] != richting:
            fout(
                "richting",
                _("%(f)s heeft op regel %(r)s de richting %(a)s; één factor heeft één richting.")
                % {"f": factor, "r": richtingen[factor][1], "a": richtingen[factor][0]},
            )
        elif factor:
            richtingen.setdefault(factor, (richting, regel))
        peiljaar = jaar_nu
        jaar_tekst = rij.get("peiljaar", "")
        if jaar_tekst:
            if not jaar_tekst.isdigit() or not 1900 <= int(jaar_tekst) <= jaar_nu:
                fout(
                    "peiljaar",
                    _("'%(j)s' is geen peiljaar (een jaar van 1900 tot en met %(nu)s).")
                    % {"j": jaar_tekst, "nu": jaar_nu},
                )
            else:
                peiljaar = int(jaar_tekst)
        if len(resultaat.fouten) > aantal:
            continue
        sleutel = (code, factor, peiljaar)
        if sleutel in gezien:
            fout(
                None,
                _("%(f)s van %(g)s in %(j)s staat al op regel %(r)s.")
                % {"f": factor, "g": gemeente.naam, "j": peiljaar, "r": gezien[sleutel]},
            )
            continue
        gezien[sleutel] = regel
        regelobj = Factorregel(
            regel,
            code,
            gemeente.naam,
            factor,
            peiljaar,
            waarde,
            richting,
            rij.get("bron", "")[:100],
        )
        oud = bestaand.get(sleutel)
        if oud is not None:
            gelijk = (oud.waarde, oud.richting, oud.bron) == (waarde, richting, regelobj.bron)
            regelobj.actie = "ongewijzigd" if gelijk else "gewijzigd"
        resultaat.regels.append(regelobj)
    return resultaat


@transaction.atomic
def risicofactoren_importeer(*, regio: Regio, inhoud: bytes | str, gebruiker=None) -> FactorImport:
    """Check the file and save every row, or nothing when one row is wrong."""
    resultaat = risicofactoren_controleer(regio=regio, inhoud=inhoud)
    if not resultaat.geldig:
        return resultaat
    for regel in resultaat.regels:
        if regel.actie == "ongewijzigd":
            continue
        Risicofactorwaarde.objects.update_or_create(
            regio=regio,
            gemeente_id=regel.gemeente,
            factor=regel.factor,
            peiljaar=regel.peiljaar,
            defaults={"waarde": regel.waarde, "richting": regel.richting, "bron": regel.bron},
        )
    audit_schrijf(
        gebruiker=gebruiker,
        obj=regio,
        regio=regio,
        actie="gewijzigd",
        voor=None,
        na={"risicofactoren": resultaat.samenvatting()},
        omschrijving=_("Risicofactoren geïmporteerd: %(s)s") % {"s": resultaat.samenvatting()},
    )
    resultaat.opgeslagen = True
    return resultaat


def meldingen_lezen(inhoud: bytes | str, profiel) -> tuple[dict[str, Decimal], list[ImportFout]]:
    """An analyst's own table of meldingen per 1.000 (columns gemeente, meldingen_per_1000)."""
    tabel = csv_openen(inhoud, Grenzen.risico())
    if tabel.fouten and not tabel.kop:
        return {}, tabel.fouten
    if not {"gemeente", "meldingen_per_1000"} <= set(tabel.kop):
        return {}, [
            ImportFout(1, None, _("De kolommen gemeente en meldingen_per_1000 zijn verplicht."))
        ]
    eigen = {code for code, _naam in profiel.gemeenten}
    waarden: dict[str, Decimal] = {}
    fouten = list(tabel.fouten)
    for ruwe_rij in tabel.als_dicts():
        regel = ruwe_rij["__regel__"]
        rij = {k: v.strip() for k, v in ruwe_rij.items() if k != "__regel__"}
        code = rij["gemeente"].upper()
        if code not in eigen:
            fouten.append(
                ImportFout(
                    regel,
                    "gemeente",
                    _("'%(c)s' is geen gemeente van het risicoprofiel van %(r)s.")
                    % {"c": code, "r": profiel.regio.naam},
                )
            )
            continue
        try:
            waarde = lees_decimaal(rij["meldingen_per_1000"])
        except (InvalidOperation, ValueError):
            fouten.append(
                ImportFout(
                    regel,
                    "meldingen_per_1000",
                    _("'%(w)s' is geen getal.") % {"w": rij["meldingen_per_1000"]},
                )
            )
            continue
        if waarde < 0:
            fouten.append(
                ImportFout(regel, "meldingen_per_1000", _("%(w)s is negatief.") % {"w": waarde})
            )
            continue
        waarden[code] = waarde
    return waarden, fouten
