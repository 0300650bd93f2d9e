"""The dashboard pages as a user sees them: the same numbers as the figure selector, access
per role and region, approved-only figures, CBS notation, and a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actielijnen.choices import ProjectStatus
from actielijnen.models import Voortgangsupdate
from monitoring.choices import WaarnemingStatus
from monitoring.grafieken import cijfer_tekst
from monitoring.models import Indicator
from monitoring.selectors.organisaties import aanleververdeling
from monitoring.selectors.referentie import referentie
from regioaanpak.choices import RolSoort, WorkflowStatus
from regioaanpak.models import Gemeentegrens
from regioaanpak.perioden import PeriodeCode
from tests.factories import (
    ActielijnFactory,
    GebruikerFactory,
    GemeenteFactory,
    InwonertalFactory,
    LidmaatschapFactory,
    ProjectFactory,
    RegioaanpakFactory,
    RegioFactory,
    RolFactory,
    opgeslagen,
    periode,
)
from tests.monitoring import test_dashboard_selectors as gegevens
from tests.monitoring.test_dashboard_selectors import cijfer, leveringen, nederland, vierkant, vul

pytestmark = pytest.mark.django_db

# The data of the selector tests (fixtures), shared with these page tests.
zuid_holland_zuid = gegevens.zuid_holland_zuid
rijnmond = gegevens.rijnmond
wethouder = gegevens.wethouder
projectleider_zhz = gegevens.projectleider_zhz


def regio_url(code: str, **filters) -> str:
    url = reverse("monitoring:regiodashboard", args=[code])
    if filters:
        url += "?" + "&".join(f"{k}={v}" for k, v in filters.items())
    return url


def gemeente_url(code: str, **filters) -> str:
    url = reverse("monitoring:gemeentedashboard", args=[code])
    if filters:
        url += "?" + "&".join(f"{k}={v}" for k, v in filters.items())
    return url


def tekst(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def tegelwaarde(pagina: str, indicator: str) -> str:
    gevonden = re.search(
        rf'id="tegel-{indicator}".*?<span data-waarde>(.*?)</span>', pagina, flags=re.S
    )
    assert gevonden, f"geen tegel {indicator}"
    return tekst(gevonden.group(1))


def tegel(pagina: str, indicator: str) -> str:
    gevonden = re.search(
        rf'(<article class="tegel[^"]*" id="tegel-{indicator}".*?</article>)', pagina, flags=re.S
    )
    assert gevonden, f"geen tegel {indicator}"
    return tekst(gevonden.group(1))


def tabel(pagina: str, figuur: str) -> dict[str, list[str]]:
    """The table beneath a chart: the first cell of each row -> the other cells."""
    blok = re.search(rf'<figure class="grafiekblok" id="{figuur}".*?</figure>', pagina, re.S)
    assert blok, f"geen grafiek {figuur}"
    rijen = {}
    for rij in re.findall(r"<tr>(.*?)</tr>", blok.group(0), flags=re.S):
        cellen = [tekst(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", rij, flags=re.S)]
        rijen[cellen[0]] = cellen[1:]
    return rijen


def figuur(pagina: str, figuur_id: str) -> dict:
    gevonden = re.search(
        rf'<script id="{figuur_id}-data" type="application/json">(.*?)</script>', pagina, re.S
    )
    assert gevonden, f"geen figuur {figuur_id}"
    return json.loads(gevonden.group(1))


# -- the numbers are the selector's -------------------------------------------------------------


def test_tegels_en_tabellen_tonen_de_cijfers_van_de_selector(client, wethouder):
    client.force_login(wethouder)

    antwoord = client.get(regio_url("VT24", periode="2022KW03"))

    assert antwoord.status_code == 200
    pagina = antwoord.content.decode()
    meldingen = cijfer("vt_meldingen", "VT24", "2022KW03")
    assert (
        tegelwaarde(pagina, "vt_meldingen")
        == "416"
        == cijfer_tekst(meldingen, Indicator.objects.get(code="vt_meldingen"))
    )
    per_1000 = cijfer("vt_meldingen_per_1000", "VT24", "2022KW03")
    assert "2,73 per 1.000 inwoners" in tegel(pagina, "vt_meldingen")
    assert per_1000.waarde.quantize(Decimal("0.01")) == Decimal("2.73")
    assert "▲ 6 meer (+1,5%) dan 2e kwartaal 2022" in tegel(pagina, "vt_meldingen")
    assert "norm gehaald" in tegel(pagina, "vt_veiligheidsbeoordeling_tijdig")
    assert "norm niet gehaald" in tegel(pagina, "vt_onderzoek_tijdig")

    vergelijking = tabel(pagina, "vergelijking")
    papendrecht = cijfer("vt_meldingen_per_1000", "GM0590", "2022KW03")
    assert vergelijking["Papendrecht"][0] == "3,00"
    assert papendrecht.waarde.quantize(Decimal("0.01")) == Decimal("3.00")
    assert vergelijking["Zuid-Holland Zuid (regio)"][0] == "2,73"

    # The chart draws the number the table shows.
    data = figuur(pagina, "vergelijking")["data"]
    meldingen_bar = next(t for t in data if t.get("name") == "Meldingen per 1.000 inwoners")
    positie = meldingen_bar["y"].index("Papendrecht")
    assert meldingen_bar["x"][positie] == 3.0
    assert meldingen_bar["text"][positie] == "3,00"

    trend = tabel(pagina, "trend-per-1000")
    assert trend["3e kwartaal 2022"][0] == "2,73"
    assert trend["3e kwartaal 2022"][2] == "2,50"  # the region's target for 2022
    assert "4e kwartaal 2022" not in trend  # after the period shown
    assert "Gegevens t/m 3e kwartaal 2022, bijgewerkt" in tekst(pagina)
    assert "Bron: Veilig Thuis ZHZ" in tekst(pagina)


def test_gemeentedashboard_tegen_regio(client, wethouder):
    client.force_login(wethouder)

    pagina = client.get(gemeente_url("GM0505", periode="2022KW03")).content.decode()

    dordrecht = cijfer("vt_meldingen", "GM0505", "2022KW03")
    assert tegelwaarde(pagina, "vt_meldingen") == "318" == str(dordrecht.waarde.normalize())
    assert "Zuid-Holland Zuid: 2,73 per 1.000 inwoners" in tegel(pagina, "vt_meldingen")
    trend = tabel(pagina, "trend-per-1000")
    assert trend["3e kwartaal 2022"][:2] == ["2,66", "2,73"]
    assert "Handle with Care" in pagina and "Regionaal zorgpad" in pagina
    assert "Aanpak ouderenmishandeling" not in pagina  # only Papendrecht takes part
    assert "Scholen in Papendrecht doen nog niet mee." in pagina


# -- mergers ------------------------------------------------------------------------------------


def test_herindeling_op_de_kaart_en_in_de_tabel(client, rijnmond):
    gebruiker = GebruikerFactory(username="rr")
    RolFactory(gebruiker=gebruiker, regio=rijnmond, rol=RolSoort.BESTUURDER)
    client.force_login(gebruiker)

    voor = client.get(regio_url("VT18", periode="2022KW02")).content.decode()
    na = client.get(regio_url("VT18", periode="2023KW02")).content.decode()

    kaart = tabel(voor, "kaart")
    voorne = cijfer("vt_meldingen_per_1000", "GM1992", "2022KW02")
    rij = "Voorne aan Zee (in 2e kwartaal 2022: som van Brielle, Hellevoetsluis en Westvoorne)"
    assert kaart[rij][0] == f"{voorne.waarde:.2f}".replace(".", ",") == "1,28"
    assert set(tabel(voor, "vergelijking")) >= {"Brielle", "Hellevoetsluis", "Westvoorne"}
    assert "Voorne aan Zee" not in tabel(voor, "vergelijking")
    assert "Voorne aan Zee" in tabel(na, "vergelijking")
    assert "Brielle" not in tabel(na, "vergelijking")
    assert tegelwaarde(voor, "vt_meldingen") == "1.595"  # 1.503 + 23 + 48 + 21
    assert tegelwaarde(na, "vt_meldingen") == "1.611"  # 1.523 + 88


def test_gemeentedashboard_van_voorne_aan_zee_in_2022(client, rijnmond):
    gebruiker = GebruikerFactory(username="rr")
    RolFactory(gebruiker=gebruiker, regio=rijnmond, rol=RolSoort.BESTUURDER)
    client.force_login(gebruiker)

    pagina = client.get(gemeente_url("GM1992", periode="2022JJ00")).content.decode()

    jaar = cijfer("vt_meldingen", "GM1992", "2022JJ00")
    # Four quarters of three predecessors: 4 x (20 + 45 + 18) + 3 x (0 + 3 + 6 + 9)
    assert jaar.waarde == 386
    assert tegelwaarde(pagina, "vt_meldingen") == "386"
    assert "de optelling van Brielle, Hellevoetsluis en Westvoorne" in tekst(pagina)


# -- access -------------------------------------------------------------------------------------


def test_wethouder_ziet_eigen_gemeente_en_regio_maar_geen_andere_regio(client, wethouder, rijnmond):
    client.force_login(wethouder)

    assert client.get(regio_url("VT24")).status_code == 200
    assert client.get(gemeente_url("GM0505")).status_code == 200
    assert client.get(gemeente_url("GM0590")).status_code == 200  # same region
    assert client.get(regio_url("VT18")).status_code == 404
    assert client.get(gemeente_url("GM0599")).status_code == 404
    assert client.get(gemeente_url("GM1992")).status_code == 404
    assert client.get(gemeente_url("GM9999")).status_code == 404


@pytest.mark.parametrize("url", [regio_url("VT24"), gemeente_url("GM0505")])
def test_anoniem_gaat_naar_inloggen(client, zuid_holland_zuid, url):
    antwoord = client.get(url)
    assert antwoord.status_code == 302
    assert antwoord["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url", [regio_url("VT24"), gemeente_url("GM0505")])
def test_zonder_rol_404(client, zuid_holland_zuid, url):
    client.force_login(GebruikerFactory(username="zonder-rol"))
    assert client.get(url).status_code == 404


def test_lidmaatschap_van_het_land_geeft_geen_toegang(client, zuid_holland_zuid, rijnmond):
    land = nederland(*zuid_holland_zuid.gemeenten.all(), *rijnmond.gemeenten.all())
    gebruiker = GebruikerFactory(username="landelijk")
    RolFactory(gebruiker=gebruiker, regio=land, rol=RolSoort.PARTNER)
    client.force_login(gebruiker)
    assert client.get(gemeente_url("GM0505")).status_code == 404


# -- approved figures only ----------------------------------------------------------------------


def test_ingediende_cijfers_niet_voor_de_wethouder(client, wethouder):
    client.force_login(wethouder)

    standaard = client.get(regio_url("VT24")).content.decode()
    ingediend = client.get(regio_url("VT24", periode="2022KW04", ingediend=1)).content.decode()

    assert "3e kwartaal 2022" in re.search(r"<h1>.*?</h1>", standaard, re.S).group(0)
    assert tegelwaarde(ingediend, "vt_meldingen") == "geen gegevens"
    assert "Let op" not in ingediend
    assert 'name="ingediend"' not in ingediend  # no such option for aldermen
    assert tabel(ingediend, "vergelijking")["Dordrecht"][0] == "geen gegevens"


def test_projectleider_kan_ingediende_cijfers_tonen(client, projectleider_zhz):
    client.force_login(projectleider_zhz)

    zonder = client.get(regio_url("VT24", periode="2022KW04")).content.decode()
    met = client.get(regio_url("VT24", periode="2022KW04", ingediend=1)).content.decode()

    assert tegelwaarde(zonder, "vt_meldingen") == "geen gegevens"
    assert 'name="ingediend"' in zonder
    assert "Let op: inclusief ingediende, nog niet goedgekeurde cijfers" in tekst(met)
    verwacht = cijfer("vt_meldingen", "VT24", "2022KW04", gegevens.MET_INGEDIEND)
    assert tegelwaarde(met, "vt_meldingen") == "422" == str(verwacht.waarde.normalize())
    assert tabel(met, "trend-per-1000")["4e kwartaal 2022 (ingediend)"][0] != "geen gegevens"
    assert "Inclusief ingediende, nog niet goedgekeurde cijfers." in tekst(met)
    # With the box ticked and no period asked, the newest submitted period is shown.
    standaard = client.get(regio_url("VT24", ingediend=1)).content.decode()
    assert "4e kwartaal 2022" in re.search(r"<h1>.*?</h1>", standaard, re.S).group(0)


def test_zonder_goedgekeurde_cijfers_een_duidelijke_melding(client, wethouder):
    from monitoring.models import Gegevenslevering

    Gegevenslevering.objects.all().delete()
    client.force_login(wethouder)

    pagina = tekst(client.get(regio_url("VT24")).content.decode())

    assert "Er zijn nog geen goedgekeurde cijfers voor Zuid-Holland Zuid" in pagina
    # Unreleased figures tell a wethouder nothing, not even in which period they lie.
    assert "U ziet het afgelopen kwartaal" in pagina
    assert "4e kwartaal 2022" not in pagina


# -- CBS notation: secret and missing are never 0 -----------------------------------------------


def test_geheim_en_ontbrekend_nooit_als_nul(client, wethouder):
    opgeslagen().filter(
        indicator_id="vt_meldingen", gemeente_id="GM0590", periode_id="2022KW03"
    ).update(waarde=None, status=WaarnemingStatus.GEHEIM)
    opgeslagen().filter(
        indicator_id="vt_adviezen", gemeente_id="GM0590", periode_id="2022KW03"
    ).delete()
    client.force_login(wethouder)

    pagina = client.get(regio_url("VT24", periode="2022KW03")).content.decode()

    assert tegelwaarde(pagina, "vt_meldingen") == "."
    assert tegelwaarde(pagina, "vt_adviezen") == "geen gegevens"
    assert "Geen vergelijking met 2e kwartaal 2022: cijfer geheim" in tegel(pagina, "vt_meldingen")
    assert "geheim: een gemeente of kwartaal hierin is geheim bij de bron, dus het totaal ook" in (
        tegel(pagina, "vt_meldingen")
    )
    assert "niet gepubliceerd" not in tegel(pagina, "vt_adviezen")
    rij = tabel(pagina, "vergelijking")["Papendrecht"]
    assert rij == [".", "geen gegevens"]
    assert tabel(pagina, "vergelijking")["Zuid-Holland Zuid (regio)"] == [".", "geen gegevens"]
    assert tabel(pagina, "trend-per-1000")["3e kwartaal 2022"][:2] == [".", "geen gegevens"]
    assert tabel(pagina, "kaart")["Papendrecht"][:2] == [".", "geheim (.)"]
    # The chart leaves a gap (null), never a bar or point at 0, and labels the bar.
    bars = figuur(pagina, "vergelijking")["data"]
    meldingen_bar = next(t for t in bars if t.get("name") == "Meldingen per 1.000 inwoners")
    assert meldingen_bar["x"][meldingen_bar["y"].index("Papendrecht")] is None
    labels = next(t for t in bars if t.get("mode") == "text")
    assert labels["text"] == ["geheim (.)"]
    lijnen = figuur(pagina, "trend-per-1000")["data"]
    assert lijnen[0]["y"][-1] is None and lijnen[0]["customdata"][-1] == "."
    for figuur_id in ("vergelijking", "kaart", "trend-per-1000", "trend-normen", "melders"):
        for cellen in tabel(pagina, figuur_id).values():
            assert not {"0", "0,0", "0,00"} & set(cellen)


def test_voorlopig_cijfer_met_ster(client, wethouder):
    opgeslagen().filter(periode_id="2022KW03", gemeente_id="GM0505").update(
        status=WaarnemingStatus.VOORLOPIG
    )
    client.force_login(wethouder)

    pagina = client.get(regio_url("VT24", periode="2022KW03")).content.decode()

    assert tegelwaarde(pagina, "vt_meldingen") == "416*"
    assert tabel(pagina, "vergelijking")["Dordrecht"][0] == "2,66*"
    assert tabel(pagina, "vergelijking")["Papendrecht"][0] == "3,00"


# -- filters ------------------------------------------------------------------------------------


def test_filters_in_de_querystring_en_foute_waarden(client, wethouder):
    client.force_login(wethouder)

    kaart = client.get(regio_url("VT24", periode="2022KW03", indicator="vt_onderzoek_tijdig"))
    fout = client.get(regio_url("VT24", periode="2022KW9", indicator="iets"))

    pagina = kaart.content.decode()
    assert "Kaart: onderzoek afgerond binnen 10 weken" in pagina
    assert 'value="vt_onderzoek_tijdig" selected' in pagina
    assert 'value="2022KW03" selected' in pagina
    foutpagina = tekst(fout.content.decode())
    assert "'2022KW9' is geen geldige periodecode" in foutpagina
    assert "'iets' is geen indicator om gemeenten mee te vergelijken" in foutpagina
    assert fout.status_code == 200


def test_vorige_en_volgende_periode_behouden_de_filters(client, wethouder):
    client.force_login(wethouder)
    pagina = client.get(
        regio_url("VT24", periode="2022KW03", indicator="vt_adviezen_per_1000")
    ).content.decode()
    assert "?periode=2022KW02&amp;indicator=vt_adviezen_per_1000" in pagina
    assert "?periode=2022KW04&amp;indicator=vt_adviezen_per_1000" in pagina


def test_grafieken_zonder_externe_bronnen(client, wethouder):
    client.force_login(wethouder)
    pagina = client.get(regio_url("VT24")).content.decode()
    assert "/static/vendor/plotly/plotly-cartesian.min.js" in pagina
    assert not re.search(r'(src|href)="https?://', pagina)
    kaart = figuur(pagina, "kaart")
    assert {t["type"] for t in kaart["data"]} == {"scatter"}  # no geo traces (CDN topojson)
    assert kaart["layout"]["yaxis"]["scaleanchor"] == "x"
    assert "geen gegevens" in [t.get("name") for t in kaart["data"]]


def test_elke_grafiek_is_geldige_plotly(client, wethouder):
    """The figures are built as plain dicts; plotly's own validation checks them here."""
    import plotly.graph_objects as go

    client.force_login(wethouder)
    pagina = client.get(regio_url("VT24")).content.decode()
    ids = re.findall(r'<script id="([a-z0-9-]+)-data" type="application/json">', pagina)
    assert len(ids) >= 5
    for figuur_id in ids:
        go.Figure(figuur(pagina, figuur_id))  # raises ValueError on an unknown property


