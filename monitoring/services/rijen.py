"""Checking one imported row: its indicator, area, period, value and source, against the
catalogue, the page's region, period and organisation, and the yearly indicators."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from monitoring.choices import Frequentie, WaarnemingStatus, is_cbs_bron
from monitoring.models import Indicator
from monitoring.selectors.organisaties import aanleververdeling
from monitoring.services.bestanden import (
    MAX_CIJFERS_VOOR_KOMMA,
    MAX_DECIMALEN,
    STATUS_ALIASSEN,
    ImportFout,
    ImportRij,
    lees_decimaal,
)
from regioaanpak.models import Gemeente, Lidmaatschap, Regio
from regioaanpak.perioden import JAAR, OngeldigePeriode, PeriodeCode
from regioaanpak.validators import CBS_GEMEENTECODE_REGEX


class RijContext:
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


# How many distinct periods and values `RijContext` remembers while checking rows.
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


def controleer_rij(rij: Mapping[str, str], ctx: RijContext) -> tuple[ImportRij, list[ImportFout]]:
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
    fout, gebied, gemeente, periode, indicator, ctx: RijContext
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
