"""Writing many rows at once from tuples (`bulk_invoegen_rijen`), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from regioaanpak.bulk import JsonTekst, bulk_invoegen_rijen
from regioaanpak.models import AuditRegel
from regioaanpak.services import AuditRij, audit_schrijf_veel

pytestmark = pytest.mark.django_db


def _rij(object_id: str, na) -> AuditRij:
    return AuditRij(None, "invoer", None, "test.ding", object_id, "", "aangemaakt", None, na, "")


def test_json_als_tekst_en_als_waarde_geven_hetzelfde_en_tijdstip_is_voor_alle_rijen_gelijk():
    nu = timezone.now().replace(microsecond=0) - dt.timedelta(days=3)
    sleutels = bulk_invoegen_rijen(
        AuditRegel,
        AuditRij._fields,
        [
            _rij("1", {"waarde": "12.5", "status": "voorlopig"}),
            _rij("2", JsonTekst('{"waarde": "12.5", "status": "voorlopig"}')),
            # A JSON string value is not mistaken for JSON text.
            _rij("3", '{"waarde": 1}'),
            _rij("4", None),
        ],
        met_sleutels=True,
        nu=nu,
    )
    regels = {r.object_id: r for r in AuditRegel.objects.filter(object_type="test.ding")}
    assert [regels[str(i)].pk for i in range(1, 5)] == sleutels
    assert regels["1"].na == regels["2"].na == {"waarde": "12.5", "status": "voorlopig"}
    assert regels["3"].na == '{"waarde": 1}'
    assert regels["4"].na is None
    assert {r.tijdstip for r in regels.values()} == {nu}


def test_weggelaten_kolommen_krijgen_wat_django_zou_opslaan():
    bulk_invoegen_rijen(
        AuditRegel, ("object_type", "object_id", "actie"), [("test.ding", "9", "x")]
    )
    regel = AuditRegel.objects.get(object_type="test.ding")
    assert (regel.gebruiker_id, regel.gebruikersnaam, regel.voor, regel.reden) == (
        None,
        "",
        None,
        "",
    )
    assert regel.tijdstip is not None


def test_onbekende_kolom_is_een_fout_en_er_is_niets_geschreven():
    with pytest.raises(ValueError, match="geen kolommen"):
        bulk_invoegen_rijen(AuditRegel, ("object_type", "bestaat_niet"), [("a", "b")])
    assert not AuditRegel.objects.exists()


def test_lege_invoer_schrijft_niets():
    audit_schrijf_veel([])
    assert bulk_invoegen_rijen(AuditRegel, AuditRij._fields, [], met_sleutels=True) == []
    assert not AuditRegel.objects.exists()