# -- a fixed number of queries ------------------------------------------------------------------


def _regio_met(code: str, aantal_gemeenten: int, kwartalen: list[str], nummer: int):
    regio = RegioFactory(code=code, naam=f"Regio {code}")
    gemeenten = {}
    for index in range(aantal_gemeenten):
        gemeente = GemeenteFactory(cbs_code=f"GM{nummer}{index:03d}", naam=f"Gemeente {index}")
        LidmaatschapFactory(regio=regio, gemeente=gemeente)
        for jaar in sorted({PeriodeCode.parse(k).jaar for k in kwartalen}):
            InwonertalFactory(gemeente=gemeente, jaar=jaar, aantal=20_000 + 1_000 * index)
        Gemeentegrens.objects.create(
            gemeente=gemeente, jaar=2022, geometrie=vierkant(4 + index * 0.06, 52.0)
        )
        gemeenten[gemeente.cbs_code] = 50 + index
    vul(gemeenten, kwartalen, bron="Veilig Thuis")
    leveringen(regio, kwartalen)
    aanpak = RegioaanpakFactory(
        regio=regio, looptijd_van=dt.date(2010, 1, 1), looptijd_tot=dt.date(2030, 12, 31)
    )
    project = ProjectFactory(actielijn=ActielijnFactory(regioaanpak=aanpak), titel="Project")
    for kwartaal in kwartalen:
        Voortgangsupdate.objects.create(
            project=project,
            periode=periode(kwartaal),
            status=ProjectStatus.OP_SCHEMA,
            workflow_status=WorkflowStatus.GOEDGEKEURD,
        )
    return regio


