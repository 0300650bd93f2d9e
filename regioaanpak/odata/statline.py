"""A region's own figures as a StatLine table, for analysts' `cbsodata` scripts.

`cbsodata` reads CBS's OData v3 feed: `<catalogus>/ODataFeed/odata/<tabel>/` lists the table's
sets, and each set is a JSON page ({"odata.metadata", "value", "odata.nextLink"}). Pointed at
`<server>/odata/statline/<token>` (cbsodata takes a catalogue address and cannot send a header,
so the token is part of that address), a region code such as VT24 reads as a table:

- `TypedDataSet` / `UntypedDataSet`: a row per area (`RegioS`: the region and its member
  municipalities, CBS codes) and period (`Perioden`: 2021KW01, 2021HJ01, 2021JJ00), a column per
  indicator (its code), each value published as /api/v1/waarnemingen/ publishes it for this
  viewer (`sets.publiceer_waarnemingen`); `null` (typed) or `.` (untyped) where it is secret;
- `DataProperties` (the dimensions and, as `Topic`, the indicators), `RegioS`, `Perioden`
  (Status "Voorlopig" when a figure of that period is provisional), `TableInfos`,
  `CategoryGroups`.

`ODataCatalog/Tables` lists the tables (regions) within the viewer's reach.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.db.models import Max
from django.http import HttpResponse
from django.utils.translation import gettext as _

from monitoring.models import Indicator
from monitoring.selectors.api import Vraag, opgeslagen_waarnemingen
from regioaanpak import paginacache
from regioaanpak.choices import RegioSoort
from regioaanpak.inzage import Inzage, inzage
from regioaanpak.models import Gemeente, Regio
from regioaanpak.odata.opties import Eigenschap, OdataFout, lees_opties
from regioaanpak.odata.sets import publiceer_waarnemingen, waarnemingen
from regioaanpak.odata.views import OdataBasis
from regioaanpak.perioden import PeriodeCode

PAGINA = 10_000  # rows per page, as CBS
SETS = (
    "TableInfos",
    "UntypedDataSet",
    "TypedDataSet",
    "DataProperties",
    "CategoryGroups",
    "RegioS",
    "Perioden",
)
DIMENSIES = {
    "RegioS": Eigenschap("RegioS", "Edm.String", "odata_gebied", nullable=False),
    "Perioden": Eigenschap("Perioden", "Edm.String", "odata_periode", nullable=False),
}
VOORLOPIG = "Voorlopig"
DEFINITIEF = "Definitief"


def _antwoord(inhoud: dict) -> HttpResponse:
    antwoord = HttpResponse(
        json.dumps(inhoud, ensure_ascii=False, default=str),
        content_type="application/json;charset=utf-8",
    )
    antwoord["DataServiceVersion"] = "3.0"
    return antwoord


def tabellen(beleid: Inzage) -> list[Regio]:
    """The regions whose figures the viewer reads: each is a table."""
    qs = Regio.objects.exclude(soort=RegioSoort.LAND).order_by("code")
    if beleid.lees is not None:
        qs = qs.filter(code__in=sorted(beleid.lees))
    return list(qs)


class StatlineBasis(OdataBasis):
    def handle_exception(self, exc):
        antwoord = super().handle_exception(exc)
        # CBS's v3 error shape, which cbsodata's users know from StatLine.
        if antwoord.status_code >= 400 and antwoord.get("Content-Type", "").startswith(
            "application/json"
        ):
            try:
                fout = json.loads(antwoord.content)["error"]
            except (ValueError, KeyError, TypeError):
                return antwoord
            antwoord.content = json.dumps(
                {
                    "odata.error": {
                        "code": fout["code"],
                        "message": {"lang": "nl-NL", "value": fout["message"]},
                    }
                },
                ensure_ascii=False,
            )
            del antwoord["OData-Version"]
            antwoord["DataServiceVersion"] = "3.0"
        return antwoord

    def catalogus_url(self) -> str:
        """The catalogue address the client was given (with its token, if it came in the path)."""
        pad = self.request.path
        return self.request.build_absolute_uri(pad[: pad.index("/OData") + 1])


class Catalogus(StatlineBasis):
    """ODataCatalog/Tables: a table per region within reach."""

    def get(self, request, sleutel: str | None = None):
        return _antwoord(
            {
                "odata.metadata": f"{self.catalogus_url()}ODataCatalog/$metadata#Tables",
                "value": [_tabelinfo(r) for r in tabellen(inzage(request))],
            }
        )


def _tabelinfo(regio: Regio) -> dict:
    return {
        "ID": 1,
        "Identifier": regio.code,
        "Title": _("Cijfers %(regio)s (Regioaanpak monitor)") % {"regio": regio.naam},
        "ShortTitle": _("Cijfers %(regio)s") % {"regio": regio.naam},
        "Summary": _(
            "Cijfers per gemeente en regio en per kwartaal, halfjaar of jaar, zoals aangeleverd "
            "en goedgekeurd, met geheimhouding zoals voor uw rol."
        ),
        "Frequency": _("Per kwartaal"),
        "Language": "nl",
        "Catalog": "Regioaanpak",
        "OutputStatus": "Regulier",
    }


class Tabel(StatlineBasis):
    """<tabel>/ and <tabel>/<set>: the sets of one region's table."""

    def get(self, request, tabel: str, naam: str | None = None, sleutel: str | None = None):
        beleid = inzage(request)
        regio = next((r for r in tabellen(beleid) if r.code == tabel), None)
        if regio is None:
            raise OdataFout(
                _("Tabel %(tabel)s bestaat niet of valt buiten uw bereik.") % {"tabel": tabel[:40]},
                status=404,
                code="NietGevonden",
            )
        basis = f"{self.catalogus_url()}ODataFeed/odata/{regio.code}/"
        if naam is None:
            return _antwoord(
                {
                    "odata.metadata": f"{basis}$metadata",
                    "value": [{"name": s, "url": f"{basis}{s}"} for s in SETS],
                }
            )
        maker = _MAKERS.get(naam)
        if maker is None:
            raise OdataFout(
                _("Tabel %(tabel)s kent geen set '%(naam)s'; wel %(sets)s.")
                % {"tabel": regio.code, "naam": naam[:40], "sets": ", ".join(SETS)},
                status=404,
                code="NietGevonden",
            )
        # A client pages through a set with next links: the table is built once per viewer
        # policy, filter and data stamp, not again for every page (regioaanpak/paginacache.py).
        sleutel = paginacache.sleutel(
            "statline", beleid, regio.code, naam, request.query_params.get("$filter", "")
        )
        rijen, eigenschappen = paginacache.gecachet(
            sleutel, lambda: maker(regio, beleid, request.query_params)
        )
        selectie = lees_opties(
            _alleen(request.query_params, {"$select", "$format", "$top", "$skip"}),
            eigenschappen,
            beschermd_zichtbaar=beleid.alles_ruw,
        )
        begin = selectie.skip
        aantal = PAGINA if selectie.top is None else min(PAGINA, selectie.top)
        pagina = [
            {k: r[k] for k in selectie.selectie if k in r} for r in rijen[begin : begin + aantal]
        ]
        inhoud = {"odata.metadata": f"{basis}$metadata#{naam}", "value": pagina}
        if len(rijen) > begin + aantal and (selectie.top is None or selectie.top > aantal):
            parameters = request.query_params.copy()
            parameters["$skip"] = str(begin + aantal)
            if selectie.top is not None:
                parameters["$top"] = str(selectie.top - aantal)
            inhoud["odata.nextLink"] = f"{basis}{naam}?{parameters.urlencode(safe='$,')}"
        return _antwoord(inhoud)


