"""The aldermen's dashboards of a region and of a municipality (read-only pages).

Thin views: check access, read the filters from the query string (so a view can be
bookmarked), call the dashboard selector once and turn its numbers into tiles and charts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from actielijnen.doelbereik import doelbereik, huidige_regioaanpak
from actielijnen.weergave import effectregel
from monitoring import grafieken
from monitoring.choices import is_cbs_bron
from monitoring.grafieken import cijfer_tekst, met_eenheid
from monitoring.models import Indicator
from monitoring.selectors.cijfers import Cijfer
from monitoring.selectors.dashboard import (
    PER_1000,
    STANDAARD_INDICATOR,
    VERGELIJKBAAR,
    Kerncijfer,
    Normcijfer,
    Periodekeuze,
    Verschil,
    gemeente_lidmaatschappen,
    gemeentedashboard,
    regiodashboard,
)
from regioaanpak import opmaak, paginacache
from regioaanpak.choices import WorkflowStatus
from regioaanpak.inzage import inzage
from regioaanpak.models import Gemeente, Regio
from regioaanpak.perioden import HALFJAAR, JAAR, KWARTAAL, OngeldigePeriode, PeriodeCode
from regioaanpak.toegang import heeft_rol, regio_of_404

LANDELIJK_TEKST = "landelijk: de goedgekeurde cijfers van alle regio's"
SOORTEN = ((KWARTAAL, "Kwartalen"), (HALFJAAR, "Halfjaren"), (JAAR, "Jaren"))


@dataclass
class Filters:
    periode: PeriodeCode | None = None
    indicator: str = STANDAARD_INDICATOR
    ingediend: bool = False
    fouten: list[str] = field(default_factory=list)

    def querystring(self, periode: PeriodeCode | None = None) -> str:
        """The query string of this view for another period (defaults left out)."""
        periode = periode or self.periode
        waarden = {
            "periode": periode.code if periode else None,
            "indicator": self.indicator if self.indicator != STANDAARD_INDICATOR else None,
            "ingediend": "1" if self.ingediend else None,
        }
        return urlencode({k: v for k, v in waarden.items() if v})


def lees_filters(request: HttpRequest, *, mag_ingediend: bool) -> Filters:
    """Period, indicator and 'ingediend' from the query string; a wrong value falls back to
    the default with a Dutch message naming it."""
    filters = Filters(ingediend=mag_ingediend and request.GET.get("ingediend") == "1")
    periode = (request.GET.get("periode") or "").strip()
    if periode:
        try:
            filters.periode = PeriodeCode.invoer(periode)
        except OngeldigePeriode as exc:
            filters.fouten.append(exc.messages[0] + " U ziet de standaardperiode.")
    indicator = (request.GET.get("indicator") or "").strip()
    if indicator:
        if indicator in VERGELIJKBAAR:
            filters.indicator = indicator
        else:
            filters.fouten.append(
                f"'{indicator}' is geen indicator om gemeenten mee te vergelijken; u ziet "
                "meldingen per 1.000 inwoners."
            )
    return filters


# -- tiles --------------------------------------------------------------------------------------


@dataclass
class Tegel:
    titel: str
    waarde: str
    eenheid: str = ""
    regels: list[str] = field(default_factory=list)
    veranderingen: list[dict] = field(default_factory=list)
    norm: dict | None = None
    id: str = ""
    opmerking: str = ""


def _verschil(verschil: Verschil, indicator: Indicator) -> dict:
    """Arrow plus words ('▲ 92 meer (+9,4%) dan ...'); the arrow is never the only signal."""
    tegen = verschil.periode.label
    if verschil.absoluut is None:
        if verschil.eerder.is_onderdrukt or verschil.nu.is_onderdrukt:
            reden = "cijfer onderdrukt"
        elif verschil.eerder.is_geheim or verschil.nu.is_geheim:
            reden = "cijfer geheim"
        else:
            reden = None
        return {
            "pijl": "",
            "tekst": f"Geen vergelijking met {tegen}: {reden or grafieken.GEEN_GEGEVENS}",
        }
    verschil_tekst = opmaak.getal(abs(verschil.absoluut), grafieken.decimalen(indicator))
    procent = "" if verschil.procent is None else f" ({_procent_tekst(verschil.procent)})"
    ster = grafieken.VOORLOPIG if verschil.is_voorlopig else ""
    if verschil.absoluut > 0:
        return {"pijl": "▲", "tekst": f"{verschil_tekst}{ster} meer{procent} dan {tegen}"}
    if verschil.absoluut < 0:
        return {"pijl": "▼", "tekst": f"{verschil_tekst}{ster} minder{procent} dan {tegen}"}
    return {"pijl": "=", "tekst": f"Gelijk aan {tegen}{ster}"}


def _procent_tekst(procent) -> str:
    return opmaak.verandering(procent)


def _vergelijk(naam: str, cijfer: Cijfer | None, indicator: Indicator, extra: str = "") -> str:
    if cijfer is not None and cijfer.is_onderdrukt:
        tekst = "onderdrukt (.)"
    elif cijfer is not None and cijfer.is_geheim:
        tekst = "geheim (.)"
    else:
        tekst = met_eenheid(cijfer, indicator)
    return f"{naam}: {tekst}{extra}"


GEHEIM_OPMERKING = "geheim bij de bron: dit cijfer wordt niet gepubliceerd"
GEHEIM_DEEL_OPMERKING = (
    "geheim: een gemeente of kwartaal hierin is geheim bij de bron, dus het totaal ook"
)
ONDERDRUKT_OPMERKING = (
    "onderdrukt: een klein aantal, of een totaal waaruit een klein aantal af te leiden is"
)


def _opmerking(cijfer: Cijfer) -> str:
    """A word next to the lone '.', which is easy to miss."""
    if cijfer.is_onderdrukt:
        return ONDERDRUKT_OPMERKING
    if not cijfer.is_geheim:
        return ""
    return GEHEIM_DEEL_OPMERKING if cijfer.samengesteld else GEHEIM_OPMERKING


def landelijke_bron(*antwoorden: Cijfer | None) -> str:
    """Where the country's figure comes from: CBS StatLine (its table) or the regions."""
    cbs = sorted({b for c in antwoorden if c is not None for b in c.bronnen if is_cbs_bron(b)})
    return "; ".join(cbs) if cbs else LANDELIJK_TEKST


