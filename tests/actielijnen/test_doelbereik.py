"""Steering on outcome: Rotterdam-Rijnmond's goal tree from seed 004, effect indicators with
baseline and threshold, the verdict at its edges, yearly judgements through the workflow, and
the same numbers on the page, the dashboard and in the API as the figure selector gives."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command

from actielijnen.doelbereik import (
    BEREIKT,
    GEEN_DREMPEL,
    GEEN_GEGEVENS,
    GEHEIM,
    HOGER,
    LAGER,
    NIET_OP_KOERS,
    NOG_NIET,
    OP_WEG,
    doelbereik,
    oordeel_over,
)
from actielijnen.models import Effectindicator, Effectoordeel, Impact, StrategischDoel
from actielijnen.oordelen import effectoordeel_opslaan
from monitoring.choices import WaarnemingStatus
from monitoring.selectors.cijfers import Cijfer, cijfer
from regioaanpak.choices import RolSoort, WorkflowStatus
from regioaanpak.inzage import inzage_van
from regioaanpak.perioden import PeriodeCode
from regioaanpak.workflow import WorkflowFout, workflow_overgang
from tests.factories import GebruikerFactory, RegioaanpakFactory, RolFactory, periode

pytestmark = pytest.mark.django_db
FIXTURES = settings.BASE_DIR / "fixtures"


def _cijfer(waarde, status=WaarnemingStatus.DEFINITIEF) -> Cijfer:
    return Cijfer("x", "VT24", "2021JJ00", None if waarde is None else Decimal(waarde), status)


# -- the verdict at its edges ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("richting", "laatste", "drempel", "nulmeting", "verwacht"),
    [
        (HOGER, "90", "90", "85", BEREIKT),  # exactly at the threshold counts
        (HOGER, "89.99", "90", "85", OP_WEG),
        (HOGER, "84", "90", "85", NIET_OP_KOERS),
        (HOGER, "85", "90", "85", NIET_OP_KOERS),  # equal to the baseline is no progress
        (LAGER, "30", "30", "40", BEREIKT),  # lower is better: at the threshold counts
        (LAGER, "29", "30", "40", BEREIKT),
        (LAGER, "31", "30", "40", OP_WEG),
        (LAGER, "41", "30", "40", NIET_OP_KOERS),
        (HOGER, "80", "90", None, NOG_NIET),  # baseline still to be decided
        (HOGER, "95", "90", None, BEREIKT),
        (HOGER, "95", None, "85", GEEN_DREMPEL),
        (HOGER, "95", None, None, GEEN_DREMPEL),
    ],
)
def test_oordeel_aan_de_randen(richting, laatste, drempel, nulmeting, verwacht):
    uitkomst = oordeel_over(
        richting=richting,
        laatste=_cijfer(laatste),
        drempel=None if drempel is None else Decimal(drempel),
        nulmeting=None if nulmeting is None else Decimal(nulmeting),
    )
    assert uitkomst.code == verwacht
    assert uitkomst.tekst  # a plain Dutch verdict


def test_oordeel_zonder_of_met_geheim_laatste_cijfer():
    geheim = _cijfer(None, WaarnemingStatus.GEHEIM)
    assert oordeel_over(
        richting=HOGER, laatste=geheim, drempel=Decimal(90), nulmeting=None
    ).code == (GEHEIM)
    leeg = oordeel_over(
        richting=HOGER, laatste=_cijfer(None, None), drempel=Decimal(90), nulmeting=None
    )
    assert leeg.code == GEEN_GEGEVENS
    assert oordeel_over(richting=HOGER, laatste=None, drempel=None, nulmeting=None).code == (
        GEEN_GEGEVENS
    )


# -- Rotterdam-Rijnmond's goal tree from seed 004 ----------------------------------------
@pytest.fixture
def seed(db):
    for naam in ("gebieden.json", "indicatoren.yaml", "regioaanpak_rr.yaml"):
        call_command("loaddata", str(FIXTURES / naam), verbosity=0)


def test_doelenboom_rotterdam_rijnmond_uit_de_regiovisie(seed):
    impacts = list(Impact.objects.filter(regioaanpak__regio_id="VT18").order_by("nummer"))
    assert [i.titel for i in impacts] == [
        "Huiselijk geweld en kindermishandeling is eerder en beter in beeld",
        "Het geweld stopt en de cirkel van geweld wordt duurzaam doorbroken",
        "Alle doelgroepen zijn in beeld en krijgen effectieve hulp",
    ]
    doelen = {d.nummer: d for d in StrategischDoel.objects.filter(impact__in=impacts)}
    assert sorted(doelen) == [1, 2, 3, 4]
    assert doelen[2].impact.nummer == 1 and doelen[3].impact.nummer == 2
    assert {a.nummer for a in doelen[2].actielijnen.all()} == {1, 3}
    assert {a.nummer for a in doelen[3].actielijnen.all()} == {2, 3}
    assert not doelen[1].actielijnen.exists() and not doelen[4].actielijnen.exists()
    tijdig = Effectindicator.objects.get(doel=doelen[2])
    assert tijdig.indicator_id == "vt_veiligheidsbeoordeling_tijdig"
    assert (tijdig.nulmeting_periode_id, tijdig.drempel, tijdig.richting) == (
        "2019JJ00",
        Decimal(90),
        HOGER,
    )
    herhaling = Effectindicator.objects.get(doel=doelen[3])
    assert herhaling.richting == LAGER and herhaling.drempel is None  # still to be set


# -- numbers from the one selector, under the viewer policy ---------------------------------------
@pytest.fixture
def boom(cijferregios):
    """Zuid-Holland Zuid with one goal and an effect on the meldingen of 2021 (quarters)."""
    aanpak = RegioaanpakFactory(
        regio=cijferregios["zhz"],
        looptijd_van=dt.date(2020, 1, 1),
        looptijd_tot=dt.date(2022, 12, 31),
    )
    impact = Impact.objects.create(regioaanpak=aanpak, nummer=1, titel="Eerder in beeld")
    doel = StrategischDoel.objects.create(impact=impact, nummer=1, titel="Snelle opvolging")
    Effectindicator.objects.create(
        doel=doel,
        beoogd_effect="Meer meldingen in Dordrecht en Zwijndrecht",
        indicator_id="vt_meldingen",
        richting=HOGER,
        nulmeting_periode=periode("2021KW01"),
        drempel=Decimal(520),
    )
    return aanpak, doel


def test_cijfers_komen_uit_de_cijferselector_met_het_inzagebeleid(boom, cijferregios):
    aanpak, _doel = boom
    for wie, verwacht in (("beleid", Decimal(519)), ("partner", Decimal(520))):
        beleid = inzage_van(cijferregios[wie])
        stand = doelbereik(aanpak, inzage=beleid, tot=PeriodeCode.parse("2021KW02")).impacts[0]
        effect = stand.doelen[0].effecten[0]
        assert effect.laatste_periode.code == "2021KW02"
        zelfde = cijfer("vt_meldingen", "VT24", "2021KW02", inzage=beleid)
        assert effect.laatste.waarde == zelfde.waarde == verwacht  # 398 + 121, a partner: 520
        assert effect.nulmeting == cijfer("vt_meldingen", "VT24", "2021KW01", inzage=beleid).waarde
    # 519 is just under the threshold of 520; rounded for a partner it reaches it exactly.
    intern = doelbereik(
        aanpak, inzage=inzage_van(cijferregios["beleid"]), tot=PeriodeCode.parse("2021KW02")
    )
    assert intern.impacts[0].doelen[0].effecten[0].verdict.code == NIET_OP_KOERS  # 530 -> 519
    partner = doelbereik(
        aanpak, inzage=inzage_van(cijferregios["partner"]), tot=PeriodeCode.parse("2021KW02")
    )
    assert partner.impacts[0].doelen[0].effecten[0].verdict.code == BEREIKT


# -- yearly judgements through the workflow --------------------------------------------------------
def test_oordeel_door_de_beleidsmedewerker_met_vier_ogen(boom, cijferregios):
    aanpak, doel = boom
    beleid = cijferregios["beleid"]
    with pytest.raises(ValidationError) as fout:
        effectoordeel_opslaan(
            gebruiker=beleid, doel=doel, jaar=2021, oordeel="deels", motivering=" "
        )
    assert "Motiveer" in str(fout.value)
    with pytest.raises(WorkflowFout):
        effectoordeel_opslaan(
            gebruiker=cijferregios["partner"], doel=doel, jaar=2021, oordeel="deels", motivering="x"
        )
    oordeel = effectoordeel_opslaan(
        gebruiker=beleid,
        doel=doel,
        jaar=2021,
        oordeel="deels",
        motivering="De samenwerking met het lokale veld is verbeterd, de doorlooptijd nog niet.",
    )
    assert oordeel.workflow_status == WorkflowStatus.CONCEPT
    workflow_overgang(obj=oordeel, naar=WorkflowStatus.INGEDIEND, gebruiker=beleid)

    def zichtbaar(wie):
        stand = doelbereik(
            aanpak, inzage=inzage_van(cijferregios[wie]), tot=PeriodeCode.parse("2021KW02")
        )
        return [o.jaar for o in stand.impacts[0].doelen[0].oordelen]

    assert zichtbaar("partner") == []  # submitted, not approved yet
    assert zichtbaar("beleid") == [2021]  # who reviews sees it
    with pytest.raises(WorkflowFout):  # four eyes: not one's own
        workflow_overgang(obj=oordeel, naar=WorkflowStatus.GOEDGEKEURD, gebruiker=beleid)
    tweede = GebruikerFactory(username="bea-beheer")
    RolFactory(gebruiker=tweede, regio=cijferregios["zhz"], rol=RolSoort.BEHEERDER)
    workflow_overgang(obj=oordeel, naar=WorkflowStatus.GOEDGEKEURD, gebruiker=tweede)
    assert zichtbaar("partner") == [2021]
    with pytest.raises(WorkflowFout):  # approved: no longer changed
        effectoordeel_opslaan(
            gebruiker=beleid, doel=doel, jaar=2021, oordeel="bereikt", motivering="x"
        )
    assert Effectoordeel.objects.get().oordeel == "deels"


# -- where people look: the page, the dashboard, the API -------------------------------------------
def test_pagina_dashboard_en_api_tonen_hetzelfde(boom, cijferregios, client, api_token, api):
    aanpak, _doel = boom
    client.force_login(cijferregios["partner"])
    pagina = client.get("/regio/VT24/doelbereik/")
    assert pagina.status_code == 200
    html = pagina.content.decode()
    assert "Strategisch doel 1: Snelle opvolging" in html and 'data-verdict="' in html
    dashboard = client.get("/regio/VT24/dashboard/?periode=2021KW02").content.decode()
    assert "data-doelbereik" in dashboard and "Meer meldingen in Dordrecht" in dashboard
    assert client.get("/regio/VT06/doelbereik/").status_code in (403, 404)

    token = api_token(cijferregios["partner"], ["VT24"])
    data = api(token).get(f"/api/v1/regioaanpakken/{aanpak.pk}/doelbereik/").json()
    effect = data["impacts"][0]["doelen"][0]["effecten"][0]
    partner = inzage_van(cijferregios["partner"])
    assert effect["laatste"]["periode"] == "2021KW02"  # the newest quarter with figures
    assert (
        effect["laatste"]["waarde"]
        == cijfer("vt_meldingen", "VT24", "2021KW02", inzage=partner).waarde
    )
    assert effect["laatste"]["waarde"] == 520 and effect["oordeel"] == BEREIKT
    assert effect["nulmeting"] == cijfer("vt_meldingen", "VT24", "2021KW01", inzage=partner).waarde
    anders = api_token(cijferregios["partner_gz"], ["VT06"])
    assert api(anders).get(f"/api/v1/regioaanpakken/{aanpak.pk}/doelbereik/").status_code == 404


def test_halfjaarrapportage_heeft_een_hoofdstuk_doelbereik(boom, cijferregios):
    from actielijnen.weergave import effectregel
    from rapportage.selectors import rapportgegevens

    aanpak, _doel = boom
    beleid = inzage_van(cijferregios["partner"])
    gegevens = rapportgegevens(cijferregios["zhz"], "2021HJ01", "halfjaar", inzage=beleid)
    hoofdstuk = gegevens["doelbereik"]
    assert hoofdstuk[0]["doel"] == "Strategisch doel 1: Snelle opvolging"
    effect = hoofdstuk[0]["effecten"][0]
    stand = doelbereik(aanpak, inzage=beleid, tot=PeriodeCode.parse("2021HJ01"))
    zoals_de_pagina = effectregel(stand.impacts[0].doelen[0].effecten[0])
    assert effect["laatste"] == zoals_de_pagina["laatste"] == "520 (2e kwartaal 2021)"
    assert effect["verdict"] == "voldoende bereikt"


def test_jaarrapportage_en_midterm_halverwege_de_looptijd(boom, cijferregios, client):
    from rapportage.forms import rapportperioden
    from rapportage.selectors import rapportgegevens

    _aanpak, _doel = boom  # looptijd 2020-2022: halverwege op 1 juli 2021
    assert "2021JJ00" in {p.code for p in rapportperioden(cijferregios["zhz"])}
    beleid = inzage_van(cijferregios["beleid"])
    jaar = rapportgegevens(cijferregios["zhz"], "2021JJ00", "jaar", inzage=beleid)
    assert jaar["soort_label"] == "jaarrapportage" and jaar["trend_perioden"] == "jaren"
    assert jaar["doelbereik"][0]["effecten"][0]["laatste"].endswith("(2e kwartaal 2021)")
    assert jaar["halverwege"]["midden"] == "1 juli 2021"
    assert jaar["halverwege"]["effecten"] == 1
    eerder = rapportgegevens(cijferregios["zhz"], "2021HJ01", "halfjaar", inzage=beleid)
    assert eerder["halverwege"] is None  # the middle lies in the second half-year
    client.force_login(cijferregios["beleid"])
    html = client.get("/rapportage/VT24/2021JJ00/jaar/").content.decode()
    assert "Midtermrapportage: halverwege de looptijd" in html
    assert "Ontwikkeling over vier jaren" in html and 'id="doelbereik"' in html