def _alleen(parameters, namen: set[str]):
    kopie = parameters.copy()
    for naam in list(kopie):
        if naam not in namen:
            del kopie[naam]
    return kopie


def _indicatoren() -> list[Indicator]:
    return list(Indicator.objects.order_by("volgorde", "code"))


def _eigenschappen(*namen: str) -> dict[str, Eigenschap]:
    return {n: Eigenschap(n, "Edm.String", n) for n in namen}


def _cijfers(regio: Regio, beleid: Inzage, parameters):
    """The published figures of the region's table, after its $filter on RegioS and Perioden."""
    opties = lees_opties(
        _alleen(parameters, {"$filter"}), DIMENSIES, beschermd_zichtbaar=beleid.alles_ruw
    )
    qs = waarnemingen(beleid, Vraag(regios=(regio.code,)))
    if opties.filter is not None:
        qs = qs.filter(opties.filter)
    rijen = list(qs.order_by("id"))
    uitkomst = []
    for begin in range(0, len(rijen), 5000):
        uitkomst += publiceer_waarnemingen(rijen[begin : begin + 5000], beleid)
    return uitkomst


def _dataset(getypt: bool) -> Callable:
    def maak(regio: Regio, beleid: Inzage, parameters):
        indicatoren = _indicatoren()
        rijen: dict[tuple[str, str], dict] = {}
        for cijfer in _cijfers(regio, beleid, parameters):
            sleutel = (cijfer["Gebied"], cijfer["Periode"])
            rij = rijen.setdefault(sleutel, {})
            waarde = cijfer["Waarde"]
            if getypt:
                rij[cijfer["Indicator"]] = None if waarde is None else float(waarde)
            else:
                rij[cijfer["Indicator"]] = "." if waarde is None else f"{waarde:f}"
        uitkomst = []
        for n, ((gebied, periode), waarden) in enumerate(sorted(rijen.items())):
            rij = {"ID": n, "RegioS": gebied, "Perioden": periode}
            for indicator in indicatoren:
                rij[indicator.code] = waarden.get(indicator.code, None if getypt else "")
            uitkomst.append(rij)
        kolommen = ["ID", "RegioS", "Perioden", *(i.code for i in indicatoren)]
        return uitkomst, _eigenschappen(*kolommen)

    return maak


