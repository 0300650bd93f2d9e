"""Two sources, one rule: the region's own figures go before CBS StatLine's, CBS answers where
they give none (the country), every answer names its source, and the region can put the two
side by side."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command

from monitoring.choices import Bronkeuze
from monitoring.selectors.cbs_vergelijking import cbs_vergelijking
from monitoring.selectors.cijfers import cijfers
from monitoring.services import waarnemingen_importeer
from monitoring.services.cbs import cbs_importeer, lees_csv
from regioaanpak.choices import RegioSoort
from regioaanpak.inzage import Inzage, inzage_van
from regioaanpak.models import Regio
from tests.factories import LidmaatschapFactory, RegioFactory

pytestmark = pytest.mark.django_db
BRON = "CBS StatLine 84847NED"


@pytest.fixture
def land(cijferregios):
    """The country (NL01) with the three municipalities of the test set as its members."""
    nl = RegioFactory(code="NL01", naam="Nederland", soort=RegioSoort.LAND)
    for code in ("GM0505", "GM0642", "GM0268"):
        LidmaatschapFactory(regio=nl, gemeente_id=code)
    call_command("loaddata", str(settings.BASE_DIR / "fixtures/cbs_koppelingen.yaml"), verbosity=0)
    return nl


def _cbs(*rijen):
    """Store CBS figures through the CBS import's own path (cbs=True)."""
    resultaat = waarnemingen_importeer(
        rijen=[
            {
                "indicator": i,
                "gebied": g,
                "periode": p,
                "waarde": w,
                "bron": BRON,
                "__regel__": str(n),
            }
            for n, (i, g, p, w) in enumerate(rijen, start=1)
        ],
        cbs=True,
    )
    assert not resultaat.fouten, resultaat.fouten
    assert resultaat.opgeslagen


def _een(inzage, indicator, gebied, periode, bronkeuze=Bronkeuze.VOORRANG):
    return cijfers(
        inzage=inzage,
        indicatoren=[indicator],
        gebieden=[gebied],
        perioden=[periode],
        bronkeuze=bronkeuze,
    ).get(indicator, gebied, periode)


def test_eigen_kwartalen_gaan_voor_het_halfjaar_van_cbs(land):
    # Dordrecht 2021: own quarters 412 + 398 = 810; CBS published 805 for the half-year.
    _cbs(("vt_meldingen", "GM0505", "2021HJ01", "805"), ("vt_meldingen", "VT24", "2021HJ01", "930"))
    for gebied, eigen in (("GM0505", 810), ("VT24", 810 + 118 + 121)):
        antwoord = _een(Inzage.alles(), "vt_meldingen", gebied, "2021HJ01")
        assert antwoord.waarde == eigen
        assert "Veilig Thuis ZHZ" in antwoord.bronnen and BRON not in antwoord.bronnen
    cbs = _een(Inzage.alles(), "vt_meldingen", "GM0505", "2021HJ01", Bronkeuze.CBS)
    assert cbs.waarde == 805 and cbs.bronnen == (BRON,)


def test_cbs_antwoordt_waar_de_eigen_cijfers_niets_zeggen(land, cijferregios):
    # Nijmegen has no second quarter: the country's half-year cannot be added up.
    _cbs(
        ("vt_meldingen", "NL01", "2021HJ01", "64380"),
        ("vt_meldingen_per_1000", "NL01", "2021HJ01", "3,6"),
    )
    partner = inzage_van(cijferregios["partner"])
    assert _een(Inzage.alles(), "vt_meldingen", "NL01", "2021HJ01", Bronkeuze.EIGEN).waarde is None
    for inzage in (Inzage.alles(), partner):
        antwoord = _een(inzage, "vt_meldingen", "NL01", "2021HJ01")
        assert antwoord.waarde == 64380 and antwoord.bronnen == (BRON,)
    # The monitor has no population of the whole country here: CBS's own rate answers.
    rate = _een(partner, "vt_meldingen_per_1000", "NL01", "2021HJ01")
    assert rate.waarde == Decimal("3.6") and rate.bronnen == (BRON,)
    # A quarter the country has its own figures for is added up from them, not from CBS.
    kwartaal = _een(Inzage.alles(), "vt_meldingen", "NL01", "2021KW01")
    assert kwartaal.waarde == 412 + 118 + 530 and BRON not in kwartaal.bronnen


def test_cbs_import_overschrijft_geen_eigen_cijfer(land):
    waarnemingen_importeer(
        rijen=[
            {
                "indicator": "vt_meldingen",
                "gebied": "GM0505",
                "periode": "2021HJ01",
                "waarde": "810",
                "bron": "Veilig Thuis ZHZ",
                "__regel__": "1",
            }
        ]
    )
    tabel = lees_csv("RegioS;Perioden;Meldingen_2\nGM0505;2021HJ01;805\nVT24;2021HJ01;930\n")
    uitkomst = cbs_importeer("84847NED", tabel)
    assert not uitkomst.resultaat.fouten
    assert uitkomst.overgeslagen
    assert any("eigen cijfers gaan voor" in k for k in uitkomst.overgeslagen)
    assert _een(Inzage.alles(), "vt_meldingen", "GM0505", "2021HJ01", Bronkeuze.EIGEN).waarde == 810
    assert _een(Inzage.alles(), "vt_meldingen", "VT24", "2021HJ01", Bronkeuze.CBS).waarde == 930


