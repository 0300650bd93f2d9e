"""Deliveries per organisation: Veilig Thuis, Blijf van mijn lijf and DOK in Zuid-Holland Zuid
deliver their own indicators, each submitted, returned, approved and locked on its own; an
organisation's approval releases its figures (and only those) on every channel; a token
delivers its organisation's indicators only."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from monitoring.models import Gegevenslevering, Waarneming
from monitoring.selectors import cijfers
from monitoring.selectors.organisaties import aanleververdeling, dubbel_geleverd
from monitoring.services import waarnemingen_importeer
from regioaanpak.choices import RegioSoort, RolSoort, WorkflowStatus
from regioaanpak.inzage import inzage_van
from regioaanpak.models import Organisatie
from regioaanpak.services import TokenFout, api_token_aanmaken
from tests.factories import (
    GebruikerFactory,
    LidmaatschapFactory,
    RegioFactory,
    RolFactory,
    opgeslagen,
    periode,
)
from tests.monitoring.conftest import cel_invoer

pytestmark = pytest.mark.django_db

KW = "2021KW03"
IMPORT = "/api/v1/waarnemingen/import/"
BLIJF = "blijf-van-mijn-lijf"


@pytest.fixture
def zhz(cijferregios, organisaties):
    """cijferregios (VT24: Dordrecht, Zwijndrecht; VT06: Nijmegen) with the organisations."""
    return cijferregios


def grid(regio, kw=KW, organisatie=None, naam="gegevensgrid"):
    url = reverse(f"monitoring:{naam}", args=[regio, kw])
    return url + (f"?organisatie={organisatie}" if organisatie else "")


def rol(regio, soort, naam):
    gebruiker = GebruikerFactory(username=naam, first_name=naam.title())
    RolFactory(gebruiker=gebruiker, regio=regio, rol=soort)
    return gebruiker


def zet(indicator, gemeente, waarde, kw=KW):
    return Waarneming.objects.create(
        indicator_id=indicator, gemeente_id=gemeente, periode=periode(kw), waarde=Decimal(waarde)
    )


def test_verdeling_volgt_het_werkgebied(zhz):
    verdeling = aanleververdeling()
    assert verdeling.organisatie_van("VT24", "opvang_vrouwen") == BLIJF
    assert verdeling.organisatie_van("VT24", "opvang_ambulante_trajecten") == "dok"
    assert verdeling.organisatie_van("VT24", "vt_meldingen") == "veilig-thuis"
    assert verdeling.organisatie_van("VT06", "opvang_vrouwen") == "moviera"
    # Outside every shelter's werkgebied Veilig Thuis delivers the shelter figures too.
    RegioFactory(code="VT18", naam="Rotterdam-Rijnmond")
    assert aanleververdeling().organisatie_van("VT18", "opvang_vrouwen") == "veilig-thuis"
    assert [o.naam for o in verdeling.organisaties_in("VT24")] == [
        "Veilig Thuis",
        "Blijf van mijn lijf",
        "DOK",
    ]


def test_invoerscherm_per_organisatie(client, zhz):
    client.force_login(zhz["projectleider"])
    vt = client.get(grid("VT24")).content.decode()
    assert "Levering van Veilig Thuis" in vt
    assert cel_invoer(vt, "GM0505", "vt_meldingen") is not None
    assert cel_invoer(vt, "GM0505", "opvang_vrouwen") is None
    assert f'href="{grid("VT24", organisatie=BLIJF)}"' in vt

    blijf = client.get(grid("VT24", organisatie=BLIJF)).content.decode()
    assert "Levering van Blijf van mijn lijf" in blijf
    assert cel_invoer(blijf, "GM0505", "opvang_vrouwen") is not None
    assert cel_invoer(blijf, "GM0505", "vt_meldingen") is None
    # Moviera does not deliver for Zuid-Holland Zuid; an unknown code is no page either.
    assert client.get(grid("VT24", organisatie="moviera")).status_code == 404
    assert client.get(grid("VT24", organisatie="x" * 500)).status_code == 404


def test_opslaan_maakt_de_levering_van_die_organisatie(client, zhz):
    client.force_login(zhz["projectleider"])
    antwoord = client.post(
        grid("VT24"),
        {"versie": "0", "organisatie": BLIJF, "w:GM0505:opvang_vrouwen": "14"},
        follow=True,
    )
    assert antwoord.status_code == 200
    levering = Gegevenslevering.objects.get(regio_id="VT24", periode_id=KW)
    assert levering.organisatie_id == BLIJF and levering.versie == 1
    assert opgeslagen().get(indicator_id="opvang_vrouwen", periode_id=KW).waarde == 14

    # Veilig Thuis's indicator does not belong in Blijf's delivery: refused, nothing saved.
    html = client.post(
        grid("VT24"),
        {"versie": "1", "organisatie": BLIJF, "w:GM0505:vt_meldingen": "405"},
    ).content.decode()
    assert "hoort niet bij het invoerscherm" in html
    assert not opgeslagen().filter(indicator_id="vt_meldingen", periode_id=KW).exists()


def test_upload_in_de_levering_van_een_andere_organisatie_geweigerd(zhz):
    rijen = [
        {"indicator": "opvang_vrouwen", "gebied": "GM0505", "periode": KW, "waarde": "14"},
        {"indicator": "vt_meldingen", "gebied": "GM0505", "periode": KW, "waarde": "405"},
    ]
    for regel, rij in enumerate(rijen, start=2):
        rij["__regel__"] = regel
    resultaat = waarnemingen_importeer(
        rijen=rijen,
        gebruiker=zhz["projectleider"],
        regio=zhz["zhz"],
        periode=KW,
        organisatie=BLIJF,
    )
    assert not resultaat.opgeslagen
    assert [(f.regel, f.kolom) for f in resultaat.fouten] == [(3, "indicator")]
    assert "levert Veilig Thuis aan voor Zuid-Holland Zuid, niet Blijf van mijn lijf" in str(
        resultaat.fouten[0]
    )
    assert not opgeslagen().filter(periode_id=KW).exists()


def _overgang(client, naar, organisatie=None, reden=""):
    data = {"naar": naar, "reden": reden}
    if organisatie:
        data["organisatie"] = organisatie
    return client.post(grid("VT24", naam="gegevens_overgang"), data, follow=True)


def _api(lezer) -> list[dict]:
    """The API's figures of Dordrecht and Zwijndrecht in 2021KW03 that have a value."""
    url = f"/api/v1/waarnemingen/?periode={KW}&niveau=gemeente&page_size=1000"
    return [r for r in lezer.get(url).json()["results"] if r["waarde"] is not None]


