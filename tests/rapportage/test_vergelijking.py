"""The comparison chapter of the yearly report: Rotterdam-Rijnmond's centrumgemeenteregio's side
by side, with the numbers the figure selector gives the same viewer, the local field as
recorded, and no subregion whose sum would reveal a municipality outside the viewer's reach."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from monitoring.models import Gegevenslevering, Waarneming
from monitoring.selectors import cijfers
from rapportage.choices import RapportSoort
from rapportage.selectors import rapportgegevens
from regioaanpak.choices import RegioSoort, RolSoort, WorkflowStatus
from regioaanpak.inzage import Inzage, inzage_van
from regioaanpak.models import LokaalVeld
from regioaanpak.models.organisaties import LokaalVeldVorm
from regioaanpak.selectors import deelregios_binnen_bereik
from tests.factories import (
    GebruikerFactory,
    GemeenteFactory,
    InwonertalFactory,
    LidmaatschapFactory,
    RegioaanpakFactory,
    RegioFactory,
    RolFactory,
    periode,
)

pytestmark = pytest.mark.django_db
JAAR = "2021JJ00"
KWARTALEN = [f"2021KW0{n}" for n in range(1, 5)]
# municipality: (name, inhabitants, meldingen per quarter, centrumgemeenteregio)
GEMEENTEN = {
    "GM0599": ("Rotterdam", 651_000, 900, "CG-ROT"),
    "GM0606": ("Schiedam", 79_000, 130, "CG-ROT"),
    "GM0622": ("Vlaardingen", 74_000, 81, "CG-VLA"),
    "GM1930": ("Nissewaard", 85_000, 150, "CG-NIS"),
    "GM1963": ("Hoeksche Waard", 88_000, 240, "CG-NIS"),  # in Zuid-Holland Zuid (VT24)
}


@pytest.fixture
def rijnmond(indicatoren):
    rr = RegioFactory(code="VT18", naam="Rotterdam-Rijnmond")
    zhz = RegioFactory(code="VT24", naam="Zuid-Holland Zuid")
    deel = {
        code: RegioFactory(
            code=code,
            naam=naam,
            soort=RegioSoort.CENTRUMGEMEENTEREGIO,
            cbs_code="",
            bovenliggende=rr,
        )
        for code, naam in [
            ("CG-ROT", "Centrumgemeenteregio Rotterdam"),
            ("CG-VLA", "Centrumgemeenteregio Vlaardingen"),
            ("CG-NIS", "Centrumgemeenteregio Nissewaard"),
        ]
    }
    for code, (naam, inwoners, meldingen, cg) in GEMEENTEN.items():
        gemeente = GemeenteFactory(cbs_code=code, naam=naam)
        LidmaatschapFactory(regio=zhz if code == "GM1963" else rr, gemeente=gemeente)
        LidmaatschapFactory(regio=deel[cg], gemeente=gemeente)
        InwonertalFactory(gemeente=gemeente, jaar=2021, aantal=inwoners)
        for kwartaal in KWARTALEN:
            Waarneming.objects.create(
                indicator_id="vt_meldingen",
                gemeente=gemeente,
                periode=periode(kwartaal),
                waarde=Decimal(meldingen),
            )
    for regio in (rr, zhz):
        for kwartaal in KWARTALEN:
            Gegevenslevering.objects.create(
                regio=regio,
                periode=periode(kwartaal),
                workflow_status=WorkflowStatus.GOEDGEKEURD,
                beoordeeld_op=timezone.now(),
            )
    RegioaanpakFactory(
        regio=rr,
        titel="Regionaal actieplan HGKM Rotterdam-Rijnmond",
        looptijd_van=dt.date(2019, 10, 1),
        looptijd_tot=dt.date(2021, 12, 31),
    )
    LokaalVeld.objects.create(
        gemeente_id="GM0606",
        jaar=2019,
        vorm=LokaalVeldVorm.WIJKTEAMS,
        coordinatie="het wijkteam, met het Veiligheidshuis",
        bron="Regiovisie 2018",
    )
    LokaalVeld.objects.create(
        gemeente_id="GM0606",
        jaar=2023,
        vorm=LokaalVeldVorm.INTEGRAAL_GEBIEDSTEAM,
        coordinatie="later",
    )
    return rr


def _persoon(*regios, rol=RolSoort.BELEIDSMEDEWERKER):
    gebruiker = GebruikerFactory()
    for regio in regios:
        RolFactory(gebruiker=gebruiker, regio_id=regio, rol=rol)
    return gebruiker


def _rij(vergelijking, code):
    return next(r for r in vergelijking["regios"] if r["code"] == code)


def test_deelregios_met_dezelfde_cijfers_als_de_cijferselector(rijnmond):
    beleid = _persoon("VT18", "VT24")
    gegevens = rapportgegevens(rijnmond, JAAR, RapportSoort.JAAR, inzage=inzage_van(beleid))
    v = gegevens["vergelijking"]
    assert [r["naam"] for r in v["regios"]] == [
        "Centrumgemeenteregio Nissewaard",
        "Centrumgemeenteregio Rotterdam",
        "Centrumgemeenteregio Vlaardingen",
    ]
    assert [k["code"] for k in v["kolommen"]][:2] == ["vt_meldingen", "vt_meldingen_per_1000"]
    rotterdam = _rij(v, "CG-ROT")
    # 4 quarters of (900 + 130) meldingen; 4.120 per 730.000 inhabitants.
    assert rotterdam["cijfers"][0]["tekst"] == "4.120"
    assert rotterdam["cijfers"][1]["tekst"] == "5,64"
    assert rotterdam["aantal_gemeenten"] == 2
    # The region itself: the same number its dashboard and the report's own chapter show.
    antwoord = cijfers(
        inzage=inzage_van(beleid), indicatoren=["vt_meldingen"], gebieden=["VT18"], perioden=[JAAR]
    ).get("vt_meldingen", "VT18", JAAR)
    assert Decimal(v["regio"]["cijfers"][0]["waarde"]) == antwoord.waarde
    assert gegevens["gemeenten"]["regio"]["meldingen"]["tekst"] == v["regio"]["cijfers"][0]["tekst"]
    assert v["regio"]["cijfers"][0]["tekst"] == "5.044"
    assert _rij(v, "CG-VLA")["cijfers"][0]["tekst"] == "324"
    # Hoeksche Waard is in the Nissewaard subregion but not in Rotterdam-Rijnmond.
    assert v["buiten_regio"] == ["Hoeksche Waard"]
    assert _rij(v, "CG-NIS")["cijfers"][0]["tekst"] == "1.560"
    # Per municipality: the rates, and the local field recorded up to the report's year.
    schiedam = next(g for g in rotterdam["gemeenten"] if g["code"] == "GM0606")
    assert schiedam["cijfers"][0]["tekst"] == "6,58"
    assert schiedam["lokaal_veld"] == {
        "vorm": "wijkteams (sociaal team)",
        "coordinatie": "het wijkteam, met het Veiligheidshuis",
        "jaar": 2019,
        "bron": "Regiovisie 2018",
    }
    assert next(g for g in rotterdam["gemeenten"] if g["code"] == "GM0599")["lokaal_veld"] is None


def test_deelregio_met_een_gemeente_buiten_bereik_wordt_niet_vergeleken(rijnmond):
    """Nissewaard's sum minus Nissewaard's own figure would be Hoeksche Waard's, a municipality
    of Zuid-Holland Zuid: a viewer of Rotterdam-Rijnmond alone does not get it."""
    alleen_rr = _persoon("VT18")
    v = rapportgegevens(rijnmond, JAAR, RapportSoort.JAAR, inzage=inzage_van(alleen_rr))[
        "vergelijking"
    ]
    assert [r["code"] for r in v["regios"]] == ["CG-ROT", "CG-VLA"]
    assert v["buiten_bereik"] == ["Centrumgemeenteregio Nissewaard"]
    assert "GM1963" not in {g["code"] for r in v["regios"] for g in r["gemeenten"]}
    # Reading the policy for the subregions adds nothing to what the viewer may write.
    breder, _binnen, _buiten = deelregios_binnen_bereik(inzage_van(alleen_rr), rijnmond)
    assert breder.mag_lezen("CG-ROT") and breder.is_ruw("CG-ROT")
    assert not breder.mag_schrijven("CG-ROT") and not breder.mag_lezen("CG-NIS")


def test_afgeschermde_editie_beschermt_ook_de_deelregios(rijnmond):
    v = rapportgegevens(rijnmond, JAAR, RapportSoort.JAAR, inzage=Inzage.afgeschermd_voor("VT18"))[
        "vergelijking"
    ]
    for rij in v["regios"]:
        aantal = rij["cijfers"][0]
        assert aantal["tekst"] == "." or Decimal(aantal["waarde"]) % 5 == 0, rij["code"]
    assert _rij(v, "CG-ROT")["cijfers"][0]["tekst"] == "4.120"
    assert _rij(v, "CG-VLA")["cijfers"][0]["tekst"] == "325"  # 324, rounded to fives


def test_regio_zonder_deelregios_heeft_geen_vergelijking(rijnmond):
    beleid = _persoon("VT24")
    zhz = rijnmond.__class__.objects.get(code="VT24")
    assert (
        rapportgegevens(zhz, JAAR, RapportSoort.JAAR, inzage=inzage_van(beleid))["vergelijking"]
        is None
    )


def test_deelregio_ruw_alleen_waar_elke_gemeente_ruw_is(rijnmond):
    """Raw in Rotterdam-Rijnmond but a partner in Zuid-Holland Zuid: Nissewaard's sum minus
    Nissewaard's own raw figure would be Hoeksche Waard's raw figure, which this viewer sees
    rounded only. So Nissewaard is compared, but disclosure-controlled, like Hoeksche Waard."""
    gemengd = _persoon("VT18")
    RolFactory(gebruiker=gemengd, regio_id="VT24", rol=RolSoort.PARTNER)
    beleid = inzage_van(gemengd)
    v = rapportgegevens(rijnmond, JAAR, RapportSoort.JAAR, inzage=beleid)["vergelijking"]
    nissewaard = _rij(v, "CG-NIS")
    assert nissewaard["cijfers"][0]["tekst"] == "1.560"  # (150 + 240) x 4, a multiple of 5
    hoeksche_waard = next(g for g in nissewaard["gemeenten"] if g["code"] == "GM1963")
    los = cijfers(
        inzage=beleid, indicatoren=["vt_meldingen_per_1000"], gebieden=["GM1963"], perioden=[JAAR]
    ).get("vt_meldingen_per_1000", "GM1963", JAAR)
    assert hoeksche_waard["cijfers"][0]["waarde"] == str(los.waarde)
    assert los.is_afgerond
    breder, _binnen, _buiten = deelregios_binnen_bereik(beleid, rijnmond)
    assert breder.mag_lezen("CG-NIS") and not breder.is_ruw("CG-NIS")
    assert breder.is_ruw("CG-ROT")
