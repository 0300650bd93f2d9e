"""The risk profile page: readable by every role of the region, the table with its markers,
the ranking, the scatter with the flagged municipalities, and the all-or-nothing upload."""

from __future__ import annotations

import re
from decimal import Decimal

import plotly.graph_objects as go
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from monitoring.models import Risicofactorwaarde
from regioaanpak.choices import RolSoort
from tests.factories import GebruikerFactory, RegioFactory, RolFactory
from tests.monitoring.test_dashboard_views import figuur
from tests.monitoring.test_risicoprofiel import RIJNMOND, _zet, rijnmond  # noqa: F401

pytestmark = pytest.mark.django_db
TIEN = [code for code, _naam in RIJNMOND[:10]]


@pytest.fixture
def profiel(rijnmond):  # noqa: F811
    _zet(rijnmond, "Werkloosheidspercentage", 1, {c: i for i, c in enumerate(TIEN)})
    _zet(rijnmond, "WOZ-waarde", -1, {c: 300 - 5 * i for i, c in enumerate(TIEN)})
    return rijnmond


def _persoon(regio, rol, naam):
    gebruiker = GebruikerFactory(username=naam)
    RolFactory(gebruiker=gebruiker, regio=regio, rol=rol)
    return gebruiker


def _url(naam="risicoprofiel"):
    return reverse(f"monitoring:{naam}", args=["VT18"])


def test_elke_rol_van_de_regio_leest_andere_regio_niet(client, profiel):
    assert client.get(_url()).status_code == 302  # to the login page
    client.force_login(_persoon(profiel, RolSoort.BESTUURDER, "wethouder-rr"))
    assert client.get(_url()).status_code == 200
    client.force_login(_persoon(RegioFactory(code="VT06"), RolSoort.BELEIDSMEDEWERKER, "gz"))
    assert client.get(_url()).status_code == 404


def test_tabel_markeringen_rangorde(client, profiel):
    client.force_login(_persoon(profiel, RolSoort.BELEIDSMEDEWERKER, "analist"))
    html = client.get(_url()).content.decode()
    assert "Regiogemiddelde" in html and "4,50" in html  # mean of 0..9
    # 9 is 1,57 sd above the mean: bold, marked with a sign and a text, not colour alone.
    assert '<strong>9,00</strong> <span aria-hidden="true">▲</span>' in html
    assert "(1,6 standaarddeviatie boven het gemiddelde: meer risico dan gemiddeld" in html
    assert "(1,6 standaarddeviatie onder het gemiddelde: minder risico dan gemiddeld" in html
    assert "lager is meer risico" in html  # the WOZ-waarde's direction is shown
    rangorde = html[html.index('id="rangorde"') :]
    assert re.search(r'<td class="getal">1</td>\s*<th scope="row">Schiedam', rangorde)
    assert "hoog" in rangorde and "laag" in rangorde


def test_spreidingsdiagram_uit_eigen_meldingen_met_uitschieters(client, profiel):
    client.force_login(_persoon(profiel, RolSoort.BELEIDSMEDEWERKER, "analist"))
    regels = ["gemeente,meldingen_per_1000"]
    for i, code in enumerate(TIEN):
        waarde = 10 + i
        if i == 2:
            waarde += 6
        if i == 7:
            waarde -= 6
        regels.append(f"{code},{waarde}")
    bestand = SimpleUploadedFile("meldingen.csv", "\n".join(regels).encode(), "text/csv")
    antwoord = client.post(_url("risicoprofiel_meldingen"), {"bestand": bestand})
    assert antwoord.status_code == 200
    html = antwoord.content.decode()
    data = figuur(html, "signalering")
    go.Figure(data)  # valid plotly
    namen = {t["name"] for t in data["data"]}
    assert {"Meer meldingen dan verwacht", "Minder meldingen dan verwacht"} <= namen
    assert "Trendlijn (verwacht)" in namen
    meer = next(t for t in data["data"] if t["name"] == "Meer meldingen dan verwacht")
    assert meer["text"] == ["Lansingerland (meer meldingen dan verwacht)"]
    assert "lokale teams handelen meer zelf af" in html
    assert "Lansingerland" in html[html.index("Tabel met de cijfers") :]


def test_foute_meldingen_geven_een_melding(client, profiel):
    client.force_login(_persoon(profiel, RolSoort.BELEIDSMEDEWERKER, "analist"))
    bestand = SimpleUploadedFile("m.csv", b"gemeente,meldingen_per_1000\nGM0268,4\n", "text/csv")
    antwoord = client.post(_url("risicoprofiel_meldingen"), {"bestand": bestand})
    assert antwoord.status_code == 400
    assert "&#x27;GM0268&#x27; is geen gemeente van het risicoprofiel" in antwoord.content.decode()


def test_upload_met_voorvertoning_en_bevestigen(client, rijnmond):  # noqa: F811
    client.force_login(_persoon(rijnmond, RolSoort.BELEIDSMEDEWERKER, "analist"))
    tekst = (
        "gemeente,factor,waarde,richting,bron,peiljaar\n"
        "GM0530,Bijstand,4.2,1,CBS StatLine,2020\n"
        "GM0556,Bijstand,3.1,1,CBS StatLine,2020\n"
    )
    bestand = SimpleUploadedFile("factoren.csv", tekst.encode(), "text/csv")
    voorvertoning = client.post(_url("risicofactoren_upload"), {"bestand": bestand})
    assert voorvertoning.status_code == 200
    assert "Er is nog niets opgeslagen" in voorvertoning.content.decode()
    assert not Risicofactorwaarde.objects.exists()
    antwoord = client.post(_url("risicofactoren_bevestigen"), follow=True)
    assert "Risicofactoren opgeslagen: 2 nieuw" in antwoord.content.decode()
    assert Risicofactorwaarde.objects.get(gemeente_id="GM0530").waarde == Decimal("4.2")


def test_upload_met_een_foute_regel_slaat_niets_op(client, rijnmond):  # noqa: F811
    client.force_login(_persoon(rijnmond, RolSoort.PROJECTLEIDER, "pl"))
    tekst = "gemeente,factor,waarde,richting\nGM0530,Bijstand,4,1\nGM0556,Bijstand,4,3\n"
    bestand = SimpleUploadedFile("factoren.csv", tekst.encode(), "text/csv")
    antwoord = client.post(_url("risicofactoren_upload"), {"bestand": bestand})
    assert antwoord.status_code == 400
    assert "Regel 3, kolom &#x27;richting&#x27;" in antwoord.content.decode()
    assert client.post(_url("risicofactoren_bevestigen")).status_code == 302
    assert not Risicofactorwaarde.objects.exists()


def test_wethouder_uploadt_niet(client, rijnmond):  # noqa: F811
    client.force_login(_persoon(rijnmond, RolSoort.BESTUURDER, "wethouder-rr"))
    bestand = SimpleUploadedFile("f.csv", b"gemeente,factor,waarde,richting\n", "text/csv")
    assert client.post(_url("risicofactoren_upload"), {"bestand": bestand}).status_code == 404
    assert "Risicofactoren uploaden" not in client.get(_url()).content.decode()