def _zichtbaar(gebruiker) -> dict:
    """What a viewer gets for 2021KW03 in Dordrecht and the region, per indicator."""
    antwoorden = cijfers(
        inzage=inzage_van(gebruiker),
        indicatoren=["vt_meldingen", "opvang_vrouwen"],
        gebieden=["GM0505", "VT24"],
        perioden=[KW],
    ).antwoorden
    return {
        (i, g): antwoorden[(i, g, KW)].waarde
        for i in ("vt_meldingen", "opvang_vrouwen")
        for g in ("GM0505", "VT24")
    }


def test_elke_organisatie_dient_in_en_wordt_goedgekeurd_op_zich(client, zhz, api, api_token):
    """Veilig Thuis's approval releases its figures, not Blijf's; Blijf's approval then
    releases the shelter figures: on the dashboards' selector and in the API alike."""
    leider, beleid = zhz["projectleider"], zhz["beleid"]
    wethouder = rol(zhz["zhz"], RolSoort.BESTUURDER, "wim-wethouder")
    lezer = api(api_token(zhz["beleid"], ["VT24"]))
    client.force_login(leider)
    client.post(
        grid("VT24"),
        {"versie": "0", "w:GM0505:vt_meldingen": "405", "w:GM0642:vt_meldingen": "117"},
    )
    client.post(
        grid("VT24"), {"versie": "0", "organisatie": BLIJF, "w:GM0505:opvang_vrouwen": "14"}
    )
    _overgang(client, WorkflowStatus.INGEDIEND)
    html = _overgang(client, WorkflowStatus.INGEDIEND, BLIJF).content.decode()
    assert "Blijf van mijn lijf: De cijfers over 2021KW03 zijn ingediend" in html

    client.force_login(beleid)
    html = _overgang(client, WorkflowStatus.GOEDGEKEURD).content.decode()
    assert "De cijfers over 2021KW03 zijn goedgekeurd en vergrendeld." in html
    staten = dict(
        Gegevenslevering.objects.filter(periode_id=KW).values_list(
            "organisatie_id", "workflow_status"
        )
    )
    assert staten == {"veilig-thuis": "goedgekeurd", BLIJF: "ingediend"}

    gezien = _zichtbaar(wethouder)
    assert gezien[("vt_meldingen", "GM0505")] == 405
    assert gezien[("vt_meldingen", "VT24")] == 522
    assert gezien[("opvang_vrouwen", "GM0505")] is None
    assert gezien[("opvang_vrouwen", "VT24")] is None
    rijen = _api(lezer)
    # The beleidsmedewerker's token reads approved figures only (the API's rule).
    assert {r["indicator"] for r in rijen} == {
        "vt_meldingen",
        "vt_meldingen_per_1000",
        "vt_meldingen_per_100000",
    }

    # Blijf's delivery is returned and approved on its own; the grid of VT stays locked.
    html = _overgang(client, WorkflowStatus.TERUGGESTUURD, BLIJF, "Kinderen ontbreken").content
    assert "Kinderen ontbreken" in html.decode()
    client.force_login(leider)
    versie = Gegevenslevering.objects.get(periode_id=KW, organisatie_id=BLIJF).versie
    client.post(
        grid("VT24"),
        {
            "versie": str(versie),
            "organisatie": BLIJF,
            "w:GM0505:opvang_vrouwen": "14",
            "w:GM0642:opvang_vrouwen": "3",
            "w:GM0505:opvang_kinderen": "11",
        },
    )
    _overgang(client, WorkflowStatus.INGEDIEND, BLIJF)
    client.force_login(beleid)
    _overgang(client, WorkflowStatus.GOEDGEKEURD, BLIJF)

    gezien = _zichtbaar(wethouder)
    assert gezien[("opvang_vrouwen", "GM0505")] == 14
    assert gezien[("opvang_vrouwen", "VT24")] == 17
    assert gezien[("vt_meldingen", "VT24")] == 522
    rijen = _api(lezer)
    assert {r["indicator"] for r in rijen} >= {"vt_meldingen", "opvang_vrouwen", "opvang_kinderen"}
    vrouwen = {r["gebied"]: r["waarde"] for r in rijen if r["indicator"] == "opvang_vrouwen"}
    assert vrouwen == {"GM0505": 14, "GM0642": 3}


