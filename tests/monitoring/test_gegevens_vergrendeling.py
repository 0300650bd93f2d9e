"""Submitting, approving and locking the figures of a region and period, and lifting the lock."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from monitoring.models import Gegevenslevering, Waarneming
from monitoring.selectors.organisaties import aanleververdeling
from monitoring.services import GridCel, gegevensgrid_opslaan, waarnemingen_importeer
from regioaanpak.choices import AuditActie, RolSoort
from regioaanpak.models import AuditRegel
from tests.factories import opgeslagen
from tests.monitoring.conftest import cel_invoer, grid_post, grid_url, levering, zet

pytestmark = pytest.mark.django_db

KW = "2021KW01"


def overgang(client, naar, reden="", regio="VT06", periode=KW):
    return client.post(
        grid_url(regio, periode, "gegevens_overgang"), {"naar": naar, "reden": reden}, follow=True
    )


@pytest.fixture
def goedgekeurd(gz, beleidsmedewerker):
    zet("vt_meldingen", "GM0268", KW, 412)
    return levering(
        gz,
        KW,
        "goedgekeurd",
        beoordeeld_door=beleidsmedewerker,
        beoordeeld_op=timezone.make_aware(dt.datetime(2021, 5, 3, 14, 5)),
    )


def test_indienen_goedkeuren_en_vergrendeld_invoerscherm(
    client, gz, projectleider, beleidsmedewerker
):
    client.force_login(projectleider)
    client.post(grid_url("VT06", KW), grid_post({("GM0268", "vt_meldingen"): "412"}))
    html = overgang(client, "ingediend").content.decode()
    assert "De cijfers over 2021KW01 zijn ingediend ter beoordeling." in html
    assert "De cijfers wachten op beoordeling en kunnen nu niet worden gewijzigd." in html
    assert cel_invoer(html, "GM0268", "vt_meldingen") is None

    client.force_login(beleidsmedewerker)
    html = client.get(grid_url("VT06", KW)).content.decode()
    assert ">Goedkeuren</button>" in html and ">Terugsturen</button>" in html
    assert "Reden bij terugsturen (verplicht)" in html
    html = overgang(client, "goedgekeurd").content.decode()
    assert "De cijfers over 2021KW01 zijn goedgekeurd en vergrendeld." in html
    assert "Goedgekeurd en vergrendeld op " in html and " door Bram Jansen." in html

    client.force_login(projectleider)
    html = client.get(grid_url("VT06", KW)).content.decode()
    assert cel_invoer(html, "GM0268", "vt_meldingen") is None
    assert "Cijfers opslaan" not in html and "Bestand controleren" not in html
    assert "Goedgekeurd en vergrendeld op" in html


def test_terugsturen_vraagt_een_reden(client, gz, beleidsmedewerker):
    ingediend = levering(gz, KW, "ingediend")
    client.force_login(beleidsmedewerker)
    html = overgang(client, "teruggestuurd").content.decode()
    assert "Geef een reden op om " in html
    ingediend.refresh_from_db()
    assert ingediend.workflow_status == "ingediend"
    html = overgang(client, "teruggestuurd", "Wijchen ontbreekt nog").content.decode()
    assert "De cijfers over 2021KW01 zijn teruggestuurd." in html
    assert "Wijchen ontbreekt nog" in html


def test_projectleider_mag_niet_goedkeuren(client, gz, projectleider):
    levering(gz, KW, "ingediend")
    client.force_login(projectleider)
    html = overgang(client, "goedgekeurd").content.decode()
    assert "Alleen een beleidsmedewerker of beheerder van Gelderland-Zuid mag goedkeuren." in html
    assert Gegevenslevering.objects.get().workflow_status == "ingediend"


def test_overgang_zonder_opgeslagen_cijfers(client, gz, projectleider):
    client.force_login(projectleider)
    html = overgang(client, "ingediend").content.decode()
    assert "Voor 2021KW01 zijn nog geen cijfers opgeslagen" in html


def test_vergrendeling_weigert_het_invoerscherm(client, goedgekeurd, projectleider):
    client.force_login(projectleider)
    html = client.get(grid_url("VT06", KW)).content.decode()
    assert "Goedgekeurd en vergrendeld op 3 mei 2021 om 14:05 door Bram Jansen." in html
    html = client.post(
        grid_url("VT06", KW),
        grid_post({("GM0268", "vt_meldingen"): "500"}, versie=goedgekeurd.versie),
    ).content.decode()
    assert (
        "De cijfers van Gelderland-Zuid over 2021KW01 zijn goedgekeurd en vergrendeld "
        "(3 mei 2021 om 14:05 door Bram Jansen); vraag een beheerder de vergrendeling op te heffen."
    ) in html
    assert opgeslagen().get().waarde == 412


def test_vergrendeling_weigert_de_upload(client, goedgekeurd, projectleider):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(projectleider)
    html = client.post(
        grid_url("VT06", KW, "gegevens_upload"),
        {
            "bestand": SimpleUploadedFile(
                "cijfers.csv",
                b"indicator,gebied,periode,waarde\nvt_meldingen,GM0268,2021KW01,500\n",
            )
        },
    ).content.decode()
    assert (
        "Regel 2: de cijfers van Gelderland-Zuid over 2021KW01 zijn goedgekeurd en vergrendeld; "
        "vraag een beheerder de vergrendeling op te heffen."
    ) in html
    assert "Bevestigen" not in html
    assert opgeslagen().get().waarde == 412


def test_vergrendeling_weigert_het_importcommando(tmp_path, zhz, gz):
    levering(zhz, KW, "goedgekeurd")
    pad = tmp_path / "vt.csv"
    pad.write_text(
        "indicator,gebied,periode,waarde\n"
        "vt_meldingen,GM0268,2021KW01,412\n"  # Nijmegen: Gelderland-Zuid is not locked
        "vt_meldingen,GM0505,2021KW01,301\n"  # Dordrecht: Zuid-Holland Zuid is locked
        "vt_adviezen,VT24,2021KW01,900\n"  # the region's own figure is locked too
        "vt_meldingen,GM0505,2021KW02,280\n",  # another quarter is not
        encoding="utf-8",
    )
    fouten = StringIO()
    with pytest.raises(CommandError, match="Er is niets opgeslagen: 2 fouten"):
        call_command("importeer_waarnemingen", str(pad), stdout=StringIO(), stderr=fouten)
    assert (
        "Regel 3: de cijfers van Zuid-Holland Zuid over 2021KW01 zijn goedgekeurd en "
        "vergrendeld; vraag een beheerder de vergrendeling op te heffen."
    ) in fouten.getvalue()
    assert "Regel 4: de cijfers van Zuid-Holland Zuid over 2021KW01" in fouten.getvalue()
    assert "Regel 2" not in fouten.getvalue() and "Regel 5" not in fouten.getvalue()
    assert Waarneming.objects.count() == 0


def test_vergrendelcontrole_kost_een_vast_aantal_queries(zhz, gz):
    levering(zhz, KW, "goedgekeurd")
    levering(gz, KW, "goedgekeurd")
    aanleververdeling()  # who delivers what: read once, then cached for every request

    def rijen(aantal):
        return [
            {
                "indicator": "vt_meldingen",
                "gebied": ["GM0505", "GM0268", "GM0281", "VT24"][n % 4],
                "periode": f"{2021 - n // 4}KW01",
                "waarde": "5",
                "__regel__": n + 2,
            }
            for n in range(aantal)
        ]

    with CaptureQueriesContext(connection) as weinig:
        waarnemingen_importeer(rijen=rijen(4), dry_run=True)
    with CaptureQueriesContext(connection) as veel:
        resultaat = waarnemingen_importeer(rijen=rijen(48), dry_run=True)
    assert len(veel.captured_queries) == len(weinig.captured_queries)
    assert len(resultaat.fouten) == 4  # the four rows of 2021KW01


def test_beheerder_heft_de_vergrendeling_op_met_reden(
    client, goedgekeurd, beheerder, projectleider
):
    client.force_login(beheerder)
    html = client.get(grid_url("VT06", KW)).content.decode()
    assert ">Vergrendeling opheffen</button>" in html
    html = overgang(client, "concept").content.decode()
    assert "Geef een reden op om " in html
    goedgekeurd.refresh_from_db()
    assert goedgekeurd.workflow_status == "goedgekeurd"

    reden = "CBS-correctie Veilig Thuis over Nijmegen"
    html = overgang(client, "concept", reden).content.decode()
    assert "De cijfers over 2021KW01 kunnen weer worden gewijzigd." in html
    regel = AuditRegel.objects.get(actie=AuditActie.ONTGRENDELD)
    assert regel.reden == reden and regel.gebruiker == beheerder
    assert regel.voor == {"status": "goedgekeurd"} and regel.na == {"status": "concept"}
    assert f"Reden: {reden}" in html

    # The project leader can change the figures again.
    goedgekeurd.refresh_from_db()
    resultaat = gegevensgrid_opslaan(
        regio=goedgekeurd.regio,
        periode=KW,
        cellen=[GridCel("GM0268", "vt_meldingen", "415")],
        versie=goedgekeurd.versie,
        gebruiker=projectleider,
    )
    assert resultaat.opgeslagen, resultaat
    assert opgeslagen().get().waarde == 415


def test_alleen_een_beheerder_heft_op(client, goedgekeurd, beleidsmedewerker):
    client.force_login(beleidsmedewerker)
    html = client.get(grid_url("VT06", KW)).content.decode()
    assert "Vergrendeling opheffen" not in html
    html = overgang(client, "concept", "graag").content.decode()
    assert "Alleen een beheerder van Gelderland-Zuid mag vergrendeling opheffen." in html


@pytest.mark.parametrize("rol", [RolSoort.BESTUURDER, RolSoort.PARTNER])
def test_kijkers_zien_geen_knoppen(client, gz, persoon, rol):
    levering(gz, KW, "ingediend")
    client.force_login(persoon(gz, rol, "kijker"))
    html = client.get(grid_url("VT06", KW)).content.decode()
    assert "Indienen en beoordelen" not in html


def test_gemeente_van_twee_regios_is_vergrendeld_als_de_andere_regio_goedkeurde(
    client, gz, projectleider
):
    """Nijmegen is also in the centrumgemeenteregio; once that region approved 2021KW01, the
    Veilig Thuis region's grid cannot change Nijmegen's figure either (the import's rule), so
    an unapproved value never shows up as approved."""
    from tests.factories import LidmaatschapFactory, RegioFactory

    centrum = RegioFactory(code="CG01", naam="Centrumgemeenteregio Nijmegen")
    LidmaatschapFactory(regio=centrum, gemeente_id="GM0268")
    zet("vt_meldingen", "GM0268", KW, 412)
    levering(centrum, KW, "goedgekeurd")
    client.force_login(projectleider)

    html = client.get(grid_url("VT06", KW)).content.decode()
    assert cel_invoer(html, "GM0268", "vt_meldingen") is None  # shown, not editable
    assert "goedgekeurd in Centrumgemeenteregio Nijmegen" in html
    assert cel_invoer(html, "GM0281", "vt_meldingen") is not None  # Tiel is VT06 only

    antwoord = client.post(grid_url("VT06", KW), grid_post({("GM0268", "vt_meldingen"): "999"}))
    assert "Goedgekeurd en vergrendeld in Centrumgemeenteregio Nijmegen" in (
        antwoord.content.decode()
    )
    assert opgeslagen().get(gemeente_id="GM0268").waarde == 412
