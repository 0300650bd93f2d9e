"""Regions, people and figures for the figures pages (gegevenslevering), with real codes."""

from __future__ import annotations

import datetime as dt
import html as html_module
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from monitoring.choices import Eenheid, WaarnemingStatus
from monitoring.models import Gegevenslevering, Indicator, Waarneming
from regioaanpak.choices import RolSoort
from regioaanpak.perioden import PeriodeCode
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

GZ_GEMEENTEN = [
    ("GM0268", "Nijmegen", 177_000),
    ("GM0281", "Tiel", 42_000),
    ("GM0296", "Wijchen", 41_000),
]


@pytest.fixture
def gz(indicatoren):
    """Gelderland-Zuid (VT06): Nijmegen, Tiel and Wijchen; 'Samen voor veiligheid' 2021-2025."""
    regio = RegioFactory(code="VT06", naam="Gelderland-Zuid")
    for code, naam, inwoners in GZ_GEMEENTEN:
        gemeente = GemeenteFactory(cbs_code=code, naam=naam)
        LidmaatschapFactory(regio=regio, gemeente=gemeente)
        InwonertalFactory(gemeente=gemeente, jaar=2021, aantal=inwoners)
    regio.centrumgemeente_id = "GM0268"
    regio.save()
    RegioaanpakFactory(
        regio=regio,
        titel="Samen voor veiligheid",
        looptijd_van=dt.date(2021, 1, 1),
        looptijd_tot=dt.date(2025, 12, 31),
    )
    return regio


@pytest.fixture
def zhz(indicatoren):
    """Zuid-Holland Zuid (VT24) with Dordrecht; its action plan runs 2020 to 2021."""
    regio = RegioFactory(code="VT24", naam="Zuid-Holland Zuid")
    dordrecht = GemeenteFactory(cbs_code="GM0505", naam="Dordrecht")
    LidmaatschapFactory(regio=regio, gemeente=dordrecht)
    InwonertalFactory(gemeente=dordrecht, jaar=2021, aantal=119_100)
    RegioaanpakFactory(
        regio=regio,
        titel="Regiovisie en actieplan GHNT Zuid-Holland Zuid",
        looptijd_van=dt.date(2020, 1, 1),
        looptijd_tot=dt.date(2021, 12, 31),
    )
    return regio


@pytest.fixture
def persoon():
    """A user with a role in a region: persoon(regio, rol, 'petra', 'Petra', 'de Vries')."""

    def maak(regio, rol, gebruikersnaam, voornaam="", achternaam=""):
        gebruiker = GebruikerFactory(
            username=gebruikersnaam, first_name=voornaam, last_name=achternaam
        )
        RolFactory(gebruiker=gebruiker, regio=regio, rol=rol)
        return gebruiker

    return maak


@pytest.fixture
def projectleider(gz, persoon):
    return persoon(gz, RolSoort.PROJECTLEIDER, "petra", "Petra", "de Vries")


@pytest.fixture
def beleidsmedewerker(gz, persoon):
    return persoon(gz, RolSoort.BELEIDSMEDEWERKER, "bram", "Bram", "Jansen")


@pytest.fixture
def beheerder(gz, persoon):
    return persoon(gz, RolSoort.BEHEERDER, "bea", "Bea", "Bakker")


def zet(indicator, gebied, code, waarde, status=WaarnemingStatus.DEFINITIEF, toelichting=""):
    """Store one figure directly (test set-up, no audit)."""
    is_gemeente = gebied.startswith("GM")
    return Waarneming.objects.create(
        indicator_id=indicator,
        gemeente_id=gebied if is_gemeente else None,
        regio_id=None if is_gemeente else gebied,
        periode=periode(code),
        waarde=None if waarde is None else Decimal(str(waarde)),
        status=status,
        toelichting=toelichting,
    )


def historie(indicator, gebied, tot, waarden):
    """Store figures for the periods before `tot`, oldest first."""
    eind = PeriodeCode.parse(tot)
    for stap, waarde in enumerate(reversed(waarden), start=1):
        zet(indicator, gebied, eind.verschuif(-stap).code, waarde)


