"""The query options of the OData feed ($filter, $orderby, $select, $top, $skip, $count), checked
before any work and translated to the ORM.

`$filter` is parsed by odata-query (a maintained OData v4 grammar); its syntax tree is translated
here over a whitelist: comparisons of a property with a literal, `in`, and/or/not, and the
text functions contains, startswith and endswith. Everything else (arithmetic, other functions,
lambdas, navigation) is refused with a Dutch OData error naming what was asked. A property
whose value the viewer policy may round or suppress (`beschermd`) can be filtered and sorted on
only by a viewer who sees every figure raw: `Waarde lt 5` would otherwise tell which suppressed
figure is 1 and which is 4.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import Q
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from odata_query import ast
from odata_query.exceptions import ODataException
from odata_query.grammar import ODataLexer, ODataParser

MAX_FILTER = 2000  # characters of $filter
MAX_DIEPTE = 40  # nesting of $filter
MAX_SORTERING = 5  # properties in $orderby
MAX_GETAL = 10**12  # $top and $skip

GETAL_TYPES = {"Edm.Int64", "Edm.Int32", "Edm.Decimal"}
SYSTEEMOPTIES = {
    "$filter",
    "$select",
    "$orderby",
    "$top",
    "$skip",
    "$count",
    "$format",
    "$skiptoken",
}
NIET_ONDERSTEUND = {
    "$expand",
    "$search",
    "$apply",
    "$compute",
    "$levels",
    "$index",
    "$schemaversion",
}


class OdataFout(Exception):
    """A request the feed refuses: HTTP status, an OData error code and a Dutch message."""

    def __init__(self, bericht: str, *, status: int = 400, code: str = "OngeldigVerzoek") -> None:
        super().__init__(bericht)
        self.bericht = bericht
        self.status = status
        self.code = code


@dataclass(frozen=True)
class Eigenschap:
    """One property of an entity type: its OData name and type, and the ORM lookup it reads."""

    naam: str
    edm: str
    veld: str
    nullable: bool = True
    beschermd: bool = False
    omschrijving: str = ""


@dataclass(frozen=True)
class Opties:
    filter: Q | None
    sortering: tuple[tuple[str, bool], ...]  # (property, descending)
    selectie: tuple[str, ...]  # properties in the answer, in the type's order
    top: int | None
    skip: int
    tellen: bool
    skiptoken: str | None


def _naamlijst(eigenschappen: dict[str, Eigenschap]) -> str:
    return ", ".join(eigenschappen)


def lees_opties(
    parameters, eigenschappen: dict[str, Eigenschap], *, beschermd_zichtbaar: bool
) -> Opties:
    """The query options of a request (a QueryDict), checked; OdataFout on the first fault."""
    for naam in parameters:
        if naam.lower() in NIET_ONDERSTEUND:
            raise OdataFout(
                _("De optie %(optie)s wordt door deze feed niet ondersteund.") % {"optie": naam},
                status=501,
                code="NietOndersteund",
            )
        if naam.startswith("$") and naam not in SYSTEEMOPTIES:
            raise OdataFout(
                _("Onbekende optie %(optie)s; deze feed kent %(opties)s.")
                % {"optie": naam, "opties": ", ".join(sorted(SYSTEEMOPTIES - {"$skiptoken"}))}
            )
        if naam.startswith("$") and len(parameters.getlist(naam)) > 1:
            raise OdataFout(
                _("De optie %(optie)s staat meer dan eens in het adres.") % {"optie": naam}
            )
    formaat = parameters.get("$format")
    if formaat is not None and formaat.split(";")[0].strip().lower() not in {
        "json",
        "application/json",
    }:
        raise OdataFout(
            _("$format=%(formaat)s wordt niet ondersteund; deze feed levert JSON ($format=json).")
            % {"formaat": formaat[:40]},
            status=406 if formaat else 400,
            code="NietOndersteund",
        )
    tekst = parameters.get("$filter")
    return Opties(
        filter=None
        if tekst is None
        else filter_q(tekst, eigenschappen, beschermd_zichtbaar=beschermd_zichtbaar),
        sortering=_sortering(parameters.get("$orderby"), eigenschappen, beschermd_zichtbaar),
        selectie=_selectie(parameters.get("$select"), eigenschappen),
        top=_geheel(parameters, "$top"),
        skip=_geheel(parameters, "$skip") or 0,
        tellen=_waar_onwaar(parameters, "$count"),
        skiptoken=parameters.get("$skiptoken"),
    )


def _geheel(parameters, naam: str) -> int | None:
    tekst = parameters.get(naam)
    if tekst is None:
        return None
    tekst = tekst.strip()
    if not re.fullmatch(r"[0-9]{1,13}", tekst) or int(tekst) > MAX_GETAL:
        raise OdataFout(
            _("%(optie)s moet een geheel getal van 0 tot %(max)s zijn, niet '%(waarde)s'.")
            % {"optie": naam, "max": "1.000.000.000.000", "waarde": tekst[:40]}
        )
    return int(tekst)


def _waar_onwaar(parameters, naam: str) -> bool:
    tekst = parameters.get(naam)
    if tekst is None:
        return False
    if tekst.strip().lower() not in {"true", "false"}:
        raise OdataFout(
            _("%(optie)s is true of false, niet '%(waarde)s'.")
            % {"optie": naam, "waarde": tekst[:40]}
        )
    return tekst.strip().lower() == "true"


def _eigenschap(naam: str, eigenschappen: dict[str, Eigenschap], optie: str) -> Eigenschap:
    eigenschap = eigenschappen.get(naam)
    if eigenschap is None:
        raise OdataFout(
            _("Onbekende eigenschap '%(naam)s' in %(optie)s; bekend zijn: %(namen)s.")
            % {"naam": naam[:60], "optie": optie, "namen": _naamlijst(eigenschappen)}
        )
    if not eigenschap.veld and optie != "$select":
        raise OdataFout(
            _("Op %(naam)s kan niet gefilterd of gesorteerd worden (%(optie)s).")
            % {"naam": eigenschap.naam, "optie": optie}
        )
    return eigenschap


def _beschermd_weigeren(eigenschap: Eigenschap, optie: str, beschermd_zichtbaar: bool) -> None:
    if eigenschap.beschermd and not beschermd_zichtbaar:
        raise OdataFout(
            _(
                "Filteren of sorteren op %(naam)s (%(optie)s) kan alleen wie alle cijfers "
                "onafgerond ziet: anders zou de volgorde verraden wat afgerond of afgeschermd "
                "is. Filter op Indicator, Gebied of Periode, of haal alles op en filter zelf."
            )
            % {"naam": eigenschap.naam, "optie": optie},
            status=403,
            code="Afgeschermd",
        )


_SORTERING = re.compile(r"^\s*([A-Za-z][A-Za-z0-9_]*)(?:\s+(asc|desc))?\s*$", re.IGNORECASE)


def _sortering(tekst, eigenschappen, beschermd_zichtbaar) -> tuple[tuple[str, bool], ...]:
    if tekst is None or not tekst.strip():
        return ()
    delen = tekst.split(",")
    if len(delen) > MAX_SORTERING:
        raise OdataFout(
            _("$orderby kent ten hoogste %(max)s eigenschappen.") % {"max": MAX_SORTERING}
        )
    uitkomst = []
    for deel in delen:
        match = _SORTERING.match(deel)
        if match is None:
            raise OdataFout(
                _("$orderby '%(deel)s' is geen eigenschap met eventueel asc of desc.")
                % {"deel": deel.strip()[:60]}
            )
        eigenschap = _eigenschap(match.group(1), eigenschappen, "$orderby")
        _beschermd_weigeren(eigenschap, "$orderby", beschermd_zichtbaar)
        uitkomst.append((eigenschap.naam, (match.group(2) or "").lower() == "desc"))
    return tuple(uitkomst)


def _selectie(tekst, eigenschappen) -> tuple[str, ...]:
    if tekst is None or not tekst.strip() or tekst.strip() == "*":
        return tuple(eigenschappen)
    gevraagd = {_eigenschap(d.strip(), eigenschappen, "$select").naam for d in tekst.split(",")}
    return tuple(n for n in eigenschappen if n in gevraagd)


# -- $filter ----------------------------------------------------------------------------------
_OMGEKEERD = {ast.Lt: ast.Gt, ast.Gt: ast.Lt, ast.LtE: ast.GtE, ast.GtE: ast.LtE}
_LOOKUP = {ast.Eq: "exact", ast.Lt: "lt", ast.LtE: "lte", ast.Gt: "gt", ast.GtE: "gte"}
_FUNCTIES = {"contains": "contains", "startswith": "startswith", "endswith": "endswith"}


MAX_CIJFERS = 18  # digits of a number in $filter: Int64 and our decimals fit


def _getal(knoop, *, geheel: bool) -> int | Decimal | None:
    """A number literal within bounds, or None. Checked on its text first: turning 1e999999999
    into a Python int would take the worker minutes."""
    if geheel:
        tekst = str(knoop.val) if isinstance(knoop, ast.Integer) else ""
        if re.fullmatch(rf"-?[0-9]{{1,{MAX_CIJFERS}}}", tekst):
            return int(tekst)
        return None
    if not isinstance(knoop, ast.Integer | ast.Float):
        return None
    try:
        getal = Decimal(str(knoop.val))
    except InvalidOperation:
        return None
    if not getal.is_finite() or not -10 <= getal.adjusted() < MAX_CIJFERS:
        return None if getal != 0 else Decimal(0)
    return getal


def _moment(tekst: str) -> dt.datetime | None:
    """An ISO moment or date; None for an impossible one (30 February) or one out of range."""
    try:
        moment = parse_datetime(tekst)
        if moment is None:
            datum = parse_date(tekst)
            moment = None if datum is None else dt.datetime.combine(datum, dt.time(), dt.UTC)
        if moment is not None and moment.tzinfo is not None:
            moment.astimezone(dt.UTC)  # raises for a moment that falls outside the calendar
        return moment
    except (ValueError, OverflowError):
        return None


def _datum(tekst: str) -> dt.date | None:
    try:
        return parse_date(tekst)
    except ValueError:
        return None


def _parser() -> ODataParser:
    """odata-query's v4 parser, which also reads OData v3's substringof('KW', Perioden) (StatLine,
    cbsodata) as contains(Perioden, 'KW')."""
    parser = ODataParser()
    v4 = parser._function_call

    def functie(func, args):
        if func.full_name().lower() == "substringof" and len(args) == 2:
            return ast.Call(ast.Identifier("contains"), [args[1], args[0]])
        return v4(func, args)

    parser._function_call = functie
    return parser


def filter_q(tekst: str, eigenschappen: dict[str, Eigenschap], *, beschermd_zichtbaar: bool) -> Q:
    """$filter as a Q over the entity set's queryset."""
    if len(tekst) > MAX_FILTER:
        raise OdataFout(
            _("$filter is %(n)s tekens lang; ten hoogste %(max)s.")
            % {"n": f"{len(tekst):,}".replace(",", "."), "max": f"{MAX_FILTER:,}".replace(",", ".")}
        )
    diepte, in_tekst = 0, False
    for teken in tekst:
        if teken == "'":
            in_tekst = not in_tekst  # '' inside a literal toggles twice: no harm
        elif not in_tekst:
            diepte += (teken == "(") - (teken == ")")
        if diepte > MAX_DIEPTE:
            raise OdataFout(
                _("$filter is te diep genest (meer dan %(max)s haakjes).") % {"max": MAX_DIEPTE}
            )
    try:
        boom = _parser().parse(ODataLexer().tokenize(tekst))
    except ODataException as fout:
        plek = getattr(getattr(fout, "token", None), "index", None)
        raise OdataFout(
            _("$filter is geen geldige OData-uitdrukking%(plek)s: %(filter)s")
            % {
                "plek": "" if plek is None else _(" (bij teken %(n)s)") % {"n": plek + 1},
                "filter": tekst[:200],
            }
        ) from None
    if boom is None:
        raise OdataFout(_("$filter is leeg."))
    vertaler = _Vertaler(eigenschappen, beschermd_zichtbaar)
    try:
        return vertaler.q(boom, 0)
    except RecursionError:
        raise OdataFout(_("$filter is te ingewikkeld; splits de vraag op.")) from None