def test_goedkeuring_vergrendelt_alleen_de_eigen_indicatoren(zhz):
    """Veilig Thuis's approved 2021KW01 does not lock Blijf's shelter figures, and Blijf's
    approval locks them without touching Veilig Thuis's."""
    rij = {"indicator": "opvang_vrouwen", "gebied": "GM0505", "periode": "2021KW01"}
    eerst = waarnemingen_importeer(rijen=[{**rij, "waarde": "9", "__regel__": 2}], dry_run=True)
    assert eerst.geldig, eerst.fouten
    Gegevenslevering.objects.create(
        regio=zhz["zhz"],
        periode=periode("2021KW01"),
        organisatie_id=BLIJF,
        workflow_status=WorkflowStatus.GOEDGEKEURD,
        beoordeeld_op=timezone.now(),
    )
    daarna = waarnemingen_importeer(rijen=[{**rij, "waarde": "9", "__regel__": 2}], dry_run=True)
    assert "goedgekeurd en vergrendeld" in str(daarna.fouten[0])
    vt = {"indicator": "vt_meldingen", "gebied": "GM0505", "periode": "2021KW03"}
    assert waarnemingen_importeer(
        rijen=[{**vt, "waarde": "1", "__regel__": 2}], dry_run=True
    ).geldig


