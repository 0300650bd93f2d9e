"""Regions, people and a temporary media folder for the report tests."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from regioaanpak.choices import RolSoort
from tests.factories import GebruikerFactory, RegioFactory, RolFactory
from tests.monitoring.test_dashboard_selectors import zuid_holland_zuid  # noqa: F401


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _persoon(regio, rol, naam):
    gebruiker = GebruikerFactory(username=naam, first_name=naam.capitalize())
    RolFactory(gebruiker=gebruiker, regio=regio, rol=rol)
    return gebruiker


@pytest.fixture
def beleidsmedewerker(zuid_holland_zuid):  # noqa: F811
    return _persoon(zuid_holland_zuid, RolSoort.BELEIDSMEDEWERKER, "bea")


@pytest.fixture
def projectleider(zuid_holland_zuid):  # noqa: F811
    return _persoon(zuid_holland_zuid, RolSoort.PROJECTLEIDER, "piet")


@pytest.fixture
def bestuurder(zuid_holland_zuid):  # noqa: F811
    return _persoon(zuid_holland_zuid, RolSoort.BESTUURDER, "wim")


@pytest.fixture
def buitenstaander(zuid_holland_zuid):  # noqa: F811
    """A beleidsmedewerker of another region (Gelderland-Zuid)."""
    return _persoon(
        RegioFactory(code="VT06", naam="Gelderland-Zuid"), RolSoort.BELEIDSMEDEWERKER, "gea"
    )


def pdf_tekst(pdf: bytes) -> str:
    from io import BytesIO

    reader = PdfReader(BytesIO(pdf))
    return "\n".join(pagina.extract_text() for pagina in reader.pages)


def platte_tekst(tekst: str) -> str:
    """Whitespace folded, so HTML and PDF text compare."""
    return re.sub(r"\s+", " ", tekst)
