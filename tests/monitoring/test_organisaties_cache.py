"""Who delivers which indicator is cached; a change is believed from its commit on, also when
another request read the old division between the change and its commit."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import transaction

from monitoring.selectors.organisaties import VERSIE_SLEUTEL, aanleververdeling
from regioaanpak.models import Organisatie


@pytest.mark.django_db(transaction=True)
def test_verdeling_na_de_commit_van_een_wijziging(cijferregios, organisaties):
    oud = aanleververdeling()
    assert oud.organisatie_van("VT24", "opvang_vrouwen") == "blijf-van-mijn-lijf"
    with transaction.atomic():
        Organisatie.objects.get(code="blijf-van-mijn-lijf").werkgebied.clear()
        # Another request, between the change and its commit, reads the committed (old)
        # division and caches it under the version the change just set.
        cache.set(f"aanleververdeling:{cache.get(VERSIE_SLEUTEL)}", oud, 300)
        assert aanleververdeling().organisatie_van("VT24", "opvang_vrouwen") != "veilig-thuis"
    # Once the change is committed, that stale division is not believed.
    assert aanleververdeling().organisatie_van("VT24", "opvang_vrouwen") == "veilig-thuis"
