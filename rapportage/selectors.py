"""The data of a quarterly or half-year report: one plain, JSON-serialisable snapshot.

Every figure comes from the dashboard selector (`regiodashboard`) and, for the counts per
municipality the dashboard does not show, from the figure selector `cijfers()`, both under one
viewer policy, so a report shows the numbers the dashboard shows the same viewer. A published
version is built twice, under `Inzage.intern(regio)` (the internal edition) and under
`Inzage.afgeschermd_voor(regio)` (the protected edition for partners and the public). A figure
is stored as a dict with its value as a string (Decimal kept exact, never float), its status
and its display text, so a published snapshot renders the same forever without touching the
database.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from actielijnen.choices import Fase, MijlpaalStandKeuze
from actielijnen.doelbereik import doelbereik, huidige_regioaanpak
from actielijnen.models import Mijlpaal, PlanningFase, Voortgangsupdate
from actielijnen.selectors import AANDACHT_STATUSSEN, STATUS_LABELS
from actielijnen.weergave import effectregel
from monitoring.grafieken.basis import cijfer_tekst, euro_tekst, met_eenheid
from monitoring.models import Indicator
from monitoring.selectors.cijfers import Cijfer, cijfers
from monitoring.selectors.dashboard import (
    ADVIEZEN,
    LANDELIJK,
    MELDINGEN,
    PER_1000,
    Regiodashboard,
    regiodashboard,
    streefwaarde_perioden,
)
from monitoring.selectors.risicoprofiel import risicoprofiel
from rapportage.choices import Editie, RapportSoort
from rapportage.vergelijking import vergelijking
from regioaanpak import opmaak
from regioaanpak.choices import WorkflowStatus
from regioaanpak.inzage import Inzage
from regioaanpak.models import Regio
from regioaanpak.perioden import PeriodeCode

# 2: the edition ('intern' or 'afgeschermd') and whether figures are disclosure-controlled.
SCHEMA = 2
PERIODESOORT = {RapportSoort.KWARTAAL: "KW", RapportSoort.HALFJAAR: "HJ", RapportSoort.JAAR: "JJ"}
EENHEID = {
    RapportSoort.KWARTAAL: "kwartaal",
    RapportSoort.HALFJAAR: "halfjaar",
    RapportSoort.JAAR: "jaar",
}
# The reports that look back over a longer time: the trend, the risk profile and doelbereik.
TERUGBLIK = (RapportSoort.HALFJAAR, RapportSoort.JAAR)
TREND_HALFJAREN = 4


class OngeldigRapport(ValueError):
    """The period does not fit the kind of report (a Dutch message for the user)."""


def rapportperiode(periode: PeriodeCode | str, soort: str) -> PeriodeCode:
    try:
        code = PeriodeCode.invoer(periode)
    except Exception as fout:
        raise OngeldigRapport(f"Onbekende periode: {periode}.") from fout
    if soort not in PERIODESOORT:
        raise OngeldigRapport(f"Onbekende soort rapportage: {soort}.")
    if PERIODESOORT[soort] not in code.code:
        eenheid = EENHEID[soort]
        raise OngeldigRapport(
            f"Een {RapportSoort(soort).label} gaat over een {eenheid}, niet over {code.label}."
        )
    return code


# -- figures as plain dicts ---------------------------------------------------------------------


def cijfer_dict(cijfer: Cijfer | None, indicator: Indicator) -> dict:
    """A figure frozen for the report: exact value as text, status and the CBS display text."""
    waarde = None if cijfer is None or cijfer.waarde is None else str(cijfer.waarde)
    return {
        "waarde": waarde,
        "status": (cijfer.status if cijfer else None) or None,
        "tekst": cijfer_tekst(cijfer, indicator),
        "met_eenheid": met_eenheid(cijfer, indicator),
        "voorlopig": bool(cijfer and cijfer.is_voorlopig),
        "geheim": bool(cijfer and cijfer.is_geheim),
        "geheimhouding": cijfer.geheimhouding if cijfer else None,
    }


def bedrag_dict(bedrag: Decimal | None) -> dict:
    return {"waarde": None if bedrag is None else str(bedrag), "tekst": euro_tekst(bedrag)}


def _verandering(procent: Decimal | None) -> str:
    return opmaak.verandering(procent)


def _indicator_dict(indicator: Indicator) -> dict:
    return {"code": indicator.code, "naam": indicator.naam, "eenheid": indicator.eenheid}


# -- the parts of the report --------------------------------------------------------------------


def _kerncijfers(dash: Regiodashboard) -> list[dict]:
    resultaat = []
    for kern in dash.kerncijfers:
        ind, rate = kern.indicator, kern.per_1000_indicator
        resultaat.append(
            {
                "indicator": _indicator_dict(ind),
                "aantal": cijfer_dict(kern.aantal, ind),
                "per_1000": cijfer_dict(kern.per_1000, rate),
                "vorige": {
                    "periode": kern.vorige.periode.label,
                    "aantal": cijfer_dict(kern.vorige.eerder, ind),
                    "verandering": _verandering(kern.vorige.procent),
                },
                "jaar_eerder": {
                    "periode": kern.jaar_eerder.periode.label,
                    "aantal": cijfer_dict(kern.jaar_eerder.eerder, ind),
                    "verandering": _verandering(kern.jaar_eerder.procent),
                },
                "landelijk_per_1000": cijfer_dict(kern.landelijk_per_1000, rate)
                if kern.landelijk_per_1000 is not None
                else None,
            }
        )
    return resultaat


def _normen(dash: Regiodashboard) -> list[dict]:
    resultaat = []
    for norm in dash.normen:
        gehaald = norm.gehaald
        resultaat.append(
            {
                "indicator": _indicator_dict(norm.indicator),
                "norm": norm.indicator.norm_omschrijving,
                "cijfer": cijfer_dict(norm.cijfer, norm.indicator),
                "gehaald": gehaald,
                "oordeel": {True: "norm gehaald", False: "norm niet gehaald"}.get(
                    gehaald, "niet te beoordelen"
                ),
            }
        )
    return resultaat


def _gemeenten(dash: Regiodashboard) -> dict:
    """Meldingen and adviezen per municipality: counts (figure selector, same filter as the
    dashboard) and the dashboard's rates; then the region and the country."""
    periode = dash.periode
    ind = dash.indicatoren
    codes = [r.gemeente.cbs_code for r in dash.gemeenten]
    aantallen = cijfers(
        inzage=dash.inzage,
        indicatoren=[MELDINGEN, ADVIEZEN],
        gebieden=codes,
        perioden=[periode],
    )

    def rij(naam: str, code: str, aantal, per_1000) -> dict:
        return {
            "naam": naam,
            "code": code,
            "meldingen": cijfer_dict(aantal(MELDINGEN), ind[MELDINGEN]),
            "meldingen_per_1000": cijfer_dict(
                per_1000(PER_1000[MELDINGEN]), ind[PER_1000[MELDINGEN]]
            ),
            "adviezen": cijfer_dict(aantal(ADVIEZEN), ind[ADVIEZEN]),
            "adviezen_per_1000": cijfer_dict(per_1000(PER_1000[ADVIEZEN]), ind[PER_1000[ADVIEZEN]]),
        }

    rijen = [
        rij(
            r.gemeente.naam,
            r.gemeente.cbs_code,
            lambda c, g=r.gemeente.cbs_code: aantallen.get(c, g, periode),
            lambda c, r=r: r.cijfers.get(c),
        )
        for r in dash.gemeenten
    ]
    regio = rij(
        dash.regio.naam,
        dash.regio.code,
        lambda c: dash.regiocijfer(c),
        lambda c: dash.regiocijfer(c),
    )
    landelijk = None
    if dash.landelijk is not None:
        landelijk = rij(
            "Nederland",
            LANDELIJK,
            lambda c: None,
            lambda c: dash.landelijk.get(c, LANDELIJK, periode),
        )
        # The country's counts are not asked for (see landelijke_cijfers): leave them out.
        landelijk["meldingen"] = landelijk["adviezen"] = None
    return {"rijen": rijen, "regio": regio, "landelijk": landelijk}