def kerncijfertegel(kern: Kerncijfer, *, regio_naam: str = "", naam: str = "") -> Tegel:
    rate = kern.per_1000_indicator
    regels = [met_eenheid(kern.per_1000, rate)]
    if kern.regio_per_1000 is not None:
        regels.append(_vergelijk(regio_naam, kern.regio_per_1000, rate))
    if kern.landelijk_halfjaar is not None:
        # CBS publishes half-years: the country next to this area in the same half-year; an
        # earlier one when the quarter's own has no figure for the country (yet), said so.
        bron = landelijke_bron(kern.landelijk_halfjaar)
        zonder = kern.halfjaar_zonder
        eerder = f" ({zonder.label}: nog geen cijfer)" if zonder is not None else ""
        regels.append(
            _vergelijk(f"Nederland, {kern.halfjaar.label}{eerder}", kern.landelijk_halfjaar, rate)
            + f" ({bron}); "
            + _vergelijk(naam or "hier", kern.eigen_halfjaar, rate).replace(
                ": ", " in dat halfjaar: ", 1
            )
        )
    elif kern.landelijk_per_1000 is not None:
        bron = (
            ""
            if kern.landelijk_per_1000.ontbreekt_geheel
            else f" ({landelijke_bron(kern.landelijk_per_1000)})"
        )
        regels.append(_vergelijk("Nederland", kern.landelijk_per_1000, rate, bron))
    return Tegel(
        id=f"tegel-{kern.indicator.code}",
        titel=kern.indicator.naam.replace(" Veilig Thuis", ""),
        waarde=cijfer_tekst(kern.aantal, kern.indicator),
        opmerking=_opmerking(kern.aantal),
        regels=regels,
        veranderingen=[
            _verschil(kern.vorige, kern.indicator),
            _verschil(kern.jaar_eerder, kern.indicator),
        ],
    )


