"""The file storage in the database (regioaanpak.opslag): what every app machine shares."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from regioaanpak.models import Bestand
from regioaanpak.opslag import DatabaseOpslag, bewaar

pytestmark = pytest.mark.django_db


def test_opslaan_lezen_en_weggooien():
    assert isinstance(default_storage, DatabaseOpslag)
    naam = default_storage.save("rapporten/VT24_2026KW03.pdf", ContentFile(b"%PDF-1.7 een"))
    assert naam == "rapporten/VT24_2026KW03.pdf"
    assert default_storage.exists(naam)
    assert default_storage.size(naam) == 12
    with default_storage.open(naam) as bestand:
        assert bestand.read() == b"%PDF-1.7 een"
    assert default_storage.listdir("rapporten") == ([], ["VT24_2026KW03.pdf"])
    assert default_storage.listdir("") == (["rapporten"], [])
    assert default_storage.get_modified_time(naam).tzinfo is not None
    default_storage.delete(naam)
    assert not default_storage.exists(naam)
    with pytest.raises(FileNotFoundError):
        default_storage.open(naam)


def test_dezelfde_naam_krijgt_een_nieuwe_en_overschrijft_niets():
    eerste = default_storage.save("rapporten/a.pdf", ContentFile(b"eerste"))
    tweede = default_storage.save("rapporten/a.pdf", ContentFile(b"tweede"))
    assert eerste != tweede
    assert default_storage.open(eerste).read() == b"eerste"
    assert default_storage.open(tweede).read() == b"tweede"


def test_een_bezette_naam_breekt_de_omliggende_transactie_niet(monkeypatch):
    """Two machines saving the same name at once: the loser takes a fresh name inside its own
    savepoint, and the publication around it still commits."""
    opslag = DatabaseOpslag()
    Bestand.objects.create(naam="rapporten/b.pdf", inhoud=b"ander", grootte=5)
    # As if the name was free when it was chosen (the other machine was just ahead).
    namen = iter(["rapporten/b.pdf", "rapporten/b_2.pdf"])
    monkeypatch.setattr(DatabaseOpslag, "get_available_name", lambda self, naam, **k: next(namen))
    with transaction.atomic():
        naam = opslag.save("rapporten/b.pdf", ContentFile(b"mijn"))
        Bestand.objects.create(naam="na-de-botsing", inhoud=b"", grootte=0)
    assert naam == "rapporten/b_2.pdf"
    assert Bestand.objects.filter(naam="na-de-botsing").exists()
    assert opslag.open("rapporten/b.pdf").read() == b"ander"


def test_bewaar_vervangt_onder_precies_dezelfde_naam():
    bewaar("rapporten/concept/VT24_2026KW03.pdf", b"oud")
    bewaar("rapporten/concept/VT24_2026KW03.pdf", b"nieuw")
    assert Bestand.objects.filter(naam__startswith="rapporten/concept/").count() == 1
    assert default_storage.open("rapporten/concept/VT24_2026KW03.pdf").read() == b"nieuw"


def test_schrijven_via_open_en_een_adres_bestaan_niet():
    with pytest.raises(ValueError, match="save"):
        default_storage.open("x.pdf", "wb")
    with pytest.raises(NotImplementedError):
        default_storage.url("x.pdf")