class _Vertaler:
    def __init__(self, eigenschappen: dict[str, Eigenschap], beschermd_zichtbaar: bool) -> None:
        self.eigenschappen = eigenschappen
        self.beschermd_zichtbaar = beschermd_zichtbaar

    def q(self, knoop, diepte: int) -> Q:
        if diepte > 4 * MAX_DIEPTE:
            raise OdataFout(_("$filter is te ingewikkeld; splits de vraag op."))
        if isinstance(knoop, ast.BoolOp):
            links, rechts = self.q(knoop.left, diepte + 1), self.q(knoop.right, diepte + 1)
            return links & rechts if isinstance(knoop.op, ast.And) else links | rechts
        if isinstance(knoop, ast.UnaryOp) and isinstance(knoop.op, ast.Not):
            return ~self.q(knoop.operand, diepte + 1)
        if isinstance(knoop, ast.Compare):
            return self._vergelijking(knoop)
        if isinstance(knoop, ast.Call):
            return self._functie(knoop)
        raise OdataFout(
            _(
                "Deze feed filtert met vergelijkingen (eq, ne, lt, le, gt, ge, in), and, or, not "
                "en contains, startswith en endswith; '%(wat)s' kan niet."
            )
            % {"wat": type(knoop).__name__}
        )

    def _eigenschap(self, knoop) -> Eigenschap:
        if isinstance(knoop, ast.Call):
            naam = knoop.func.full_name() if isinstance(knoop.func, ast.Identifier) else ""
            raise OdataFout(
                _(
                    "De functie '%(naam)s' kan in een vergelijking niet; vergelijk een "
                    "eigenschap met een waarde, of gebruik contains, startswith of endswith."
                )
                % {"naam": naam[:40]}
            )
        if isinstance(knoop, ast.BinOp):
            raise OdataFout(
                _(
                    "Rekenen (add, sub, mul, div, mod) kan in $filter niet; gebruik "
                    "vergelijkingen (eq, ne, lt, le, gt, ge, in)."
                )
            )
        if not isinstance(knoop, ast.Identifier) or knoop.namespace:
            raise OdataFout(
                _("Vergelijk in $filter een eigenschap met een waarde, zoals Gebied eq 'GM0363'.")
            )
        eigenschap = _eigenschap(knoop.name, self.eigenschappen, "$filter")
        _beschermd_weigeren(eigenschap, "$filter", self.beschermd_zichtbaar)
        return eigenschap

    def _vergelijking(self, knoop: ast.Compare) -> Q:
        links, rechts, vergelijker = knoop.left, knoop.right, knoop.comparator
        if not isinstance(links, ast.Identifier) and isinstance(rechts, ast.Identifier):
            links, rechts = rechts, links
            vergelijker = _OMGEKEERD.get(type(vergelijker), type(vergelijker))()
        eigenschap = self._eigenschap(links)
        if isinstance(rechts, ast.Null):
            if isinstance(vergelijker, ast.Eq | ast.NotEq):
                return Q(**{f"{eigenschap.veld}__isnull": isinstance(vergelijker, ast.Eq)})
            raise OdataFout(_("Met null kan alleen eq of ne vergeleken worden."))
        if isinstance(vergelijker, ast.In):
            if not isinstance(rechts, ast.List) or not rechts.val:
                raise OdataFout(_("Na 'in' volgt een lijst, zoals Gebied in ('GM0363','GM0505')."))
            if len(rechts.val) > 1000:
                raise OdataFout(_("Een lijst na 'in' heeft ten hoogste 1.000 waarden."))
            waarden = [self._waarde(eigenschap, w) for w in rechts.val]
            return Q(**{f"{eigenschap.veld}__in": waarden})
        waarde = self._waarde(eigenschap, rechts)
        if isinstance(vergelijker, ast.NotEq):
            return ~Q(**{eigenschap.veld: waarde})
        return Q(**{f"{eigenschap.veld}__{_LOOKUP[type(vergelijker)]}": waarde})

    def _functie(self, knoop: ast.Call) -> Q:
        naam = knoop.func.full_name() if isinstance(knoop.func, ast.Identifier) else ""
        argumenten = list(knoop.args)
        lookup = _FUNCTIES.get(naam.lower())
        if lookup is None or len(argumenten) != 2:
            raise OdataFout(
                _(
                    "De functie '%(naam)s' kan in $filter niet; wel contains, startswith en "
                    "endswith."
                )
                % {"naam": naam[:40]}
            )
        eigenschap = self._eigenschap(argumenten[0])
        if eigenschap.edm != "Edm.String" or not isinstance(argumenten[1], ast.String):
            raise OdataFout(
                _(
                    "%(functie)s vergelijkt een teksteigenschap met een tekst, zoals "
                    "%(functie)s(Periode,'KW')."
                )
                % {"functie": naam}
            )
        return Q(**{f"{eigenschap.veld}__{lookup}": argumenten[1].py_val})

    def _waarde(self, eigenschap: Eigenschap, knoop):
        if not isinstance(knoop, ast._Literal) or isinstance(knoop, ast.List):
            raise OdataFout(
                _("Vergelijk %(naam)s met een waarde, niet met een uitdrukking.")
                % {"naam": eigenschap.naam}
            )
        if eigenschap.edm == "Edm.String":
            if isinstance(knoop, ast.String):
                return knoop.py_val
        elif eigenschap.edm in GETAL_TYPES:
            getal = _getal(knoop, geheel=eigenschap.edm != "Edm.Decimal")
            if getal is not None:
                return getal
        elif eigenschap.edm == "Edm.DateTimeOffset":
            if isinstance(knoop, ast.DateTime | ast.Date):
                moment = _moment(knoop.val)
                if moment is not None:
                    return moment
        elif eigenschap.edm == "Edm.Date":
            if isinstance(knoop, ast.Date):
                datum = _datum(knoop.val)
                if datum is not None:
                    return datum
        elif eigenschap.edm == "Edm.Boolean" and isinstance(knoop, ast.Boolean):
            return knoop.py_val
        soort = {
            "Edm.String": _("een tekst tussen enkele aanhalingstekens, zoals 'GM0363'"),
            "Edm.Int64": _("een geheel getal"),
            "Edm.Int32": _("een geheel getal"),
            "Edm.Decimal": _("een getal met een punt als decimaalteken, zoals 12.5"),
            "Edm.DateTimeOffset": _("een tijdstip, zoals 2024-01-31T12:00:00Z"),
            "Edm.Date": _("een datum, zoals 2024-01-31"),
            "Edm.Boolean": _("true of false"),
        }.get(eigenschap.edm, eigenschap.edm)
        raise OdataFout(
            _("%(naam)s wordt vergeleken met %(soort)s, niet met %(waarde)s.")
            % {"naam": eigenschap.naam, "soort": soort, "waarde": str(knoop.val)[:60]}
        )