def normtegel(norm: Normcijfer, *, regio_naam: str = "") -> Tegel:
    indicator = norm.indicator
    gehaald = norm.gehaald
    if gehaald is None:
        status = {"klasse": "onbekend", "teken": "?", "tekst": "norm niet te beoordelen"}
    elif gehaald:
        status = {"klasse": "gehaald", "teken": "✓", "tekst": "norm gehaald"}
    else:
        status = {"klasse": "niet-gehaald", "teken": "✗", "tekst": "norm niet gehaald"}
    status["norm"] = (
        f"Norm: {indicator.get_norm_operator_display()} {opmaak.getal(indicator.norm_waarde, 0)}%"
    )
    regels = []
    if norm.regio is not None:
        regels.append(_vergelijk(regio_naam, norm.regio, indicator))
    waarde = cijfer_tekst(norm.cijfer, indicator)
    eenheid = ""
    if norm.cijfer.waarde is not None:
        # CBS notation: the asterisk of a provisional figure comes last, after the unit (93,2%*).
        waarde = waarde.removesuffix(grafieken.VOORLOPIG)
        eenheid = "%" + (grafieken.VOORLOPIG if norm.cijfer.is_voorlopig else "")
    return Tegel(
        id=f"tegel-{indicator.code}",
        titel=indicator.naam,
        waarde=waarde,
        eenheid=eenheid,
        opmerking=_opmerking(norm.cijfer),
        regels=regels,
        norm=status,
    )


# -- shared page parts --------------------------------------------------------------------------


def _periodeopties(keuze: Periodekeuze) -> list[dict]:
    groepen = []
    for soort, label in SOORTEN:
        perioden = [p for p in keuze.opties if p.soort == soort]
        if perioden:
            groepen.append({"label": label, "perioden": perioden})
    return groepen


def _indicatoropties(indicatoren: dict[str, Indicator]) -> list[Indicator]:
    return [indicatoren[c] for c in VERGELIJKBAAR if c in indicatoren]


def laatst_bijgewerkt(dashboard) -> str:
    return opmaak.tijdstip(dashboard.bijgewerkt) if dashboard.bijgewerkt else ""


def wacht_op_goedkeuring(dashboard) -> dict | None:
    """For a viewer who sees approved figures only: the shown period's figures are not approved
    (yet), so the page says so instead of showing "geen gegevens" unexplained."""
    if not dashboard.alleen_goedgekeurd:
        return None
    leveringen = dashboard.keuze.leveringen
    statussen = [leveringen.get(k.code) for k in dashboard.periode.kwartalen()]
    if all(s == WorkflowStatus.GOEDGEKEURD for s in statussen):
        return None
    goedgekeurd = [
        PeriodeCode.parse(p) for p, s in leveringen.items() if s == WorkflowStatus.GOEDGEKEURD
    ]
    return {
        "ingediend": WorkflowStatus.INGEDIEND in statussen,
        "laatste": max(goedgekeurd, key=lambda p: (p.einddatum, p.begindatum), default=None),
    }


def _basiscontext(dashboard, filters: Filters, mag_ingediend: bool, url: str) -> dict:
    periode = dashboard.periode
    vaste = Filters(periode, filters.indicator, filters.ingediend)
    return {
        "dashboard": dashboard,
        "periode": periode,
        "filters": filters,
        "mag_ingediend": mag_ingediend,
        "pagina_url": url,
        "wacht": wacht_op_goedkeuring(dashboard),
        "met_ingediend": not dashboard.alleen_goedgekeurd,
        "periodegroepen": _periodeopties(dashboard.keuze),
        "bijgewerkt": laatst_bijgewerkt(dashboard),
        "vorige_url": f"{url}?{vaste.querystring(periode.vorige())}",
        "volgende_url": f"{url}?{vaste.querystring(periode.volgende())}",
        "vorige_periode": periode.vorige(),
        "volgende_periode": periode.volgende(),
        "bronnen": dashboard.bronnen,
        "afgeschermd": dashboard.afgeschermd,
    }


def _tegels(dashboard, regio_naam: str = "") -> list[Tegel]:
    gebied = getattr(dashboard, "gemeente", None) or getattr(dashboard, "regio", None)
    naam = getattr(gebied, "naam", "")
    return [kerncijfertegel(k, regio_naam=regio_naam, naam=naam) for k in dashboard.kerncijfers] + [
        normtegel(n, regio_naam=regio_naam) for n in dashboard.normen
    ]


