from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

FIXTURES = settings.BASE_DIR / "fixtures"


@pytest.fixture(autouse=True)
def _snel_wachtwoord_hashen(settings):
    # Tests create many users; a fast hasher keeps them quick (HackSoft's test settings).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def indicatoren(db):
    """The real indicator catalogue."""
    call_command("loaddata", str(FIXTURES / "indicatoren.yaml"), verbosity=0)


@pytest.fixture
def gebieden(db):
    """All municipalities, Veilig Thuis regions and memberships (fixtures/gebieden.json)."""
    call_command("loaddata", str(FIXTURES / "gebieden.json"), verbosity=0)


CHROMIUM = Path(os.environ.get("CHROMIUM_PAD", "/usr/bin/chromium"))
ARTEFACTEN = settings.BASE_DIR / "test-artefacten"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright; skipped (with the reason) only outside CI."""
    if not CHROMIUM.exists():
        reden = (
            f"Chromium niet gevonden op {CHROMIUM}: installeer het Debian-pakket 'chromium' "
            "(.ci/run doet dat) om de browsertests te draaien."
        )
        if os.environ.get("CI"):
            pytest.fail(reden)
        pytest.skip(reden)
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test
    # itself are still synchronous and safe.
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def pagina(chromium):
    context = chromium.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def artefact():
    """Path for a screenshot the test keeps (test-artefacten/, ignored by git)."""
    ARTEFACTEN.mkdir(exist_ok=True)
    return lambda naam: ARTEFACTEN / naam