def _trend(dash: Regiodashboard) -> list[dict]:
    """The last four periods (half-years or years) of the trend indicators with the region's
    targets."""
    perioden = dash.perioden[-TREND_HALFJAREN:]
    begin = len(dash.perioden) - len(perioden)
    resultaat = []
    for reeks in dash.trend:
        doelen: dict[int, Decimal] = {}
        for streefwaarde in reeks.streefwaarden:
            for positie in streefwaarde_perioden(streefwaarde, dash.perioden):
                doelen[positie] = streefwaarde.waarde
        punten = []
        for index, periode in enumerate(perioden, start=begin):
            doel = doelen.get(index)
            punten.append(
                {
                    "periode": periode.code,
                    "label": periode.label,
                    "kort": periode.kort_label,
                    "cijfer": cijfer_dict(reeks.cijfers[index], reeks.indicator),
                    "streefwaarde": None
                    if doel is None
                    else {
                        "waarde": str(doel),
                        "tekst": opmaak.getal(
                            doel, 2 if reeks.indicator.eenheid == "per_1000" else 1
                        ),
                    },
                }
            )
        indicator = reeks.indicator
        norm = None
        if indicator.norm_waarde is not None:
            norm = {
                "waarde": str(indicator.norm_waarde),
                "tekst": f"{indicator.get_norm_operator_display()} "
                f"{opmaak.procent(indicator.norm_waarde, 0)}",
            }
        resultaat.append({"indicator": _indicator_dict(indicator), "norm": norm, "punten": punten})
    return resultaat