def test_token_levert_alleen_de_indicatoren_van_zijn_organisatie(zhz, api, api_token):
    blijf = api(
        api_token(zhz["partner"], ["VT24"], scope="schrijven", organisatie=BLIJF, naam="Blijf")
    )
    rijen = [
        {"indicator": "opvang_vrouwen", "gebied": "GM0505", "periode": KW, "waarde": 14},
        {"indicator": "vt_meldingen", "gebied": "GM0505", "periode": KW, "waarde": 405},
    ]
    antwoord = blijf.post(IMPORT, rijen, format="json")
    assert antwoord.status_code == 400
    fouten = antwoord.json()["fouten"]
    assert [(f["regel"], f["veld"]) for f in fouten] == [(2, "indicator")]
    assert fouten[0]["reden"] == (
        "'vt_meldingen' levert Veilig Thuis aan voor Zuid-Holland Zuid; dit token levert alleen "
        "de indicatoren van Blijf van mijn lijf."
    )
    assert not opgeslagen().filter(periode_id=KW).exists()
    assert not Gegevenslevering.objects.filter(periode_id=KW).exists()

    assert blijf.post(IMPORT, rijen[:1], format="json").status_code == 200
    levering = Gegevenslevering.objects.get(periode_id=KW)
    assert (levering.organisatie_id, levering.versie) == (BLIJF, 1)

    # A token without an organisation delivers for Veilig Thuis: not the shelter figures.
    vt = api(api_token(zhz["partner"], ["VT24"], scope="schrijven"))
    antwoord = vt.post(
        IMPORT,
        [{**rijen[0], "periode": "2021KW04"}, {**rijen[1], "periode": "2021KW04"}],
        format="json",
    )
    assert antwoord.status_code == 400
    assert (
        "levert Blijf van mijn lijf aan voor Zuid-Holland Zuid"
        in antwoord.json()["fouten"][0]["reden"]
    )


def test_token_van_een_organisatie_alleen_voor_haar_werkgebied(zhz):
    moviera = Organisatie.objects.get(code="moviera")
    with pytest.raises(TokenFout, match="Moviera levert geen cijfers aan voor Zuid-Holland Zuid"):
        api_token_aanmaken(
            gebruiker=zhz["partner"],
            scope="schrijven",
            regios=[zhz["zhz"]],
            dagen=30,
            organisatie=moviera,
        )


def test_volledigheid_en_werklijst_per_organisatie(client, zhz):
    zet("opvang_vrouwen", "GM0505", 14)
    client.force_login(zhz["projectleider"])
    html = client.get(reverse("volledigheid", args=["VT24", KW])).content.decode()
    assert "Per organisatie" in html
    assert "Blijf van mijn lijf" in html and "DOK" in html
    # Blijf's quarter: women and children in its shelters x 2 municipalities (its client
    # survey is delivered per year).
    assert "1 van 4" in html

    Gegevenslevering.objects.create(
        regio=zhz["zhz"],
        periode=periode(KW),
        organisatie_id=BLIJF,
        workflow_status=WorkflowStatus.TERUGGESTUURD,
        beoordeeld_door=zhz["beleid"],
        beoordeeld_op=timezone.now(),
        reden="Kinderen ontbreken",
    )
    html = client.get(reverse("home")).content.decode()
    assert "Cijfers 3e kwartaal 2021 van Blijf van mijn lijf" in html
    assert f"?organisatie={BLIJF}" in html