# -- the region dashboard -----------------------------------------------------------------------


@login_required
@require_GET
def regiodashboard_pagina(request: HttpRequest, regio: str) -> HttpResponse:
    regio_obj = regio_of_404(request.user, regio)
    beleid = inzage(request)
    mag_ingediend = beleid.mag_onvoltooid(regio_obj.code)
    filters = lees_filters(request, mag_ingediend=mag_ingediend)
    beleid = beleid.met_ingediend(filters.ingediend)
    # The page's figures, charts and tables are the same for every viewer with this policy
    # until the data change: cached under a key with both (regioaanpak/paginacache.py).
    sleutel = paginacache.sleutel(
        "regiodashboard", beleid, regio_obj.code, mag_ingediend, _filtersleutel(filters)
    )
    inhoud = paginacache.gecachet(
        sleutel, lambda: _regio_inhoud(regio_obj, beleid, filters, mag_ingediend)
    )
    return render(
        request,
        "monitoring/dashboard_regio.html",
        {"regio": regio_obj, "titel": inhoud["titel"], "inhoud": mark_safe(inhoud["html"])},
    )


def _doelbereik(regio_obj: Regio, beleid, periode) -> list[dict]:
    """Per strategic goal with effect indicators: its effects up to the dashboard's period, as
    the doelbereik page shows them (a compact version; the page has the whole tree)."""
    aanpak = huidige_regioaanpak(regio_obj.code, op=periode.einddatum)
    if aanpak is None:
        return []
    stand = doelbereik(aanpak, inzage=beleid, tot=periode)
    return [
        {"doel": d.doel, "effecten": [effectregel(e) for e in d.effecten]}
        for i in stand.impacts
        for d in i.doelen
        if d.effecten
    ]


def _filtersleutel(filters: Filters) -> tuple:
    periode = filters.periode.code if filters.periode else None
    return (periode, filters.indicator, filters.ingediend, tuple(filters.fouten))


def _regio_inhoud(regio_obj: Regio, beleid, filters: Filters, mag_ingediend: bool) -> dict:
    dashboard = regiodashboard(
        regio_obj, filters.periode, inzage=beleid, indicator=filters.indicator
    )
    periode = dashboard.periode
    indicatoren = dashboard.indicatoren
    gekozen = dashboard.indicator
    getoond = [gekozen]
    if gekozen.code in PER_1000.values():
        getoond = [indicatoren[c] for c in PER_1000.values()]
        getoond.sort(key=lambda i: i.code != gekozen.code)
    referenties = [
        grafieken.Vergelijkingsrij(
            f"{regio_obj.naam} (regio)",
            {i.code: dashboard.regiocijfer(i.code) for i in getoond},
            "regio",
        )
    ]
    if dashboard.landelijk is not None:
        referenties.append(
            grafieken.Vergelijkingsrij(
                "Nederland",
                {i.code: dashboard.landelijk.get(i.code, "NL01", periode) for i in getoond},
                "landelijk",
            )
        )
    ingediend_p = any(k.code in dashboard.ingediend for k in periode.kwartalen())
    url = reverse("monitoring:regiodashboard", args=[regio_obj.code])
    context = _basiscontext(dashboard, filters, mag_ingediend, url)
    context.update(
        {
            "regio": regio_obj,
            "tegels": _tegels(dashboard),
            "indicatoropties": _indicatoropties(indicatoren),
            "trend": [
                grafieken.trend_per_1000(
                    dashboard.trend[:2] + dashboard.landelijke_trend,
                    dashboard.perioden,
                    ingediend=dashboard.ingediend,
                    titel="Meldingen en adviezen per 1.000 inwoners: "
                    + regio_obj.naam
                    + (" en Nederland" if dashboard.landelijke_trend else ""),
                ),
                grafieken.trend_normen(
                    dashboard.trend[2:], dashboard.perioden, ingediend=dashboard.ingediend
                ),
            ],
            "vergelijking": grafieken.vergelijking(
                [
                    grafieken.Vergelijkingsrij(r.gemeente.naam, r.cijfers)
                    for r in dashboard.gemeenten
                ],
                getoond,
                sorteer_op=gekozen,
                referenties=referenties,
                voetnoot=(
                    f"Nederland: {landelijke_bron(*dashboard.landelijk)}."
                    if dashboard.landelijk
                    else ""
                )
                + (" Inclusief ingediende, nog niet goedgekeurde cijfers." if ingediend_p else ""),
            ),
            "kaart": grafieken.kaart(
                dashboard.kaart,
                periode=periode,
                ingediend=dashboard.ingediend,
                regio_naam=regio_obj.naam,
            ),
            "melders": grafieken.melders(
                dashboard.melders, dashboard.perioden, ingediend=dashboard.ingediend
            ),
            "voortgang": grafieken.voortgang(dashboard.voortgang),
            "begroting": grafieken.begroting(dashboard.begroting),
            "doelbereik": _doelbereik(regio_obj, beleid, periode),
        }
    )
    return {
        "titel": f"Dashboard {regio_obj.naam} — {periode.label}",
        "html": render_to_string("monitoring/dashboard_regio_inhoud.html", context),
    }


