from __future__ import annotations

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
