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


@pytest.fixture(autouse=True)
def _lege_cache():
    # Each test starts with an empty cache: a page cached by another test (whose database is
    # rolled back) must not be found under an equal key.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def indicatoren(db):
    """The real indicator catalogue."""
    call_command("loaddata", str(FIXTURES / "indicatoren.yaml"), verbosity=0)


@pytest.fixture
def organisaties(indicatoren):
    """The delivering organisations (fixtures/organisaties.yaml): Blijf van mijn lijf and DOK in
    Zuid-Holland Zuid (VT24), Moviera in Gelderland-Zuid (VT06), Veilig Thuis elsewhere. The
    regions VT24 and VT06 must exist (request `gebieden` or `cijferregios` first)."""
    call_command("loaddata", str(FIXTURES / "organisaties.yaml"), verbosity=0)


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


@pytest.fixture
def api_token(db):
    """Make a personal API token: api_token(gebruiker, ["VT24"], scope="lezen", dagen=30)."""
    from regioaanpak.models import Regio
    from regioaanpak.services import api_token_aanmaken

    def maak(gebruiker, regios, scope="lezen", dagen=30, naam="", organisatie=None):
        from regioaanpak.models import Organisatie

        _token, tekst = api_token_aanmaken(
            gebruiker=gebruiker,
            scope=scope,
            regios=list(Regio.objects.filter(code__in=regios)),
            dagen=dagen,
            naam=naam,
            organisatie=Organisatie.objects.get(code=organisatie) if organisatie else None,
        )
        return tekst

    return maak


@pytest.fixture
def api():
    """A DRF test client; api(token) sends 'Authorization: Token <token>'."""
    from rest_framework.test import APIClient

    def maak(token: str | None = None) -> APIClient:
        client = APIClient()
        if token:
            client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return client

    return maak


@pytest.fixture
def cijferregios(indicatoren):
    """Zuid-Holland Zuid (VT24: Dordrecht, Zwijndrecht) and Gelderland-Zuid (VT06: Nijmegen)
    with figures for 2021KW01 and 2021KW02, both quarters approved, and people per role.

    Dordrecht 2021KW01: 412 meldingen, 1.034 adviezen, 23 hermeldingen, 7 meldingen
    eergerelateerd geweld; Zwijndrecht: 118 meldingen. Returns a dict with the users."""
    from decimal import Decimal

    from django.utils import timezone

    from monitoring.models import Gegevenslevering, Waarneming
    from regioaanpak.choices import RolSoort, WorkflowStatus
    from tests.factories import (
        GebruikerFactory,
        GemeenteFactory,
        InwonertalFactory,
        LidmaatschapFactory,
        RegioFactory,
        RolFactory,
        periode,
    )

    zhz = RegioFactory(code="VT24", naam="Zuid-Holland Zuid")
    gz = RegioFactory(code="VT06", naam="Gelderland-Zuid")
    gemeenten = {
        "GM0505": ("Dordrecht", zhz, 119_100),
        "GM0642": ("Zwijndrecht", zhz, 44_800),
        "GM0268": ("Nijmegen", gz, 177_000),
    }
    for code, (naam, regio, inwoners) in gemeenten.items():
        gemeente = GemeenteFactory(cbs_code=code, naam=naam)
        LidmaatschapFactory(regio=regio, gemeente=gemeente)
        InwonertalFactory(gemeente=gemeente, jaar=2021, aantal=inwoners)
    cijfers = {
        ("vt_meldingen", "GM0505", "2021KW01"): "412",
        ("vt_meldingen", "GM0505", "2021KW02"): "398",
        ("vt_adviezen", "GM0505", "2021KW01"): "1034",
        ("vt_hermeldingen", "GM0505", "2021KW01"): "23",
        ("vt_meldingen_eergerelateerd", "GM0505", "2021KW01"): "7",
        ("vt_meldingen", "GM0642", "2021KW01"): "118",
        ("vt_meldingen", "GM0642", "2021KW02"): "121",
        ("vt_doorlooptijd_onderzoek", "GM0505", "2021KW01"): "62.5",
        ("vt_meldingen", "GM0268", "2021KW01"): "530",
    }
    for (indicator, gemeente, kwartaal), waarde in cijfers.items():
        Waarneming.objects.create(
            indicator_id=indicator,
            gemeente_id=gemeente,
            periode=periode(kwartaal),
            waarde=Decimal(waarde),
            bron="Veilig Thuis ZHZ" if gemeente != "GM0268" else "Veilig Thuis GZ",
        )
    nu = timezone.now()
    for regio in (zhz, gz):
        for kwartaal in ("2021KW01", "2021KW02"):
            Gegevenslevering.objects.create(
                regio=regio,
                periode=periode(kwartaal),
                workflow_status=WorkflowStatus.GOEDGEKEURD,
                beoordeeld_op=nu,
            )

    def persoon(naam, regio, rol):
        gebruiker = GebruikerFactory(username=naam)
        RolFactory(gebruiker=gebruiker, regio=regio, rol=rol)
        return gebruiker

    return {
        "zhz": zhz,
        "gz": gz,
        "partner": persoon("vera-vt", zhz, RolSoort.PARTNER),
        "beleid": persoon("bart-beleid", zhz, RolSoort.BELEIDSMEDEWERKER),
        "projectleider": persoon("petra-pl", zhz, RolSoort.PROJECTLEIDER),
        "partner_gz": persoon("gerrit-ggd", gz, RolSoort.PARTNER),
    }


