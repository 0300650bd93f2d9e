"""Texts of a progress update have a ceiling at input (INVOER_MAX_TEKST): the PDF of its
quarter is rendered from them, so a text of megabytes once made every concept PDF of the region
take a minute."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from actielijnen.models import Voortgangsupdate
from actielijnen.services import voortgangsupdate_opslaan
from tests.actielijnen.test_voortgang_views import formulier, update_url

pytestmark = pytest.mark.django_db


def test_tekst_van_twee_mb_wordt_in_het_formulier_geweigerd(client, zhz):
    client.force_login(zhz.projectleider)
    tekst = "Lang verhaal. " * 149_999 + "Einde."  # 2.1 MB
    antwoord = client.post(update_url(zhz.handle_with_care), formulier(toelichting=tekst))
    assert antwoord.status_code == 200
    html = antwoord.content.decode()
    assert len(tekst) == 2_099_992
    assert "Deze tekst heeft 2.099.992 tekens; ten hoogste 10.000." in html
    assert 'maxlength="10000"' in html
    assert not Voortgangsupdate.objects.filter(project=zhz.handle_with_care).exists()


def test_de_service_weigert_een_te_lange_tekst_ook(zhz, settings):
    settings.INVOER_MAX_TEKST = 100
    with pytest.raises(ValidationError) as fout:
        voortgangsupdate_opslaan(
            project=zhz.handle_with_care,
            periode="2021KW04",
            gegevens={"status": "op_schema", "knelpunten": "x" * 101},
            mijlpaalstanden={},
            versie=None,
            gebruiker=zhz.projectleider,
        )
    assert "knelpunten" in fout.value.message_dict
    assert not Voortgangsupdate.objects.filter(project=zhz.handle_with_care).exists()