def _updates(dash: Regiodashboard, alleen_goedgekeurd: bool) -> dict[int, Voortgangsupdate]:
    """Per project the update the report shows: its latest approved one up to the period (the
    dashboard's), or in a concept with submitted data the submitted one of the last quarter."""
    stand_ids = [s.update.pk for s in dash.voortgang.projecten if s.update is not None]
    laatste_kwartaal = dash.periode.kwartalen()[-1].code
    filter_ingediend = {
        "project__in": [s.project.pk for s in dash.voortgang.projecten],
        "periode_id": laatste_kwartaal,
        "workflow_status": WorkflowStatus.INGEDIEND,
    }
    updates = {
        u.project_id: u
        for u in Voortgangsupdate.objects.filter(pk__in=stand_ids).prefetch_related(
            "mijlpaalstanden"
        )
    }
    if not alleen_goedgekeurd:
        for update in Voortgangsupdate.objects.filter(**filter_ingediend).prefetch_related(
            "mijlpaalstanden"
        ):
            updates[update.project_id] = update
    return updates


def _label(keuzes, waarde: str) -> str:
    try:
        return str(keuzes(waarde).label)
    except ValueError:
        return waarde or ""


def _datum(datum: dt.date | None) -> str:
    return opmaak.datum(datum) if datum else ""


def _actielijnen(dash: Regiodashboard, alleen_goedgekeurd: bool) -> tuple[list[dict], list[dict]]:
    projecten = [s.project for s in dash.voortgang.projecten]
    updates = _updates(dash, alleen_goedgekeurd)
    mijlpalen: dict[int, list[Mijlpaal]] = {}
    for mijlpaal in Mijlpaal.objects.filter(project__in=projecten).order_by("geplande_datum", "pk"):
        mijlpalen.setdefault(mijlpaal.project_id, []).append(mijlpaal)
    # The quarterly planning of the report's year (phases per quarter).
    kwartalen = [PeriodeCode.kwartaal(dash.periode.jaar, n) for n in range(1, 5)]
    planning: dict[int, dict[str, str]] = {}
    for fase in PlanningFase.objects.filter(
        project__in=projecten, periode_id__in=[k.code for k in kwartalen]
    ):
        planning.setdefault(fase.project_id, {})[fase.periode_id] = _label(Fase, fase.fase)

    lijnen, aandacht = [], []
    for lijn in dash.voortgang.actielijnen:
        rijen = []
        for stand in lijn.projecten:
            project = stand.project
            update = updates.get(project.pk)
            status = update.status if update else stand.status
            standen = {s.mijlpaal_id: s for s in update.mijlpaalstanden.all()} if update else {}
            rij = {
                "titel": project.titel,
                "trekker": project.trekker,
                "status": status,
                "status_label": STATUS_LABELS.get(status, status),
                "kwartaal": PeriodeCode.parse(update.periode_id).label if update else "",
                "concept": bool(update and update.workflow_status != WorkflowStatus.GOEDGEKEURD),
                "toelichting": update.toelichting if update else "",
                "resultaten": update.resultaten if update else "",
                "knelpunten": update.knelpunten if update else "",
                "volgende_stappen": update.volgende_stappen if update else "",
                "mijlpalen": [
                    {
                        "titel": m.titel,
                        "gepland": _datum(m.geplande_datum),
                        "behaald_op": _datum(m.behaald_op),
                        "stand": _label(MijlpaalStandKeuze, standen[m.pk].stand)
                        if m.pk in standen
                        else "",
                        "toelichting": standen[m.pk].toelichting if m.pk in standen else "",
                    }
                    for m in mijlpalen.get(project.pk, [])
                ],
                "planning": [planning.get(project.pk, {}).get(k.code, "") for k in kwartalen],
            }
            rijen.append(rij)
            if status in AANDACHT_STATUSSEN:
                aandacht.append({"actielijn": lijn.actielijn.titel, **rij})
        lijnen.append(
            {
                "nummer": lijn.actielijn.nummer,
                "titel": lijn.actielijn.titel,
                "aantallen": [
                    {"status": STATUS_LABELS[s], "aantal": n}
                    for s, n in lijn.aantallen.items()
                    if n
                ],
                "projecten": rijen,
            }
        )
    return lijnen, aandacht