# -- the municipality dashboard -----------------------------------------------------------------


@login_required
@require_GET
def gemeentedashboard_pagina(request: HttpRequest, gemeente: str) -> HttpResponse:
    """Visible to anyone with a role in a region the municipality belongs (or belonged) to."""
    gevonden = get_object_or_404(Gemeente, cbs_code=gemeente.upper())
    lidmaatschappen = [
        lid for lid in gemeente_lidmaatschappen(gevonden) if heeft_rol(request.user, lid.regio)
    ]
    if not lidmaatschappen:
        raise Http404("Gemeente niet gevonden.")
    regios = {lid.regio_id: lid.regio for lid in lidmaatschappen}
    beleid = inzage(request)
    mag_ingediend = any(beleid.mag_onvoltooid(r) for r in regios)
    filters = lees_filters(request, mag_ingediend=mag_ingediend)
    beleid = beleid.met_ingediend(filters.ingediend)
    sleutel = paginacache.sleutel(
        "gemeentedashboard",
        beleid,
        gevonden.cbs_code,
        sorted(regios),
        mag_ingediend,
        _filtersleutel(filters),
    )
    inhoud = paginacache.gecachet(
        sleutel,
        lambda: _gemeente_inhoud(gevonden, lidmaatschappen, beleid, filters, mag_ingediend),
    )
    return render(
        request,
        "monitoring/dashboard_gemeente.html",
        {"titel": inhoud["titel"], "inhoud": mark_safe(inhoud["html"])},
    )


def _gemeente_inhoud(gevonden, lidmaatschappen, beleid, filters, mag_ingediend) -> dict:
    dashboard = gemeentedashboard(
        gevonden, filters.periode, lidmaatschappen=lidmaatschappen, inzage=beleid
    )
    regio: Regio | None = dashboard.regio
    regio_naam = regio.naam if regio else ""
    url = reverse("monitoring:gemeentedashboard", args=[gevonden.cbs_code])
    context = _basiscontext(dashboard, filters, mag_ingediend, url)
    periode = dashboard.periode
    context.update(
        {
            "gemeente": gevonden,
            "regio": regio,
            "andere_regios": [r for r in dashboard.regios if r != regio],
            "tegels": _tegels(dashboard, regio_naam),
            "trend": [
                grafieken.trend_per_1000(
                    dashboard.trend,
                    dashboard.perioden,
                    ingediend=dashboard.ingediend,
                    titel=f"Meldingen en adviezen per 1.000 inwoners: {gevonden.naam}"
                    + (f", {regio_naam}" if regio else "")
                    + (" en Nederland" if any(r.gebied == "NL01" for r in dashboard.trend) else ""),
                ),
                grafieken.trend_normen(
                    dashboard.tijdigheid, dashboard.perioden, ingediend=dashboard.ingediend
                ),
            ],
            "projecten": dashboard.voortgang.projecten if dashboard.voortgang else [],
            "voortgang": dashboard.voortgang,
            "samengevoegd": [
                v
                for v in dashboard.voorgangers
                if gevonden.geldig_van and periode.begindatum < gevonden.geldig_van
            ],
        }
    )
    return {
        "titel": f"Dashboard {gevonden.naam} — {periode.label}",
        "html": render_to_string("monitoring/dashboard_gemeente_inhoud.html", context),
    }