def test_herinnering_per_organisatie(zhz, settings, mailoutbox):
    """Each organisation is reminded of its own missing delivery: Blijf at its own address,
    DOK (no address) and Veilig Thuis through the region's project leader."""
    settings.SITE_URL = "https://monitor.example.nl"
    Organisatie.objects.filter(code=BLIJF).update(contact_email="cijfers@blijf.example.nl")
    zhz["projectleider"].email = "petra@zhz.example.nl"
    zhz["projectleider"].save()
    zet("opvang_vrouwen", "GM0505", 14)
    Gegevenslevering.objects.create(
        regio=zhz["zhz"],
        periode=periode(KW),
        workflow_status=WorkflowStatus.INGEDIEND,
        ingediend_op=timezone.now(),
    )
    uit = StringIO()
    call_command("stuur_leverherinneringen", "--periode", KW, "--regio", "VT24", stdout=uit)
    per_adres = {m.to[0]: m for m in mailoutbox}
    assert set(per_adres) == {"cijfers@blijf.example.nl", "petra@zhz.example.nl"}
    blijf = per_adres["cijfers@blijf.example.nl"]
    assert blijf.subject == "Herinnering: cijfers 3e kwartaal 2021"
    assert "Beste Blijf van mijn lijf," in blijf.body
    assert (
        "Zuid-Holland Zuid — Blijf van mijn lijf: 1 van 4 cellen ingevuld, nog niet begonnen"
        in blijf.body
    )
    assert "https://monitor.example.nl" + grid("VT24", organisatie=BLIJF) in blijf.body
    petra = per_adres["petra@zhz.example.nl"].body
    # Veilig Thuis submitted: no reminder for it; DOK has no address: its reminder goes here.
    assert "DOK: 0 van 2 cellen ingevuld, nog niet begonnen" in petra
    assert "Veilig Thuis:" not in petra
    assert "2 herinneringen verstuurd voor 2021KW03." in uit.getvalue()


@pytest.fixture
def nijmegen_twee_keer(zhz):
    """Nijmegen is in Gelderland-Zuid (Moviera delivers the shelter figures) and in a
    centrumgemeenteregio where Veilig Thuis delivers everything; one project leader for both."""
    cg = RegioFactory(
        code="CG-NIJ", naam="CG Nijmegen", soort=RegioSoort.CENTRUMGEMEENTEREGIO, cbs_code=""
    )
    LidmaatschapFactory(regio=cg, gemeente_id="GM0268")
    leider = rol(zhz["gz"], RolSoort.PROJECTLEIDER, "pl-gz")
    RolFactory(gebruiker=leider, regio=cg, rol=RolSoort.PROJECTLEIDER)
    return cg, leider


def test_elders_goedgekeurd_cijfer_is_ook_in_het_invoerscherm_vergrendeld(
    client, zhz, nijmegen_twee_keer
):
    """Approved in the other region by the organisation that delivers it there: locked in this
    grid too, cell by cell, as the import locks it (not only for the same organisation)."""
    cg, leider = nijmegen_twee_keer
    Gegevenslevering.objects.create(
        regio=cg,
        periode=periode(KW),
        workflow_status=WorkflowStatus.GOEDGEKEURD,
        beoordeeld_op=timezone.now(),
    )
    rij = {"indicator": "opvang_vrouwen", "gebied": "GM0268", "periode": KW, "waarde": "33"}
    assert not waarnemingen_importeer(rijen=[{**rij, "__regel__": 2}], dry_run=True).geldig
    client.force_login(leider)
    html = client.post(
        grid("VT06"), {"versie": "0", "organisatie": "moviera", "w:GM0268:opvang_vrouwen": "33"}
    ).content.decode()
    assert "Goedgekeurd en vergrendeld in CG Nijmegen" in html
    assert not opgeslagen().filter(indicator_id="opvang_vrouwen").exists()