def _begroting(dash: Regiodashboard) -> dict:
    regels = dash.begroting.regels
    bekend_begroot = [r.begroot for r in regels if r.begroot is not None]
    bekend_uitgegeven = [r.uitgegeven for r in regels if r.uitgegeven is not None]
    return {
        "regels": [
            {
                "bron": r.label,
                "begroot": bedrag_dict(r.begroot),
                "uitgegeven": bedrag_dict(r.uitgegeven),
                "projecten": r.projecten,
            }
            for r in regels
        ],
        "totaal": {
            "begroot": bedrag_dict(sum(bekend_begroot, Decimal(0)) if bekend_begroot else None),
            "uitgegeven": bedrag_dict(
                sum(bekend_uitgegeven, Decimal(0)) if bekend_uitgegeven else None
            ),
        },
    }


def _getoonde_perioden(dash: Regiodashboard, soort: str) -> set[str]:
    """The period codes (and their quarters) whose figures the report shows."""
    periode = dash.periode
    perioden = [periode, periode.vorige(), periode.jaar_eerder()]
    if soort in TERUGBLIK:
        perioden += dash.perioden[-TREND_HALFJAREN:]
    return {p.code for p in perioden} | {k.code for p in perioden for k in p.kwartalen()}


def _voorlopig(gegevens: dict) -> list[str]:
    """Which figures of the report are provisional, for the colofon."""
    namen = []
    for kern in gegevens["kerncijfers"]:
        if kern["aantal"]["voorlopig"] or kern["per_1000"]["voorlopig"]:
            namen.append(f"{kern['indicator']['naam']} ({gegevens['periode']['label']})")
    for norm in gegevens["normen"]:
        if norm["cijfer"]["voorlopig"]:
            namen.append(f"{norm['indicator']['naam']} ({gegevens['periode']['label']})")
    for rij in gegevens["gemeenten"]["rijen"]:
        velden = ("meldingen", "meldingen_per_1000", "adviezen", "adviezen_per_1000")
        if any(rij[v] and rij[v]["voorlopig"] for v in velden):
            namen.append(f"cijfers van {rij['naam']}")
    return namen


def _risicoprofiel(regio: Regio) -> dict | None:
    """The region's risk profile ranking for the half-year report, when it has risk factors."""
    profiel = risicoprofiel(regio)
    if not profiel.factoren:
        return None
    return {
        "aantal_factoren": profiel.aantal_factoren,
        "peiljaar": max(f.peiljaar for f in profiel.factoren),
        "rijen": [
            {
                "gemeente": s.gemeente,
                "naam": s.naam,
                "score": opmaak.getal(Decimal(str(s.score)), 2),
                "aantal_factoren": s.aantal_factoren,
                "rang": s.rang,
                "klasse": s.klasse,
            }
            for s in profiel.scores
        ],
    }


def _halverwege(dash: Regiodashboard, periode: PeriodeCode, gegevens: dict) -> dict | None:
    """The mid-term of an approach whose middle day lies in the report's period (Gelderland-Zuid
    reports halfway to the bestuurlijke werkgroep): the report is then its mid-term report, with
    the state halfway in one paragraph (projects, spending, effects), from the report's data."""
    for aanpak in dash.voortgang.regioaanpakken:
        midden = aanpak.looptijd_van + (aanpak.looptijd_tot - aanpak.looptijd_van) / 2
        if not periode.begindatum <= midden <= periode.einddatum:
            continue
        projecten = [p for lijn in gegevens["actielijnen"] for p in lijn["projecten"]]
        effecten = [e for d in gegevens["doelbereik"] for e in d["effecten"]]
        return {
            "aanpak": aanpak.titel,
            "midden": opmaak.datum(midden),
            "looptijd": f"{opmaak.datum(aanpak.looptijd_van)} tot en met "
            f"{opmaak.datum(aanpak.looptijd_tot)}",
            "projecten": len(projecten),
            "aandacht": len(gegevens["aandacht"]),
            "begroot": gegevens["begroting"]["totaal"]["begroot"]["tekst"],
            "uitgegeven": gegevens["begroting"]["totaal"]["uitgegeven"]["tekst"],
            "effecten": len(effecten),
            "bereikt": sum(e["verdict_code"] == "bereikt" for e in effecten),
        }
    return None


