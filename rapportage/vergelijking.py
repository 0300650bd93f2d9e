"""The comparison chapter of a yearly report: a region's subregions side by side.

Rotterdam-Rijnmond evaluates its approach each year with its three centrumgemeenteregio's
(Rotterdam, Nissewaard, Vlaardingen) together (seed 004, chapter 6), paying attention to the
differences between municipalities with their context: the risk profile and the organisation
of the local field. Every figure comes from the figure selector under the report's policy,
widened to the subregions the viewer reaches in full (`deelregios_binnen_bereik`), and is
formatted as the rest of the report (`cijfer_dict`)."""

from __future__ import annotations

from monitoring.models import Indicator
from monitoring.selectors.cijfers import cijfers
from monitoring.selectors.dashboard import ADVIEZEN, MELDINGEN, PER_1000
from regioaanpak.inzage import Inzage
from regioaanpak.models import Lidmaatschap, LokaalVeld, Regio
from regioaanpak.perioden import PeriodeCode
from regioaanpak.selectors import deelregios_binnen_bereik

VEILIGER = "clientervaring_veiliger_percentage"
KOLOMMEN = [MELDINGEN, PER_1000[MELDINGEN], ADVIEZEN, PER_1000[ADVIEZEN], VEILIGER]
# Per municipality the rates only: the counts are in the chapter on Veilig Thuis's figures.
GEMEENTE_KOLOMMEN = [PER_1000[MELDINGEN], PER_1000[ADVIEZEN], VEILIGER]


def _leden(regios: list[str], periode: PeriodeCode) -> dict[str, list]:
    """region -> its member municipalities in the period, by name."""
    per_regio: dict[str, list] = {code: [] for code in regios}
    for lid in (
        Lidmaatschap.objects.filter(regio__in=regios)
        .select_related("gemeente")
        .order_by("gemeente__naam")
    ):
        if lid.geldig_in(periode.begindatum, periode.einddatum) and lid.gemeente.bestaat_in(
            periode.begindatum, periode.einddatum
        ):
            per_regio[lid.regio_id].append(lid.gemeente)
    return per_regio


def _lokaal_veld(gemeenten: list[str], jaar: int) -> dict[str, dict]:
    """municipality -> its local field as recorded for the year (the latest record up to it)."""
    uitkomst: dict[str, dict] = {}
    for veld in LokaalVeld.objects.filter(gemeente__in=gemeenten, jaar__lte=jaar).order_by(
        "gemeente_id", "-jaar"
    ):
        uitkomst.setdefault(
            veld.gemeente_id,
            {
                "vorm": veld.get_vorm_display(),
                "coordinatie": veld.coordinatie,
                "jaar": veld.jaar,
                "bron": veld.bron,
            },
        )
    return uitkomst


def vergelijking(
    regio: Regio, periode: PeriodeCode, inzage: Inzage, risico: dict | None, cijfer_dict
) -> dict | None:
    """The chapter's data, or None for a region without subregions."""
    lezen, binnen, buiten = deelregios_binnen_bereik(inzage, regio)
    if not binnen and not buiten:
        return None
    indicatoren = {i.code: i for i in Indicator.objects.filter(code__in=KOLOMMEN)}
    kolommen = [c for c in KOLOMMEN if c in indicatoren]
    leden = _leden([r.code for r in binnen] + [regio.code], periode)
    gemeenten = sorted({g.cbs_code for r in binnen for g in leden[r.code]})
    antwoorden = cijfers(
        inzage=lezen,
        indicatoren=kolommen,
        gebieden=[r.code for r in binnen] + [regio.code] + gemeenten,
        perioden=[periode],
    )

    def waarden(gebied: str, welke=kolommen) -> list[dict]:
        """The columns' figures of an area, in column order."""
        return [cijfer_dict(antwoorden.get(c, gebied, periode), indicatoren[c]) for c in welke]

    per_gemeente = [c for c in GEMEENTE_KOLOMMEN if c in indicatoren]

    risico_per_gemeente = {r["gemeente"]: r for r in (risico or {}).get("rijen", [])}
    velden = _lokaal_veld(gemeenten, periode.jaar)
    in_regio = {g.cbs_code for g in leden[regio.code]}
    regios = []
    for deel in binnen:
        regios.append(
            {
                "code": deel.code,
                "naam": deel.naam,
                "centrumgemeente": deel.centrumgemeente.naam if deel.centrumgemeente else "",
                "aantal_gemeenten": len(leden[deel.code]),
                "cijfers": waarden(deel.code),
                "gemeenten": [
                    {
                        "code": g.cbs_code,
                        "naam": g.naam,
                        "cijfers": waarden(g.cbs_code, per_gemeente),
                        "risico": {
                            "klasse": risico_per_gemeente[g.cbs_code]["klasse"],
                            "rang": risico_per_gemeente[g.cbs_code]["rang"],
                        }
                        if g.cbs_code in risico_per_gemeente
                        else None,
                        "lokaal_veld": velden.get(g.cbs_code),
                        "buiten_regio": g.cbs_code not in in_regio,
                    }
                    for g in leden[deel.code]
                ],
            }
        )
    return {
        "kolommen": [
            {"code": c, "naam": indicatoren[c].naam, "eenheid": indicatoren[c].eenheid}
            for c in kolommen
        ],
        "gemeente_kolommen": [
            {"code": c, "naam": indicatoren[c].naam, "eenheid": indicatoren[c].eenheid}
            for c in per_gemeente
        ],
        "regio": {"code": regio.code, "naam": regio.naam, "cijfers": waarden(regio.code)},
        "regios": regios,
        "buiten_bereik": [r.naam for r in buiten],
        "buiten_regio": sorted(
            {g["naam"] for r in regios for g in r["gemeenten"] if g["buiten_regio"]}
        ),
    }
