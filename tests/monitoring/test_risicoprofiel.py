"""Risk profile and signalling analysis (seed 004, appendix 2): z-scores, sums, missing values,
classes, the regression and its flags, and the import of risk factors."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from monitoring.models import Risicofactorwaarde
from monitoring.selectors.risicoprofiel import (
    GEMIDDELD,
    HOOG,
    LAAG,
    MEER,
    MINDER,
    ONVOLDOENDE,
    risicoprofiel,
    signalering,
)
from monitoring.services.risicofactoren import risicofactoren_importeer
from tests.factories import GemeenteFactory, LidmaatschapFactory, RegioFactory

pytestmark = pytest.mark.django_db

RIJNMOND = [
    ("GM0530", "Hellevoetsluis"),
    ("GM0556", "Maassluis"),
    ("GM1621", "Lansingerland"),
    ("GM0542", "Krimpen aan den IJssel"),
    ("GM0501", "Brielle"),
    ("GM0614", "Westvoorne"),
    ("GM1924", "Goeree-Overflakkee"),
    ("GM0502", "Capelle aan den IJssel"),
    ("GM0597", "Ridderkerk"),
    ("GM0606", "Schiedam"),
    ("GM0622", "Vlaardingen"),
    ("GM0613", "Albrandswaard"),
    ("GM0489", "Barendrecht"),
    ("GM0599", "Rotterdam"),
    ("GM1930", "Nissewaard"),
    ("GM0603", "Rijswijk"),
]


@pytest.fixture
def rijnmond():
    regio = RegioFactory(code="VT18", naam="Rotterdam-Rijnmond")
    for code, naam in RIJNMOND:
        LidmaatschapFactory(regio=regio, gemeente=GemeenteFactory(cbs_code=code, naam=naam))
    return regio


def _zet(regio, factor, richting, waarden: dict[str, float | None], bron="CBS StatLine"):
    for code, waarde in waarden.items():
        Risicofactorwaarde.objects.create(
            regio=regio,
            gemeente_id=code,
            factor=factor,
            peiljaar=2019,
            waarde=None if waarde is None else Decimal(str(waarde)),
            richting=richting,
            bron=bron,
        )


def test_z_scores_en_som_met_de_hand_nagerekend(rijnmond):
    vier = ["GM0530", "GM0556", "GM1621", "GM0542"]
    _zet(rijnmond, "Werkloosheidspercentage", 1, dict(zip(vier, [2, 4, 6, 8], strict=True)))
    # WOZ-waarde: lower is more risk (direction -1).
    _zet(rijnmond, "WOZ-waarde", -1, dict(zip(vier, [300, 200, 250, 250], strict=True)))
    profiel = risicoprofiel(rijnmond)

    werkloos = next(f for f in profiel.factoren if f.naam == "Werkloosheidspercentage")
    assert werkloos.gemiddelde == Decimal("5.00")
    assert werkloos.standaarddeviatie == pytest.approx(math.sqrt(5))  # population sd
    assert werkloos.cellen["GM0530"].z == pytest.approx(-3 / math.sqrt(5), abs=1e-4)
    woz = next(f for f in profiel.factoren if f.naam == "WOZ-waarde")
    assert woz.cellen["GM0530"].z == pytest.approx(-50 / math.sqrt(1250), abs=1e-4)  # 300: -1,41
    assert woz.cellen["GM0556"].z == pytest.approx(50 / math.sqrt(1250), abs=1e-4)  # 200: +1,41

    scores = {s.gemeente: s for s in profiel.scores}
    assert scores["GM0530"].score == pytest.approx(-1.3416 - 1.4142, abs=1e-3)
    assert scores["GM0556"].score == pytest.approx(-0.4472 + 1.4142, abs=1e-3)
    assert scores["GM1621"].score == pytest.approx(0.4472, abs=1e-3)
    assert scores["GM0542"].score == pytest.approx(1.3416, abs=1e-3)
    assert [s.gemeente for s in profiel.scores] == ["GM0542", "GM0556", "GM1621", "GM0530"]
    assert [s.rang for s in profiel.scores] == [1, 2, 3, 4]
    assert [s.klasse for s in profiel.scores] == [HOOG, GEMIDDELD, GEMIDDELD, LAAG]


def test_ontbrekende_waarden_tellen_niet_mee_en_te_weinig_geeft_onvoldoende(rijnmond):
    _zet(rijnmond, "Werkloosheidspercentage", 1, {"GM0530": 2, "GM0556": 4, "GM1621": 6})
    _zet(rijnmond, "Eenoudergezinnen", 1, {"GM0530": 10, "GM0556": 14, "GM1621": None})
    _zet(rijnmond, "Bijstand", 1, {"GM0530": 3, "GM0556": 5, "GM1621": 7, "GM0542": 9})
    profiel = risicoprofiel(rijnmond)
    scores = {s.gemeente: s for s in profiel.scores}
    # Lansingerland: 2 of 3 factors (its Eenoudergezinnen is empty): summed over those two.
    assert scores["GM1621"].aantal_factoren == 2
    werkloos = next(f for f in profiel.factoren if f.naam == "Werkloosheidspercentage")
    bijstand = next(f for f in profiel.factoren if f.naam == "Bijstand")
    verwacht = werkloos.cellen["GM1621"].z + bijstand.cellen["GM1621"].z
    assert scores["GM1621"].score == pytest.approx(verwacht, abs=1e-4)
    # The mean of Eenoudergezinnen rests on the municipalities with a value only.
    eenouder = next(f for f in profiel.factoren if f.naam == "Eenoudergezinnen")
    assert eenouder.gemiddelde == Decimal("12.00")
    # Krimpen: 1 of 3 factors, fewer than half: no rank, "onvoldoende gegevens".
    assert scores["GM0542"].aantal_factoren == 1
    assert scores["GM0542"].klasse == ONVOLDOENDE and scores["GM0542"].rang is None
    assert profiel.scores[-1].gemeente == "GM0542"


@pytest.mark.parametrize(("aantal", "hoog", "laag"), [(16, 5, 5), (7, 2, 2)])
def test_klassen_in_derden(rijnmond, aantal, hoog, laag):
    codes = [code for code, _naam in RIJNMOND[:aantal]]
    _zet(rijnmond, "Werkloosheidspercentage", 1, {c: i for i, c in enumerate(codes)})
    klassen = [s.klasse for s in risicoprofiel(rijnmond).scores]
    assert klassen == [HOOG] * hoog + [GEMIDDELD] * (aantal - hoog - laag) + [LAAG] * laag


def test_markeringen_naar_de_z_score_en_het_risico(rijnmond):
    """Mean 7, population sd sqrt(5) = 2,24: 10 and 4 lie 1,34 sd away, 8 and 6 only 0,45."""
    _zet(
        rijnmond,
        "Werkloosheidspercentage",
        1,
        {"GM0530": 10, "GM0556": 4, "GM1621": 8, "GM0542": 6},
    )
    cellen = risicoprofiel(rijnmond).factoren[0].cellen
    assert cellen["GM0530"].boven_gemiddelde and cellen["GM0530"].markering == HOOG
    assert not cellen["GM0556"].boven_gemiddelde and cellen["GM0556"].markering == LAAG
    assert cellen["GM1621"].boven_gemiddelde and cellen["GM1621"].markering == ""
    assert not cellen["GM0542"].boven_gemiddelde and cellen["GM0542"].markering == ""


def test_woz_in_duizenden_euro_markeert_alleen_wie_ver_afwijkt_en_laag_is_risico(rijnmond):
    """A factor in thousands of euros: a difference of 3 is nothing; the z-score decides. Lower
    WOZ means more risk (richting -1): the low value is marked as more risk."""
    waarden = {"GM0530": 180, "GM0556": 260, "GM1621": 250, "GM0542": 255, "GM0599": 257}
    _zet(rijnmond, "WOZ-waarde", -1, waarden)
    cellen = risicoprofiel(rijnmond).factoren[0].cellen
    assert cellen["GM0530"].markering == HOOG and not cellen["GM0530"].boven_gemiddelde
    assert [c for c in cellen if cellen[c].markering] == ["GM0530"]


def test_regressie_met_een_uitschieter_naar_elke_kant(rijnmond):
    codes = [code for code, _naam in RIJNMOND[:10]]
    _zet(rijnmond, "Werkloosheidspercentage", 1, {c: i for i, c in enumerate(codes)})
    profiel = risicoprofiel(rijnmond)
    meldingen = {s.gemeente: Decimal(str(round(20 + 2 * s.score, 2))) for s in profiel.scores}
    meldingen[codes[2]] += 4  # many more reports than its risk predicts
    meldingen[codes[7]] -= 4  # many fewer
    uitkomst = signalering(profiel, meldingen)
    # The two outliers pull the slope of 2 down by 4 * (z2 - z7) / sum(z^2) = -20 / (10 * sd).
    assert uitkomst.helling == pytest.approx(2 - 20 / (10 * math.sqrt(8.25)), abs=0.01)
    oordelen = {s.gemeente: s.oordeel for s in uitkomst.signalen}
    assert oordelen.pop(codes[2]) == MEER
    assert oordelen.pop(codes[7]) == MINDER
    assert set(oordelen.values()) == {""}
    signaal = uitkomst.signaal(codes[2])
    assert signaal.verschil == pytest.approx(
        float(signaal.meldingen_per_1000) - signaal.verwacht, abs=1e-3
    )
    assert signaal.residu >= 1.5


def test_signalering_met_te_weinig_gemeenten(rijnmond):
    _zet(rijnmond, "Werkloosheidspercentage", 1, {"GM0530": 2, "GM0556": 4})
    uitkomst = signalering(risicoprofiel(rijnmond), {"GM0530": Decimal(3), "GM0556": Decimal(4)})
    assert uitkomst.signalen == [] and "Te weinig gemeenten" in uitkomst.melding


GOED = (
    "gemeente;factor;waarde;richting;bron;peiljaar\n"
    "GM0530;Werkloosheidspercentage;4,2;1;CBS StatLine;2019\n"
    "GM0556;Werkloosheidspercentage;3,1;1;CBS StatLine;2019\n"
    "GM0530;WOZ-waarde;228;-1;CBS StatLine;2019\n"
    "GM0556;WOZ-waarde;;-1;CBS StatLine;2019\n"
)


def test_import_alles_of_niets(rijnmond):
    GemeenteFactory(cbs_code="GM0268", naam="Nijmegen")
    fout = GOED + (
        "GM9998;Bijstand;2;1;;2019\n"
        "GM0268;Bijstand;2;1;;2019\n"
        "GM0530;Bijstand;veel;1;;2019\n"
        "GM0556;Bijstand;2;2;;2019\n"
    )
    resultaat = risicofactoren_importeer(regio=rijnmond, inhoud=fout.encode())
    assert not resultaat.opgeslagen
    berichten = {(f.regel, f.kolom): f.reden for f in resultaat.fouten}
    assert "'GM9998' is geen bekende gemeente" in berichten[(6, "gemeente")]
    assert "Nijmegen (GM0268) hoort niet bij Rotterdam-Rijnmond" in berichten[(7, "gemeente")]
    assert "'veel' is geen getal" in berichten[(8, "waarde")]
    assert "'2' is geen richting" in berichten[(9, "richting")]
    assert not Risicofactorwaarde.objects.exists()

    resultaat = risicofactoren_importeer(regio=rijnmond, inhoud=GOED.encode())
    assert resultaat.opgeslagen and resultaat.tel("nieuw") == 4
    assert Risicofactorwaarde.objects.get(gemeente_id="GM0556", factor="WOZ-waarde").waarde is None
    assert Risicofactorwaarde.objects.get(
        gemeente_id="GM0530", factor="Werkloosheidspercentage"
    ).waarde == Decimal("4.2")
    opnieuw = risicofactoren_importeer(regio=rijnmond, inhoud=GOED.encode())
    assert opnieuw.tel("ongewijzigd") == 4


def test_import_een_factor_heeft_een_richting(rijnmond):
    tekst = GOED + "GM0542;WOZ-waarde;240;1;CBS StatLine;2019\n"
    resultaat = risicofactoren_importeer(regio=rijnmond, inhoud=tekst)
    assert [(f.regel, f.kolom) for f in resultaat.fouten] == [(6, "richting")]
    assert "op regel 4 de richting -1" in resultaat.fouten[0].reden
