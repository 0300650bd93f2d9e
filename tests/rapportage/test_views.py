"""The report pages per role and region: archive, concept, publishing, downloads (404 elsewhere)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from rapportage.models import Rapport
from rapportage.services import rapport_publiceren

pytestmark = pytest.mark.django_db

CONCEPT = ["VT24", "2022KW03", "kwartaal"]


@pytest.fixture
def gepubliceerd(zuid_holland_zuid, beleidsmedewerker):
    return rapport_publiceren(
        regio=zuid_holland_zuid, periode="2022KW03", soort="kwartaal", gebruiker=beleidsmedewerker
    )


def urls(rapport) -> dict[str, str]:
    return {
        "archief": reverse("rapportage:archief", args=["VT24"]),
        "concept": reverse("rapportage:concept", args=CONCEPT),
        "concept_pdf": reverse("rapportage:concept_pdf", args=CONCEPT),
        "gepubliceerd": reverse("rapportage:gepubliceerd", args=["VT24", rapport.pk]),
        "download": reverse("rapportage:download", args=["VT24", rapport.pk]),
    }


def test_anoniem_moet_inloggen(client, gepubliceerd):
    for url in urls(gepubliceerd).values():
        antwoord = client.get(url)
        assert antwoord.status_code == 302 and "inloggen" in antwoord.url


def test_andere_regio_krijgt_404(client, gepubliceerd, buitenstaander):
    client.force_login(buitenstaander)
    for url in urls(gepubliceerd).values():
        assert client.get(url).status_code == 404, url
    publiceer = reverse("rapportage:publiceren", args=CONCEPT)
    assert client.post(publiceer, {"reden": "x"}).status_code == 404
    # The right pk under one's own region is no way in either.
    eigen = reverse("rapportage:download", args=["VT06", gepubliceerd.pk])
    assert client.get(eigen).status_code == 404


@pytest.mark.parametrize("rol", ["bestuurder", "projectleider", "beleidsmedewerker"])
def test_iedereen_met_een_rol_in_de_regio_ziet_de_rapportages(request, client, gepubliceerd, rol):
    client.force_login(request.getfixturevalue(rol))
    adressen = urls(gepubliceerd)

    archief = client.get(adressen["archief"]).content.decode()
    assert gepubliceerd.sha256 in archief
    assert adressen["download"] in archief
    download = client.get(adressen["download"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert client.get(adressen["gepubliceerd"]).status_code == 200


def test_alleen_beleidsmedewerker_ziet_en_gebruikt_de_publiceerknop(
    client, zuid_holland_zuid, bestuurder, beleidsmedewerker
):
    concept = reverse("rapportage:concept", args=CONCEPT)
    publiceer = reverse("rapportage:publiceren", args=CONCEPT)

    client.force_login(bestuurder)
    assert publiceer not in client.get(concept).content.decode()
    assert client.post(publiceer).status_code == 404
    assert not Rapport.objects.exists()

    client.force_login(beleidsmedewerker)
    assert publiceer in client.get(concept).content.decode()
    antwoord = client.post(publiceer)
    assert antwoord.status_code == 302
    assert Rapport.objects.get().versie == 1
    # A second version without a reason is refused with a Dutch message.
    antwoord = client.post(publiceer, follow=True)
    assert "Geef een reden voor versie 2" in antwoord.content.decode()
    assert Rapport.objects.count() == 1


def test_concept_markeert_niet_goedgekeurde_gegevens(client, projectleider, bestuurder):
    concept = reverse("rapportage:concept", args=CONCEPT)
    melding = "concept — bevat nog niet goedgekeurde gegevens"

    client.force_login(projectleider)
    assert melding in client.get(concept).content.decode()
    assert melding not in client.get(concept + "?goedgekeurd=1").content.decode()
    client.force_login(bestuurder)  # aldermen only ever see approved data
    assert melding not in client.get(concept).content.decode()


def test_concept_pdf(client, projectleider):
    client.force_login(projectleider)
    antwoord = client.get(reverse("rapportage:concept_pdf", args=CONCEPT))

    assert antwoord.status_code == 200
    assert antwoord.content.startswith(b"%PDF")
    assert "concept_VT24_2022KW03_kwartaal.pdf" in antwoord["Content-Disposition"]


def test_verkeerde_periode_geeft_404(client, projectleider):
    client.force_login(projectleider)
    url = reverse("rapportage:concept", args=["VT24", "2022KW03", "halfjaar"])
    assert client.get(url).status_code == 404


def test_concept_uit_de_cache_maar_een_gewijzigd_cijfer_meteen_zichtbaar(client, projectleider):
    """The concept's data are cached under the policy and the data's version: the second view
    reads no figures, and a correction shows at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import opgeslagen
    from tests.rapportage.conftest import platte_tekst

    concept = reverse("rapportage:concept", args=CONCEPT)
    client.force_login(projectleider)

    def tekst() -> str:  # without the CSRF token, masked anew on every page
        pagina = platte_tekst(client.get(concept).content.decode())
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", pagina)

    with CaptureQueriesContext(connection) as eerste:
        pagina = tekst()
    with CaptureQueriesContext(connection) as tweede:
        assert tekst() == pagina
    assert len(tweede.captured_queries) < len(eerste.captured_queries) / 2
    assert "426" not in pagina and "416" in pagina  # VT24's reports in 2022KW03

    dordrecht = opgeslagen().get(
        indicator_id="vt_meldingen", gemeente_id="GM0505", periode_id="2022KW03"
    )
    dordrecht.waarde += 10
    dordrecht.save()
    assert "426" in tekst()