def _doelbereik(regio: Regio, periode: PeriodeCode, inzage: Inzage) -> list[dict]:
    """Goal attainment up to the report's period, as the doelbereik page shows it (the same
    selector and formatting), as plain data for the frozen snapshot."""
    aanpak = huidige_regioaanpak(regio.code, op=periode.einddatum)
    if aanpak is None:
        return []
    stand = doelbereik(aanpak, inzage=inzage, tot=periode)
    uitkomst = []
    for impact in stand.impacts:
        for d in impact.doelen:
            effecten = [effectregel(e) for e in d.effecten]
            uitkomst.append(
                {
                    "impact": f"Impact {impact.impact.nummer}: {impact.impact.titel}",
                    "doel": f"Strategisch doel {d.doel.nummer}: {d.doel.titel}",
                    "actielijnen": [a.nummer for a in d.doel.actielijnen.all()],
                    "effecten": [
                        {
                            "beoogd_effect": e["effect"].beoogd_effect,
                            "indicator": e["indicator"].naam,
                            "nulmeting": e["nulmeting"],
                            "laatste": e["laatste"],
                            "streef": e["streef"],
                            "drempel": e["drempel"],
                            "verdict": e["verdict"].tekst,
                            "verdict_code": e["verdict"].code,
                        }
                        for e in effecten
                    ],
                    "oordelen": [
                        {
                            "jaar": o.jaar,
                            "oordeel": o.get_oordeel_display(),
                            "motivering": o.motivering,
                            "status": o.workflow_status,
                        }
                        for o in d.oordelen
                    ],
                }
            )
    return uitkomst


def rapportgegevens(
    regio: Regio,
    periode: PeriodeCode | str,
    soort: str,
    *,
    inzage: Inzage,
    vandaag: dt.date | None = None,
) -> dict:
    """The snapshot of a report as this viewer may see it: everything it shows, as plain
    JSON-serialisable data. Submitted data are included where the policy shows them."""
    code = rapportperiode(periode, soort)
    dash = regiodashboard(regio, code, inzage=inzage, vandaag=vandaag)
    alleen_goedgekeurd = dash.alleen_goedgekeurd
    lijnen, aandacht = _actielijnen(dash, alleen_goedgekeurd)
    gegevens = {
        "schema": SCHEMA,
        "regio": {
            "code": regio.code,
            "naam": regio.naam,
            "centrumgemeente": regio.centrumgemeente.naam if regio.centrumgemeente else "",
        },
        "periode": {
            "code": code.code,
            "label": code.label,
            "van": opmaak.datum(code.begindatum),
            "tot": opmaak.datum(code.einddatum),
        },
        "soort": soort,
        "soort_label": str(RapportSoort(soort).label),
        "alleen_goedgekeurd": alleen_goedgekeurd,
        "editie": Editie.INTERN if inzage.is_ruw(regio.code) else Editie.AFGESCHERMD,
        "afgeschermd": not inzage.is_ruw(regio.code),
        "ingediend": sorted(dash.ingediend & _getoonde_perioden(dash, soort)),
        "gemaakt_op": timezone.localtime().isoformat(timespec="seconds"),
        "gemaakt_op_tekst": opmaak.datum(timezone.localdate()),
        "regioaanpak": [a.titel for a in dash.voortgang.regioaanpakken],
        "kerncijfers": _kerncijfers(dash),
        "normen": _normen(dash),
        "aandacht": aandacht,
        "actielijnen": lijnen,
        "planning_kwartalen": [PeriodeCode.kwartaal(code.jaar, n).kort_label for n in range(1, 5)],
        "gemeenten": _gemeenten(dash),
        "begroting": _begroting(dash),
        "trend": _trend(dash) if soort in TERUGBLIK else [],
        "trend_perioden": "jaren" if soort == RapportSoort.JAAR else "halfjaren",
        "risicoprofiel": _risicoprofiel(regio) if soort in TERUGBLIK else None,
        "doelbereik": _doelbereik(regio, code, inzage) if soort in TERUGBLIK else [],
        "bronnen": list(dash.bronnen),
        "landelijke_bronnen": list(dash.landelijke_bronnen),
    }
    gegevens["halverwege"] = _halverwege(dash, code, gegevens) if soort in TERUGBLIK else None
    # The yearly evaluation with the subregions together (Rotterdam-Rijnmond's three
    # centrumgemeenteregio's): a comparison chapter.
    gegevens["vergelijking"] = (
        vergelijking(regio, code, inzage, gegevens["risicoprofiel"], cijfer_dict)
        if soort == RapportSoort.JAAR
        else None
    )
    gegevens["bevat_concept"] = bool(gegevens["ingediend"]) or any(
        p["concept"] for lijn in lijnen for p in lijn["projecten"]
    )
    gegevens["voorlopig"] = _voorlopig(gegevens)
    return gegevens
