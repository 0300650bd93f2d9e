"""The entry grid of figures per region and period: all or nothing, messages at the cell."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring.choices import WaarnemingStatus
from monitoring.models import Gegevenslevering, Waarneming
from monitoring.selectors.organisaties import aanleververdeling
from monitoring.selectors.referentie import referentie
from monitoring.services import GridCel, gegevensgrid_opslaan
from regioaanpak.choices import AuditActie, RolSoort
from regioaanpak.models import AuditRegel
from tests.factories import opgeslagen
from tests.monitoring.conftest import (
    cel_invoer,
    cel_melding,
    grid_post,
    grid_url,
    historie,
    zet,
)

pytestmark = pytest.mark.django_db

KW = "2021KW01"


def test_projectleider_ziet_gemeenten_indicatoren_eenheid_en_vorige_periode(
    client, gz, projectleider
):
    zet("vt_meldingen", "GM0268", "2020KW04", 398, WaarnemingStatus.VOORLOPIG)
    zet("vt_meldingen", "GM0268", KW, 412)
    zet("vt_doorlooptijd_onderzoek", "GM0281", KW, "62.5")
    client.force_login(projectleider)
    html = client.get(grid_url("VT06", KW)).content.decode()
    assert "Cijfers Gelderland-Zuid — 1e kwartaal 2021" in html
    for naam in ("Nijmegen", "Tiel", "Wijchen"):
        assert naam in html
    assert "Meldingen Veilig Thuis" in html and "dagen" in html
    assert cel_invoer(html, "GM0268", "vt_meldingen") == "412"
    assert cel_invoer(html, "GM0281", "vt_doorlooptijd_onderzoek") == "62,5"
    # The previous quarter beside the value, read through the figure selector (* = voorlopig).
    assert 'title="Vorige periode (2020KW04)">398*</span>' in html
    # Derived indicators are computed, never entered.
    assert "w:GM0268:vt_meldingen_per_1000" not in html


def test_opslaan_maakt_levering_en_cijfers_met_audit(client, gz, projectleider):
    client.force_login(projectleider)
    antwoord = client.post(
        grid_url("VT06", KW),
        grid_post(
            {
                ("GM0268", "vt_meldingen"): "412",
                ("GM0281", "vt_meldingen"): "97*",
                ("GM0296", "vt_meldingen"): ".",
                ("GM0281", "vt_doorlooptijd_onderzoek"): "62,5",
                ("GM0296", "vt_adviezen"): "",
            },
            versie=0,
        ),
        follow=True,
    )
    assert "De cijfers zijn opgeslagen: 4 nieuw, 0 gewijzigd." in antwoord.content.decode()
    nijmegen = opgeslagen().get(gemeente="GM0268", indicator="vt_meldingen")
    assert nijmegen.waarde == Decimal(412) and nijmegen.status == WaarnemingStatus.DEFINITIEF
    tiel = opgeslagen().get(gemeente="GM0281", indicator="vt_meldingen")
    assert tiel.status == WaarnemingStatus.VOORLOPIG
    assert opgeslagen().get(gemeente="GM0296").status == WaarnemingStatus.GEHEIM
    assert opgeslagen().get(indicator="vt_doorlooptijd_onderzoek").waarde == Decimal("62.5")
    levering = Gegevenslevering.objects.get(regio=gz, periode=KW)
    assert levering.workflow_status == "concept" and levering.versie == 1

    regel = AuditRegel.objects.get(object_type="monitoring.waarneming", object_id=str(nijmegen.pk))
    assert regel.actie == AuditActie.AANGEMAAKT and regel.gebruiker == projectleider
    assert regel.na == {"waarde": "412", "status": "definitief", "toelichting": ""}
    assert regel.regio == gz

    # Changing one figure: one audit entry with before and after, the version goes up.
    client.post(
        grid_url("VT06", KW),
        grid_post({("GM0268", "vt_meldingen"): "415", ("GM0281", "vt_meldingen"): "97*"}, versie=1),
    )
    regel = AuditRegel.objects.filter(
        object_type="monitoring.waarneming", actie=AuditActie.GEWIJZIGD
    ).get()
    assert regel.voor["waarde"] == "412" and regel.na["waarde"] == "415"
    levering.refresh_from_db()
    assert levering.versie == 2
    html = client.get(grid_url("VT06", KW)).content.decode()
    assert "Geschiedenis" in html and "412 → 415" in html
    assert "Meldingen Veilig Thuis — Nijmegen — 2021KW01" in html


@pytest.mark.parametrize(
    ("indicator", "invoer", "melding"),
    [
        ("vt_meldingen", "veel", "'veel' is geen getal."),
        ("vt_meldingen", "-3", "-3 is negatief; Meldingen Veilig Thuis kan niet negatief zijn."),
        ("vt_meldingen", "12,5", "12,5 is geen geheel getal; een aantal telt hele gevallen."),
        ("vt_meldingen", "1.234", "'1.234' is dubbelzinnig: schrijf 1234 (zonder punt)"),
        ("aandeel_jeugd_bereikt", "104", "104 is meer dan 100 procent."),
    ],
)
def test_harde_fout_staat_in_de_cel_en_niets_wordt_opgeslagen(
    client, gz, projectleider, percentage_indicator, indicator, invoer, melding
):
    client.force_login(projectleider)
    antwoord = client.post(
        grid_url("VT06", KW),
        grid_post({("GM0268", "vt_adviezen"): "1200", ("GM0281", indicator): invoer}),
    )
    html = antwoord.content.decode()
    assert antwoord.status_code == 200
    assert melding in cel_melding(html, "GM0281", indicator)
    assert cel_melding(html, "GM0268", "vt_adviezen") == ""
    assert "Er is niets opgeslagen. 1 cel vraagt uw aandacht" in html
    # The user's input stays, including the valid cell.
    assert cel_invoer(html, "GM0281", indicator) == invoer
    assert cel_invoer(html, "GM0268", "vt_adviezen") == "1200"
    assert Waarneming.objects.count() == 0
    assert not Gegevenslevering.objects.exists()


def test_decimale_komma_wordt_exact_bewaard(gz, projectleider):
    resultaat = gegevensgrid_opslaan(
        regio=gz,
        periode=KW,
        cellen=[GridCel("GM0268", "vt_doorlooptijd_onderzoek", "1.234,5")],
        versie=0,
        gebruiker=projectleider,
    )
    assert resultaat.opgeslagen, resultaat
    assert opgeslagen().get().waarde == Decimal("1234.5")


def test_een_opgeslagen_cijfer_wissen_kan_niet(client, gz, projectleider):
    zet("vt_meldingen", "GM0268", KW, 412)
    client.force_login(projectleider)
    html = client.post(
        grid_url("VT06", KW), grid_post({("GM0268", "vt_meldingen"): ""})
    ).content.decode()
    assert "Een opgeslagen cijfer kan hier niet worden gewist" in cel_melding(
        html, "GM0268", "vt_meldingen"
    )
    assert opgeslagen().get().waarde == Decimal(412)


def test_cijfers_buiten_de_looptijd_van_de_regioaanpak_kunnen_worden_ingevoerd(
    client, zhz, persoon
):
    """Veilig Thuis figures are monitored continuously: the approach's term (2020-2021) binds
    its progress updates, not the figures (one rule for the grid, the upload and the API)."""
    client.force_login(persoon(zhz, RolSoort.PROJECTLEIDER, "piet"))
    html = client.get(grid_url("VT24", "2019KW01")).content.decode()
    assert "valt buiten de looptijd" not in html
    assert cel_invoer(html, "GM0505", "vt_meldingen") == ""
    antwoord = client.post(
        grid_url("VT24", "2019KW01"), grid_post({("GM0505", "vt_meldingen"): "300"})
    )
    assert antwoord.status_code == 302
    assert opgeslagen().get().waarde == Decimal(300)


def test_afwijking_van_de_historie_vraagt_een_toelichting(client, gz, projectleider):
    historie("vt_meldingen", "GM0281", KW, [40, 42, 41, 43, 40, 42, 41, 41])
    client.force_login(projectleider)
    html = client.post(
        grid_url("VT06", KW), grid_post({("GM0281", "vt_meldingen"): "120"})
    ).content.decode()
    melding = cel_melding(html, "GM0281", "vt_meldingen")
    assert "Wijkt sterk af van de vorige 8 kwartalen (gemiddeld 41,3)" in melding
    assert "Geef een toelichting bij deze afwijkende waarde" in melding
    # The comment field is shown at that cell; with a comment the value is saved.
    assert 'name="t:GM0281:vt_meldingen"' in html
    assert not opgeslagen().filter(periode=KW).exists()

    antwoord = client.post(
        grid_url("VT06", KW),
        grid_post(
            {("GM0281", "vt_meldingen"): "120"},
            toelichtingen={("GM0281", "vt_meldingen"): "Nieuwe meldcode scholen"},
        ),
        follow=True,
    )
    assert "De cijfers zijn opgeslagen: 1 nieuw" in antwoord.content.decode()
    tiel = opgeslagen().get(periode=KW)
    assert tiel.waarde == 120 and tiel.toelichting == "Nieuwe meldcode scholen"
    # The warning stays visible for reviewers, next to the comment.
    html = antwoord.content.decode()
    assert "Wijkt sterk af van de vorige 8 kwartalen" in cel_melding(html, "GM0281", "vt_meldingen")
    assert "Nieuwe meldcode scholen" in html


def test_geen_waarschuwing_met_te_weinig_historie(gz, projectleider):
    historie("vt_meldingen", "GM0281", KW, [40, 42, 41])
    resultaat = gegevensgrid_opslaan(
        regio=gz,
        periode=KW,
        cellen=[GridCel("GM0281", "vt_meldingen", "500")],
        versie=0,
        gebruiker=projectleider,
    )
    assert resultaat.opgeslagen and not resultaat.waarschuwingen


def test_afwijking_van_de_regio_per_1000_inwoners(gz, projectleider):
    # Nijmegen (177.000 inwoners) and Wijchen (41.000) about 2 per 1.000; Tiel (42.000) 11,9;
    # the region as a whole 930 / 260.000 = 3,6 per 1.000.
    cellen = [
        GridCel("GM0268", "tijdelijke_huisverboden", "350"),
        GridCel("GM0296", "tijdelijke_huisverboden", "80"),
        GridCel("GM0281", "tijdelijke_huisverboden", "500"),
    ]
    resultaat = gegevensgrid_opslaan(
        regio=gz, periode=KW, cellen=cellen, versie=0, gebruiker=projectleider
    )
    assert not resultaat.opgeslagen
    sleutel = ("GM0281", "tijdelijke_huisverboden")
    assert resultaat.waarschuwingen[sleutel] == (
        "Per 1.000 inwoners 11,9: meer dan 3 keer zo hoog als in de hele regio (3,6)"
    )
    assert resultaat.celfouten == {sleutel: "Geef een toelichting bij deze afwijkende waarde."}
    assert Waarneming.objects.count() == 0

    # Below 10 the comparison does not apply.
    cellen[2] = GridCel("GM0281", "tijdelijke_huisverboden", "9")
    cellen[0] = GridCel("GM0268", "tijdelijke_huisverboden", "900")
    resultaat = gegevensgrid_opslaan(
        regio=gz, periode=KW, cellen=cellen, versie=0, gebruiker=projectleider
    )
    assert resultaat.opgeslagen, resultaat


def test_tweede_opslag_met_oude_versie_wordt_geweigerd_en_invoer_blijft(
    client, gz, projectleider, persoon
):
    collega = persoon(gz, RolSoort.PROJECTLEIDER, "karin", "Karin", "Smits")
    client.force_login(collega)
    client.post(grid_url("VT06", KW), grid_post({("GM0268", "vt_meldingen"): "412"}, versie=0))

    # Petra opened the grid before Karin saved: her form still has version 0.
    client.force_login(projectleider)
    antwoord = client.post(
        grid_url("VT06", KW),
        grid_post({("GM0268", "vt_meldingen"): "413", ("GM0281", "vt_meldingen"): "96"}, versie=0),
    )
    html = antwoord.content.decode()
    assert "Uw wijzigingen zijn niet opgeslagen: Karin Smits heeft deze cijfers op " in html
    assert "Uw invoer staat hieronder nog" in html
    assert cel_invoer(html, "GM0268", "vt_meldingen") == "413"
    assert cel_invoer(html, "GM0281", "vt_meldingen") == "96"
    assert "nu opgeslagen: 412" in html
    assert opgeslagen().get().waarde == 412
    assert not opgeslagen().filter(gemeente="GM0281").exists()
    # The re-rendered form carries the current version, so saving again is a deliberate choice.
    assert 'name="versie" value="1"' in html


def test_teruggestuurde_levering_gaat_bij_opslaan_terug_naar_concept(
    client, gz, projectleider, beleidsmedewerker
):
    from tests.monitoring.conftest import levering

    teruggestuurd = levering(gz, KW, "teruggestuurd", reden="Tiel ontbreekt")
    client.force_login(projectleider)
    html = client.get(grid_url("VT06", KW)).content.decode()
    assert "Tiel ontbreekt" in html
    client.post(
        grid_url("VT06", KW),
        grid_post({("GM0281", "vt_meldingen"): "97"}, versie=teruggestuurd.versie),
    )
    teruggestuurd.refresh_from_db()
    assert teruggestuurd.workflow_status == "concept"
    assert opgeslagen().get().waarde == 97


def test_ingediende_cijfers_kunnen_niet_worden_gewijzigd(gz, projectleider):
    from tests.monitoring.conftest import levering

    ingediend = levering(gz, KW, "ingediend")
    resultaat = gegevensgrid_opslaan(
        regio=gz,
        periode=KW,
        cellen=[GridCel("GM0268", "vt_meldingen", "412")],
        versie=ingediend.versie,
        gebruiker=projectleider,
    )
    assert resultaat.fouten == [
        "De cijfers van Gelderland-Zuid over 2021KW01 zijn ingediend en wachten op beoordeling; "
        "ze kunnen nu niet worden gewijzigd."
    ]
    assert Waarneming.objects.count() == 0


def test_jaarcijfers_van_de_regio_uit_de_seed(client, gz, projectleider):
    zet("vt_adviezen", "VT06", "2021JJ00", 6453)
    client.force_login(projectleider)
    html = client.get(grid_url("VT06", "2021JJ00")).content.decode()
    assert "Cijfers Gelderland-Zuid — 2021" in html
    assert cel_invoer(html, "VT06", "vt_adviezen") == "6453"
    assert "hele regio" in html


def test_volledig_raster_past_binnen_de_veldengrens_van_django(
    client, grote_regio, persoon, settings
):
    """16 rows x 30 columns in one POST: under DATA_UPLOAD_MAX_NUMBER_FIELDS (1000)."""
    regio, gemeenten, indicatoren = grote_regio
    client.force_login(persoon(regio, RolSoort.PROJECTLEIDER, "petra"))
    html = client.get(grid_url("VT06", KW)).content.decode()
    assert html.count('name="w:') == 16 * 30
    assert html.count("<input") + html.count("<textarea") < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    waarden = {(g, i): _waarde(i, 10 + n) for n, g in enumerate(gemeenten) for i in indicatoren}
    antwoord = client.post(grid_url("VT06", KW), grid_post(waarden), follow=True)
    assert "De cijfers zijn opgeslagen: 450 nieuw, 0 gewijzigd." in antwoord.content.decode()
    assert Waarneming.objects.count() == 450


def _waarde(indicator: str, waarde: int) -> str:
    """The same number in every cell, except parts of a whole (the melders by type), which may
    not add up to more than their whole: 0 there."""
    return "0" if indicator.startswith("vt_meldingen_") and indicator in MELDERS else str(waarde)


MELDERS = {
    "vt_meldingen_politie_justitie",
    "vt_meldingen_beroepsmatig",
    "vt_meldingen_onderwijs",
    "vt_meldingen_gezondheidszorg",
    "vt_meldingen_niet_beroepsmatig",
}


def _cellen(gemeenten, indicatoren, waarde):
    return [
        GridCel(g, i, _waarde(i, waarde + n)) for n, g in enumerate(gemeenten) for i in indicatoren
    ]


def _opslaan_queries(regio, gebruiker, cellen, versie):
    gebruiker = type(gebruiker).objects.get(pk=gebruiker.pk)  # as in a new request
    with CaptureQueriesContext(connection) as vastgelegd:
        resultaat = gegevensgrid_opslaan(
            regio=regio, periode=KW, cellen=cellen, versie=versie, gebruiker=gebruiker
        )
    assert resultaat.opgeslagen, resultaat
    return vastgelegd.captured_queries


def test_opslaan_gebruikt_een_vast_aantal_queries(grote_regio, persoon):
    """A 3x3 and a 15x30 grid need the same queries (SQLite only splits its bulk writes)."""
    regio, gemeenten, indicatoren = grote_regio
    gebruiker = persoon(regio, RolSoort.PROJECTLEIDER, "petra")

    klein = _cellen(gemeenten[:3], indicatoren[:3], 10)
    al_opgeslagen = {(cel.gebied, cel.indicator) for cel in klein}
    rest = [
        cel
        for cel in _cellen(gemeenten, indicatoren, 10)
        if (cel.gebied, cel.indicator) not in al_opgeslagen
    ]
    # The delivery exists already, so every save below takes the same path; who delivers which
    # indicator is read once and then cached (as after the first page of any process).
    Gegevenslevering.objects.create(regio=regio, periode_id=KW)
    aanleververdeling()
    referentie()  # the selector's reference data, read once per process
    # Saves of new figures, then saves that change every figure.
    queries_klein_nieuw = _opslaan_queries(regio, gebruiker, klein, 1)
    queries_groot_nieuw = _opslaan_queries(regio, gebruiker, rest, 2)
    queries_groot = _opslaan_queries(regio, gebruiker, _cellen(gemeenten, indicatoren, 11), 3)
    queries_klein = _opslaan_queries(
        regio, gebruiker, _cellen(gemeenten[:3], indicatoren[:3], 12), 4
    )

    def lezen(queries):
        return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]

    assert len(lezen(queries_groot)) == len(lezen(queries_klein))
    assert len(lezen(queries_groot_nieuw)) == len(lezen(queries_klein_nieuw))
    if connection.vendor == "postgresql":
        assert len(queries_groot) == len(queries_klein)
        assert len(queries_groot_nieuw) == len(queries_klein_nieuw)
    # SQLite writes at most 999 parameters per statement, so 450 rows take a few batches.
    assert len(queries_groot) <= 40 and len(queries_groot_nieuw) <= 40


def test_pagina_gebruikt_een_vast_aantal_queries(client, grote_regio, persoon):
    """The grid page reads the same number of queries for 9 figures as for 450."""
    regio, gemeenten, indicatoren = grote_regio
    gebruiker = persoon(regio, RolSoort.PROJECTLEIDER, "petra")
    client.force_login(gebruiker)
    gegevensgrid_opslaan(
        regio=regio,
        periode=KW,
        cellen=_cellen(gemeenten[:3], indicatoren[:3], 10),
        versie=0,
        gebruiker=gebruiker,
    )
    with CaptureQueriesContext(connection) as klein:
        client.get(grid_url("VT06", KW))
    gegevensgrid_opslaan(
        regio=regio,
        periode=KW,
        cellen=_cellen(gemeenten, indicatoren, 20),
        versie=1,
        gebruiker=gebruiker,
    )
    with CaptureQueriesContext(connection) as vol:
        html = client.get(grid_url("VT06", KW)).content.decode()
    assert cel_invoer(html, "GM1960", "lokaal_aantal_1") == "34"
    assert len(vol.captured_queries) == len(klein.captured_queries) <= 24