def test_een_andere_aanlevering_mag_zich_niet_als_cbs_voordoen(cijferregios, api_token, api):
    client = api(api_token(cijferregios["partner"], ["VT24"], scope="schrijven"))
    antwoord = client.post(
        "/api/v1/waarnemingen/import/",
        [
            {
                "indicator": "vt_meldingen",
                "gebied": "GM0505",
                "periode": "2021KW03",
                "waarde": 5,
                "bron": "CBS StatLine 84847NED",
            },
            {
                "indicator": "vt_meldingen_per_1000",
                "gebied": "GM0505",
                "periode": "2021KW03",
                "waarde": 5,
            },
        ],
        format="json",
    )
    assert antwoord.status_code == 400
    fouten = {(f["regel"], f["veld"]): f["reden"] for f in antwoord.json()["fouten"]}
    assert "voorbehouden aan de import van CBS StatLine" in fouten[(1, "bron")]
    assert (2, "indicator") in fouten


def test_vergelijking_eigen_en_cbs(land, cijferregios):
    _cbs(
        ("vt_meldingen", "GM0505", "2021HJ01", "760"),  # 810 own: 50 more, 6,6%
        ("vt_meldingen", "GM0642", "2021HJ01", "240"),  # 239 own: rounding
        ("vt_meldingen", "GM0268", "2021HJ01", "1000"),  # VT06: not this region
    )
    vergelijking = cbs_vergelijking(Regio.objects.get(code="VT24"), inzage=Inzage.alles())
    rijen = {(r.gebied, r.indicator.code): r for r in vergelijking.rijen}
    dordrecht = rijen[("GM0505", "vt_meldingen")]
    assert (dordrecht.eigen.waarde, dordrecht.cbs.waarde, dordrecht.verschil) == (810, 760, 50)
    assert dordrecht.opvallend
    zwijndrecht = rijen[("GM0642", "vt_meldingen")]
    assert zwijndrecht.verschil == -1 and not zwijndrecht.opvallend
    assert "GM0268" not in {g for g, _i in rijen}
    assert vergelijking.tabellen == [BRON]


def test_vergelijkingspagina_voor_de_regio_en_niet_daarbuiten(land, cijferregios, client):
    _cbs(("vt_meldingen", "GM0505", "2021HJ01", "760"))
    client.force_login(cijferregios["partner"])
    pagina = client.get("/regio/VT24/cbs/")
    assert pagina.status_code == 200
    html = pagina.content.decode()
    assert 'data-gebied="GM0505"' in html and "opvallend" in html
    assert "810" in html and "760" in html  # the partner sees 810 (rounded, a multiple of 5)
    assert client.get("/regio/VT06/cbs/").status_code in (403, 404)


def test_tegel_van_een_kwartaal_toont_nederland_in_het_halfjaar_van_cbs(land, cijferregios):
    from monitoring.dashboard_views import kerncijfertegel
    from monitoring.selectors.dashboard import regiodashboard

    _cbs(
        ("vt_meldingen", "NL01", "2021HJ01", "64380"),
        ("vt_meldingen_per_1000", "NL01", "2021HJ01", "3,6"),
    )
    dashboard = regiodashboard(
        Regio.objects.get(code="VT24"), "2021KW02", inzage=inzage_van(cijferregios["beleid"])
    )
    kern = next(k for k in dashboard.kerncijfers if k.indicator.code == "vt_meldingen")
    assert kern.landelijk_halfjaar.waarde == Decimal("3.6")
    tegel = kerncijfertegel(kern, naam="Zuid-Holland Zuid")
    regel = next(r for r in tegel.regels if r.startswith("Nederland"))
    assert regel.startswith("Nederland, 1e halfjaar 2021: 3,60 per 1.000 inwoners")
    assert f"({BRON})" in regel and "Zuid-Holland Zuid in dat halfjaar:" in regel


def test_tegel_toont_het_laatst_gepubliceerde_halfjaar_als_cbs_het_eigen_nog_niet_heeft(
    land, cijferregios
):
    """CBS publishes a half-year months after it ends: on the latest quarter the tile shows the
    newest half-year CBS has, says which half-year has no figure yet, and puts the region's
    own rate in that half-year next to it; not one further back than two half-years."""
    from monitoring.dashboard_views import kerncijfertegel
    from monitoring.selectors.dashboard import regiodashboard

    _cbs(
        ("vt_meldingen", "NL01", "2021HJ01", "64380"),
        ("vt_meldingen_per_1000", "NL01", "2021HJ01", "3,6"),
    )
    inzage = inzage_van(cijferregios["beleid"])

    def regel(kwartaal: str) -> str:
        dashboard = regiodashboard(Regio.objects.get(code="VT24"), kwartaal, inzage=inzage)
        kern = next(k for k in dashboard.kerncijfers if k.indicator.code == "vt_meldingen")
        tegel = kerncijfertegel(kern, naam="Zuid-Holland Zuid")
        return next(r for r in tegel.regels if r.startswith("Nederland"))

    # 2021KW03 lies in 2021HJ02, which CBS has not published here.
    later = regel("2021KW03")
    assert later.startswith(
        "Nederland, 1e halfjaar 2021 (2e halfjaar 2021: nog geen cijfer): 3,60 per 1.000 inwoners"
    )
    assert "Zuid-Holland Zuid in dat halfjaar:" in later
    # Its own half-year: no remark.
    assert regel("2021KW02").startswith("Nederland, 1e halfjaar 2021: 3,60")
    # Three half-years on, 2021HJ01 is too old to stand next to the quarter.
    assert regel("2022KW03") == "Nederland: geen gegevens"