def _data_properties(regio: Regio, beleid: Inzage, parameters):
    rijen = [
        {
            "ID": 0,
            "Position": 0,
            "ParentID": None,
            "Type": "GeoDimension",
            "Key": "RegioS",
            "Title": _("Regio's"),
            "Description": _("Gemeenten (GM) en de regio zelf, met CBS-codes."),
        },
        {
            "ID": 1,
            "Position": 1,
            "ParentID": None,
            "Type": "TimeDimension",
            "Key": "Perioden",
            "Title": _("Perioden"),
            "Description": _("Kwartalen (KW), halfjaren (HJ) en jaren (JJ)."),
        },
    ]
    for n, indicator in enumerate(_indicatoren(), start=2):
        rijen.append(
            {
                "ID": n,
                "Position": n,
                "ParentID": None,
                "Type": "Topic",
                "Key": indicator.code,
                "Title": indicator.naam,
                "Description": indicator.definitie,
                "Datatype": "Double",
                "Unit": indicator.get_eenheid_display(),
                "Decimals": 1 if indicator.teller_id else 0,
            }
        )
    return rijen, _eigenschappen(
        "ID",
        "Position",
        "ParentID",
        "Type",
        "Key",
        "Title",
        "Description",
        "Datatype",
        "Unit",
        "Decimals",
    )


def _regios_dimensie(regio: Regio, beleid: Inzage, parameters):
    codes = sorted({c["Gebied"] for c in _cijfers(regio, beleid, {})})
    namen = dict(Gemeente.objects.filter(cbs_code__in=codes).values_list("cbs_code", "naam"))
    namen.update(Regio.objects.filter(code__in=codes).values_list("code", "naam"))
    rijen = [{"Key": c, "Title": namen.get(c, c), "Description": ""} for c in codes]
    return rijen, _eigenschappen("Key", "Title", "Description")


def _perioden_dimensie(regio: Regio, beleid: Inzage, parameters):
    status: dict[str, str] = {}
    for cijfer in _cijfers(regio, beleid, {}):
        if cijfer["Status"] == "voorlopig":
            status[cijfer["Periode"]] = VOORLOPIG
        else:
            status.setdefault(cijfer["Periode"], DEFINITIEF)
    rijen = [
        {
            "Key": code,
            "Title": PeriodeCode.parse(code).label + (" *" if s == VOORLOPIG else ""),
            "Description": "",
            "Status": s,
        }
        for code, s in sorted(status.items())
    ]
    return rijen, _eigenschappen("Key", "Title", "Description", "Status")


def _tabel_infos(regio: Regio, beleid: Inzage, parameters):
    info = _tabelinfo(regio)
    gewijzigd = opgeslagen_waarnemingen(Vraag(regios=(regio.code,)), beleid).aggregate(
        laatst=Max("gewijzigd_op")
    )["laatst"]
    info["Modified"] = gewijzigd.isoformat() if gewijzigd else None
    return [info], _eigenschappen(*info)


_MAKERS = {
    "TypedDataSet": _dataset(True),
    "UntypedDataSet": _dataset(False),
    "DataProperties": _data_properties,
    "CategoryGroups": lambda regio, beleid, parameters: ([], {}),
    "RegioS": _regios_dimensie,
    "Perioden": _perioden_dimensie,
    "TableInfos": _tabel_infos,
}