def test_aantal_queries_groeit_niet_met_de_gegevens(client, indicatoren):
    klein = _regio_met("VT91", 2, [f"2022KW0{n}" for n in range(1, 5)], 8)
    veel = [p.code for p in PeriodeCode.reeks("2013KW01", "2022KW04")]
    groot = _regio_met("VT92", 15, veel, 9)
    gebruiker = GebruikerFactory(username="bestuurder")
    for regio in (klein, groot):
        RolFactory(gebruiker=gebruiker, regio=regio, rol=RolSoort.BESTUURDER)
    client.force_login(gebruiker)
    aanleververdeling()  # who delivers what: read once, then cached for every request
    referentie()  # areas, memberships, indicators: likewise

    tellingen = []
    for regio in (klein, groot):
        with CaptureQueriesContext(connection) as queries:
            antwoord = client.get(regio_url(regio.code, periode="2022KW04"))
        assert antwoord.status_code == 200
        tellingen.append(len(queries.captured_queries))
    assert len(tabel(antwoord.content.decode(), "trend-per-1000")) == 40 + 1  # + header
    assert tellingen[0] == tellingen[1]

    gemeenten = []
    for code in ("GM8000", "GM9000"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(gemeente_url(code, periode="2022KW04")).status_code == 200
        gemeenten.append(len(queries.captured_queries))
    assert gemeenten[0] == gemeenten[1]


def test_kaart_tekent_geen_latere_fusie_met_gemeenten_van_een_andere_regio(client, indicatoren):
    """Vianen (Utrecht until its merger) drawn as Vijfheerenlanden would colour it by the sum
    with two municipalities of Zuid-Holland Zuid: outside Utrecht's reach. It is left off the
    map (and the page does not fail)."""
    utrecht = RegioFactory(code="VT20", naam="Utrecht")
    zhz = RegioFactory(code="VT24", naam="Zuid-Holland Zuid")
    fusie = dt.date(2019, 1, 1)
    vijfheerenlanden = GemeenteFactory(cbs_code="GM1961", naam="Vijfheerenlanden", geldig_van=fusie)
    LidmaatschapFactory(regio=zhz, gemeente=vijfheerenlanden, geldig_van=fusie)
    tot = fusie - dt.timedelta(days=1)
    for code, naam, regio in (("GM0620", "Vianen", utrecht), ("GM0545", "Leerdam", zhz)):
        g = GemeenteFactory(
            cbs_code=code, naam=naam, geldig_tot=tot, opgevolgd_door=vijfheerenlanden
        )
        LidmaatschapFactory(regio=regio, gemeente=g, geldig_tot=tot)
    utrechtse = GemeenteFactory(cbs_code="GM0344", naam="Utrecht")
    LidmaatschapFactory(regio=utrecht, gemeente=utrechtse)
    for code in ("GM1961", "GM0344"):
        Gemeentegrens.objects.create(gemeente_id=code, jaar=2023, geometrie=vierkant(5, 52))
    gebruiker = GebruikerFactory(username="ute")
    RolFactory(gebruiker=gebruiker, regio=utrecht, rol=RolSoort.BESTUURDER)
    client.force_login(gebruiker)

    antwoord = client.get(regio_url("VT20", periode="2018KW01"))
    assert antwoord.status_code == 200
    pagina = antwoord.content.decode()
    assert "Vijfheerenlanden" not in pagina
    assert "Vianen" in pagina