def levering(regio, code, status, **velden):
    return Gegevenslevering.objects.create(
        regio=regio, periode=periode(code), workflow_status=status, **velden
    )


def grid_url(regio_code, periode_code, naam="gegevensgrid"):
    return reverse(f"monitoring:{naam}", args=[regio_code, periode_code])


def grid_post(waarden, *, versie=0, toelichtingen=None):
    """POST data of the grid: {('GM0268', 'vt_meldingen'): '412*'} plus comments."""
    data = {"versie": str(versie)}
    for (gebied, indicator), waarde in waarden.items():
        data[f"w:{gebied}:{indicator}"] = waarde
    for (gebied, indicator), tekst in (toelichtingen or {}).items():
        data[f"t:{gebied}:{indicator}"] = tekst
    return data


def cel_melding(html: str, gebied: str, indicator: str) -> str:
    """The message shown inside one cell of the grid ('' when none)."""
    gevonden = re.search(
        rf'id="melding-{gebied}-{indicator}">(.*?)</span></span>', html, flags=re.S
    )
    if not gevonden:
        return ""
    return html_module.unescape(re.sub(r"<[^>]+>", " ", gevonden.group(1))).strip()


def cel_invoer(html: str, gebied: str, indicator: str) -> str | None:
    """The value in one cell's input, or None when the cell has no input (read-only)."""
    gevonden = re.search(rf'name="w:{gebied}:{indicator}" value="([^"]*)"', html)
    return html_module.unescape(gevonden.group(1)) if gevonden else None


@pytest.fixture
def percentage_indicator(indicatoren):
    """A measured percentage (the catalogue only derives percentages)."""
    return Indicator.objects.create(
        code="aandeel_jeugd_bereikt",
        naam="Aandeel scholen met Handle with Care",
        eenheid=Eenheid.PERCENTAGE,
        bron="gemeente",
        volgorde=400,
    )


@pytest.fixture
def dertig_indicatoren(indicatoren):
    """The 27 quarterly measured indicators of the catalogue plus 3 local counts: the 30
    columns of a quarter's grid (the yearly client survey is on the year's grid only)."""
    for nummer in range(1, 4):
        Indicator.objects.create(
            code=f"lokaal_aantal_{nummer}",
            naam=f"Lokale telling {nummer}",
            eenheid=Eenheid.AANTAL,
            bron="gemeente",
            volgorde=500 + nummer,
        )
    codes = list(
        Indicator.objects.gemeten().exclude(frequentie="jaar").values_list("code", flat=True)
    )
    assert len(codes) == 30
    return codes


@pytest.fixture
def grote_regio(dertig_indicatoren, persoon):
    """A region of 15 municipalities (Gelderland-Zuid's real members) with populations."""
    regio = RegioFactory(code="VT06", naam="Gelderland-Zuid")
    codes = [
        ("GM0209", "Beuningen"),
        ("GM0214", "Buren"),
        ("GM0216", "Culemborg"),
        ("GM0225", "Druten"),
        ("GM0252", "Heumen"),
        ("GM0263", "Maasdriel"),
        ("GM0268", "Nijmegen"),
        ("GM0281", "Tiel"),
        ("GM0296", "Wijchen"),
        ("GM0297", "Zaltbommel"),
        ("GM0668", "West Maas en Waal"),
        ("GM0944", "Mook en Middelaar"),
        ("GM1740", "Neder-Betuwe"),
        ("GM1945", "Berg en Dal"),
        ("GM1960", "West Betuwe"),
    ]
    for nummer, (code, naam) in enumerate(codes):
        gemeente = GemeenteFactory(cbs_code=code, naam=naam)
        LidmaatschapFactory(regio=regio, gemeente=gemeente)
        InwonertalFactory(gemeente=gemeente, jaar=2021, aantal=20_000 + 1_000 * nummer)
    RegioaanpakFactory(
        regio=regio,
        titel="Samen voor veiligheid",
        looptijd_van=dt.date(2021, 1, 1),
        looptijd_tot=dt.date(2025, 12, 31),
    )
    return regio, [code for code, _naam in codes], dertig_indicatoren
