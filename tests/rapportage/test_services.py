"""Publishing: who may, approved data only, versions with reasons, snapshots that never change."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from rapportage.choices import RapportStatus
from rapportage.models import Rapport
from rapportage.selectors import rapportgegevens
from rapportage.services import rapport_publiceren
from regioaanpak.inzage import Inzage
from regioaanpak.models import AuditRegel
from tests.factories import opgeslagen
from tests.rapportage.conftest import pdf_tekst, platte_tekst

pytestmark = pytest.mark.django_db


def rapportdeel(antwoord) -> str:
    """The report itself (the page around it holds a fresh CSRF token every time)."""
    return re.search(r'<article class="rapport".*</article>', antwoord.content.decode(), re.S)[0]


def publiceer(regio, gebruiker, reden=""):
    return rapport_publiceren(
        regio=regio, periode="2022KW03", soort="kwartaal", gebruiker=gebruiker, reden=reden
    )


def test_beleidsmedewerker_publiceert_uit_goedgekeurde_gegevens(
    zuid_holland_zuid, beleidsmedewerker
):
    rapport = publiceer(zuid_holland_zuid, beleidsmedewerker)

    rapport.refresh_from_db()
    assert rapport.versie == 1
    assert rapport.status == RapportStatus.GEPUBLICEERD
    assert rapport.gepubliceerd_door == beleidsmedewerker and rapport.gepubliceerd_op
    assert rapport.momentopname["alleen_goedgekeurd"] is True
    assert not rapport.momentopname["bevat_concept"]
    with rapport.pdf.open("rb") as bestand:
        inhoud = bestand.read()
    assert inhoud.startswith(b"%PDF")
    assert hashlib.sha256(inhoud).hexdigest() == rapport.sha256
    tekst = platte_tekst(pdf_tekst(inhoud))
    assert "gepubliceerd, versie 1" in tekst
    assert "concept — bevat" not in tekst
    assert AuditRegel.objects.filter(object_id=str(rapport.pk)).exists()


@pytest.mark.parametrize("rol", ["projectleider", "bestuurder", "buitenstaander"])
def test_alleen_een_beleidsmedewerker_van_de_regio_publiceert(request, zuid_holland_zuid, rol):
    gebruiker = request.getfixturevalue(rol)

    with pytest.raises(PermissionDenied, match="beleidsmedewerker"):
        publiceer(zuid_holland_zuid, gebruiker)
    assert not Rapport.objects.exists()


def test_nieuwe_versie_vraagt_een_reden(zuid_holland_zuid, beleidsmedewerker):
    publiceer(zuid_holland_zuid, beleidsmedewerker)

    with pytest.raises(ValidationError) as fout:
        publiceer(zuid_holland_zuid, beleidsmedewerker)
    assert "reden" in fout.value.message_dict
    tweede = publiceer(zuid_holland_zuid, beleidsmedewerker, reden="Cijfers Papendrecht hersteld")

    assert tweede.versie == 2 and tweede.reden == "Cijfers Papendrecht hersteld"
    assert Rapport.objects.count() == 2


def test_gepubliceerd_rapport_verandert_nooit_meer(client, zuid_holland_zuid, beleidsmedewerker):
    rapport = publiceer(zuid_holland_zuid, beleidsmedewerker)
    with rapport.pdf.open("rb") as bestand:
        pdf_voor = bestand.read()
    client.force_login(beleidsmedewerker)
    html_url = reverse("rapportage:gepubliceerd", args=["VT24", rapport.pk])
    html_voor = rapportdeel(client.get(html_url))
    assert "416" in html_voor

    # A figure changes after publication (a later correction).
    opgeslagen().filter(
        indicator_id="vt_meldingen", gemeente_id="GM0505", periode_id="2022KW03"
    ).update(waarde=999)

    rapport.refresh_from_db()
    download = client.get(reverse("rapportage:download", args=["VT24", rapport.pk]))
    pdf_na = download.content
    assert pdf_na == pdf_voor
    assert hashlib.sha256(pdf_na).hexdigest() == rapport.sha256
    assert rapportdeel(client.get(html_url)) == html_voor
    # A new concept does show the change.
    nieuw = rapportgegevens(zuid_holland_zuid, "2022KW03", "kwartaal", inzage=Inzage.intern("VT24"))
    assert nieuw["kerncijfers"][0]["aantal"]["tekst"] == "1.097"
    assert rapport.momentopname["kerncijfers"][0]["aantal"]["tekst"] == "416"