@pytest.fixture
def regiostukken(cijferregios, settings, tmp_path):
    """Zuid-Holland Zuid's approach with an action line and a project, an approved and a
    concept progress update, and a published half-year report with its two editions (the
    internal PDF '%PDF-1.7 rapport', the protected one '%PDF-1.7 afgeschermd')."""
    import datetime as dt
    import hashlib

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from actielijnen.choices import ProjectStatus
    from actielijnen.models import Voortgangsupdate
    from rapportage.choices import RapportSoort, RapportStatus
    from rapportage.models import Rapport
    from regioaanpak.choices import WorkflowStatus
    from tests.factories import ActielijnFactory, ProjectFactory, RegioaanpakFactory, periode

    settings.MEDIA_ROOT = str(tmp_path / "media")
    aanpak = RegioaanpakFactory(
        regio=cijferregios["zhz"],
        titel="Regiovisie en actieplan Geweld hoort nergens thuis Zuid-Holland Zuid",
        looptijd_van=dt.date(2020, 1, 1),
        looptijd_tot=dt.date(2021, 12, 31),
    )
    actielijn = ActielijnFactory(regioaanpak=aanpak, nummer=1, titel="Eerder en beter in beeld")
    project = ProjectFactory(actielijn=actielijn, titel="Ouderenmishandeling")
    goedgekeurd = Voortgangsupdate.objects.create(
        project=project,
        periode=periode("2021KW01"),
        status=ProjectStatus.OP_SCHEMA,
        toelichting="Voorlichting in vier gemeenten gegeven.",
        workflow_status=WorkflowStatus.GOEDGEKEURD,
        beoordeeld_op=timezone.now(),
    )
    concept = Voortgangsupdate.objects.create(
        project=project,
        periode=periode("2021KW02"),
        status=ProjectStatus.AANDACHT,
        toelichting="Nog niet ingediend.",
    )
    rapport = Rapport.objects.create(
        regio=cijferregios["zhz"],
        periode=periode("2021HJ01"),
        soort=RapportSoort.HALFJAAR,
        status=RapportStatus.GEPUBLICEERD,
        gepubliceerd_door=cijferregios["beleid"],
        gepubliceerd_op=timezone.now(),
        momentopname={"schema": 2, "editie": "intern"},
        sha256=hashlib.sha256(b"%PDF-1.7 rapport").hexdigest(),
        momentopname_afgeschermd={"schema": 2, "editie": "afgeschermd"},
        sha256_afgeschermd=hashlib.sha256(b"%PDF-1.7 afgeschermd").hexdigest(),
    )
    rapport.pdf.save("halfjaar_VT24_2021HJ01_v1.pdf", ContentFile(b"%PDF-1.7 rapport"), save=False)
    rapport.pdf_afgeschermd.save(
        "halfjaar_VT24_2021HJ01_v1_afgeschermd.pdf",
        ContentFile(b"%PDF-1.7 afgeschermd"),
        save=False,
    )
    rapport.save()
    return {
        "aanpak": aanpak,
        "project": project,
        "goedgekeurd": goedgekeurd,
        "concept": concept,
        "rapport": rapport,
    }