def test_goedkeuring_van_moviera_vergrendelt_ook_in_de_andere_regio(
    client, zhz, nijmegen_twee_keer
):
    _cg, leider = nijmegen_twee_keer
    zet("opvang_vrouwen", "GM0268", 20)
    Gegevenslevering.objects.create(
        regio=zhz["gz"],
        periode=periode(KW),
        organisatie_id="moviera",
        workflow_status=WorkflowStatus.GOEDGEKEURD,
        beoordeeld_op=timezone.now(),
    )
    client.force_login(leider)
    html = client.post(
        reverse("monitoring:gegevensgrid", args=["CG-NIJ", KW]),
        {"versie": "0", "w:GM0268:opvang_vrouwen": "99", "w:GM0268:vt_meldingen": "12"},
    ).content.decode()
    assert "Goedgekeurd en vergrendeld in Gelderland-Zuid" in html
    assert opgeslagen().get(indicator_id="opvang_vrouwen").waarde == 20
    assert not opgeslagen().filter(indicator_id="vt_meldingen", periode_id=KW).exists()


def test_beheer_weigert_twee_organisaties_voor_een_indicator_in_een_regio(client, zhz):
    """A superuser who gives Moviera a werkgebied in Zuid-Holland Zuid, where Blijf already
    delivers the shelter figures, gets a Dutch message naming both and the region; nothing
    is saved."""
    beheerder = GebruikerFactory(username="super", is_staff=True, is_superuser=True)
    client.force_login(beheerder)
    url = reverse("admin:regioaanpak_organisatie_change", args=["moviera"])
    antwoord = client.post(
        url,
        {
            "code": "moviera",
            "naam": "Moviera",
            "werkgebied": ["VT06", "VT24"],
            "contact_email": "",
        },
    )
    html = antwoord.content.decode()
    assert antwoord.status_code == 200
    assert (
        "Blijf van mijn lijf en Moviera zouden allebei &#x27;opvang_vrouwen&#x27; leveren" in html
    )
    assert "voor VT24; per regio levert één organisatie een indicator." in html
    assert list(
        Organisatie.objects.get(code="moviera").werkgebied.values_list("code", flat=True)
    ) == ["VT06"]

    url = reverse("admin:monitoring_indicator_change", args=["opvang_kinderen"])
    pagina = client.get(url)
    assert pagina.status_code == 200
    assert dubbel_geleverd(indicator="opvang_kinderen", organisaties=["moviera", "dok"]) == []
    assert dubbel_geleverd(
        indicator="opvang_kinderen", organisaties=["blijf-van-mijn-lijf", "dok"]
    ) == [
        "Blijf van mijn lijf en DOK zouden allebei 'opvang_kinderen' leveren voor VT24; per "
        "regio levert één organisatie een indicator."
    ]


def test_dashboard_opent_op_het_kwartaal_dat_veilig_thuis_goedkeurde(zhz):
    """Blijf approved its 2021KW03 figures before Veilig Thuis did: the alderman's dashboard
    still opens on 2021KW02, not on a quarter with only the shelter figures."""
    from monitoring.selectors import regiodashboard

    zet("opvang_vrouwen", "GM0505", 14)
    zet("vt_meldingen", "GM0505", 405)
    for organisatie, status in (
        (BLIJF, WorkflowStatus.GOEDGEKEURD),
        ("veilig-thuis", WorkflowStatus.INGEDIEND),
    ):
        Gegevenslevering.objects.create(
            regio=zhz["zhz"],
            periode=periode(KW),
            organisatie_id=organisatie,
            workflow_status=status,
        )
    wethouder = rol(zhz["zhz"], RolSoort.BESTUURDER, "wim")
    assert regiodashboard(zhz["zhz"], inzage=inzage_van(wethouder)).periode.code == "2021KW02"
    Gegevenslevering.objects.filter(organisatie_id="veilig-thuis", periode_id=KW).update(
        workflow_status=WorkflowStatus.GOEDGEKEURD
    )
    assert regiodashboard(zhz["zhz"], inzage=inzage_van(wethouder)).periode.code == KW
