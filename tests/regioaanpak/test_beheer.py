"""The admin never bypasses a service: figures, deliveries and published reports are read-only
there, staff see only their own regions, and a swapped PDF is refused wherever it is served."""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.urls import reverse

from regioaanpak.choices import RolSoort
from regioaanpak.models import AuditRegel
from tests.factories import GebruikerFactory, RolFactory, opgeslagen

pytestmark = pytest.mark.django_db


def staf(regio, *rechten):
    """A staff user who is beheerder of the region and holds the model permissions given."""
    gebruiker = GebruikerFactory(username=f"staf-{regio.code.lower()}", is_staff=True)
    RolFactory(gebruiker=gebruiker, regio=regio, rol=RolSoort.BEHEERDER)
    gebruiker.user_permissions.add(*Permission.objects.filter(codename__in=rechten))
    return gebruiker


def test_staf_van_een_andere_regio_ziet_en_wijzigt_geen_cijfers_van_vt24(client, cijferregios):
    dordrecht = opgeslagen().get(
        gemeente_id="GM0505", periode_id="2021KW01", indicator_id="vt_meldingen"
    )
    client.force_login(staf(cijferregios["gz"], "view_waarneming", "change_waarneming"))

    lijst = client.get(reverse("admin:monitoring_waarneming_changelist")).content.decode()
    assert "Nijmegen" in lijst and "Dordrecht" not in lijst
    url = reverse("admin:monitoring_waarneming_change", args=[dordrecht.pk])
    assert client.get(url).status_code in (302, 404)  # "does not exist" for them
    client.post(url, {"waarde": "4343"})
    dordrecht.refresh_from_db()
    assert dordrecht.waarde == 412
    assert not AuditRegel.objects.filter(object_id=str(dordrecht.pk)).exists()


def test_een_goedgekeurd_cijfer_is_in_beheer_niet_te_wijzigen(client, cijferregios):
    nijmegen = opgeslagen().get(gemeente_id="GM0268")
    client.force_login(GebruikerFactory(username="root", is_staff=True, is_superuser=True))
    url = reverse("admin:monitoring_waarneming_change", args=[nijmegen.pk])
    pagina = client.get(url)
    assert pagina.status_code == 200 and 'name="_save"' not in pagina.content.decode()
    antwoord = client.post(
        url,
        {
            "indicator": "vt_meldingen",
            "gemeente": "GM0268",
            "periode": "2021KW01",
            "waarde": "4343",
            "status": "definitief",
        },
    )
    assert antwoord.status_code == 403
    nijmegen.refresh_from_db()
    assert nijmegen.waarde == 530
    for naam in ("monitoring_waarneming_add", "monitoring_gegevenslevering_add"):
        assert client.get(reverse(f"admin:{naam}")).status_code == 403
    assert (
        client.post(
            reverse("admin:monitoring_waarneming_delete", args=[nijmegen.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert opgeslagen().filter(pk=nijmegen.pk).exists()


def test_referentiegegevens_alleen_voor_superusers(client, cijferregios):
    client.force_login(staf(cijferregios["gz"], "view_indicator", "change_indicator"))
    url = reverse("admin:monitoring_indicator_change", args=["vt_meldingen"])
    assert client.get(url).status_code == 200
    client.post(url, {"geheimhouding_drempel": "0"})
    from monitoring.models import Indicator

    assert Indicator.objects.get(code="vt_meldingen").geheimhouding_drempel == 10


def test_rollen_in_beheer_per_regio(client, cijferregios):
    client.force_login(staf(cijferregios["gz"], "view_rol", "change_rol", "add_rol"))
    lijst = client.get(reverse("admin:regioaanpak_rol_changelist")).content.decode()
    assert "gerrit-ggd" in lijst and "vera-vt" not in lijst
    from regioaanpak.models import Rol

    nieuw = GebruikerFactory(username="nieuw")
    toevoegen = reverse("admin:regioaanpak_rol_add")
    antwoord = client.post(toevoegen, {"gebruiker": nieuw.pk, "regio": "VT24", "rol": "beheerder"})
    assert antwoord.status_code == 200  # the form again, with the error at the region
    assert not Rol.objects.filter(gebruiker=nieuw).exists()
    client.post(toevoegen, {"gebruiker": nieuw.pk, "regio": "VT06", "rol": "partner"})
    assert Rol.objects.filter(gebruiker=nieuw, regio="VT06").exists()


def test_gepubliceerd_rapport_is_in_beheer_niet_te_vervangen(client, regiostukken, api_token, api):
    rapport = regiostukken["rapport"]
    client.force_login(GebruikerFactory(username="root", is_staff=True, is_superuser=True))
    url = reverse("admin:rapportage_rapport_change", args=[rapport.pk])
    antwoord = client.post(
        url, {"pdf": ContentFile(b"%PDF-1.7 vervalst", name="vervalst.pdf"), "reden": "x"}
    )
    assert antwoord.status_code == 403
    rapport.refresh_from_db()
    with rapport.pdf.open("rb") as bestand:
        assert bestand.read() == b"%PDF-1.7 rapport"


def test_een_verwisselde_pdf_wordt_geweigerd_en_gelogd(
    client, regiostukken, cijferregios, api_token, api, caplog
):
    rapport = regiostukken["rapport"]
    # Someone with access to the storage (the database) swaps the file under the recorded
    # SHA-256.
    from regioaanpak.models import Bestand

    assert Bestand.objects.filter(naam=rapport.pdf.name).update(inhoud=b"%PDF-1.7 vervalst") == 1

    client.force_login(cijferregios["beleid"])
    with caplog.at_level(logging.ERROR, logger="rapportage.edities"):
        web = client.get(reverse("rapportage:download", args=["VT24", rapport.pk]))
    assert web.status_code == 409
    assert "komt niet overeen met de gepubliceerde versie" in web.content.decode()
    assert b"vervalst" not in web.content
    assert any("wijkt af van zijn SHA-256" in r.getMessage() for r in caplog.records)

    lezer = api(api_token(cijferregios["beleid"], ["VT24"]))
    antwoord = lezer.get(f"/api/v1/rapporten/{rapport.pk}/pdf/?editie=intern")
    assert antwoord.status_code == 409
    assert antwoord["Content-Type"].startswith("application/json")
    assert "SHA-256" in antwoord.json()["detail"]
    # The protected edition is intact and still served.
    assert lezer.get(f"/api/v1/rapporten/{rapport.pk}/pdf/?editie=afgeschermd").content == (
        b"%PDF-1.7 afgeschermd"
    )


def test_structuur_met_gerapporteerde_voortgang_is_niet_te_verwijderen(client, regiostukken):
    """Deleting a project (also as an inline row of its action line) or a milestone would take
    approved progress with it, without an audit entry: the admin refuses."""
    import datetime as dt

    from actielijnen.models import Mijlpaal, MijlpaalStand, Voortgangsupdate

    project, update = regiostukken["project"], regiostukken["goedgekeurd"]
    mijlpaal = Mijlpaal.objects.create(
        project=project, titel="Training gegeven", geplande_datum=dt.date(2021, 3, 1)
    )
    MijlpaalStand.objects.create(update=update, mijlpaal=mijlpaal, stand="behaald")
    client.force_login(GebruikerFactory(username="root", is_staff=True, is_superuser=True))

    client.post(reverse("admin:actielijnen_mijlpaal_delete", args=[mijlpaal.pk]), {"post": "yes"})
    client.post(reverse("admin:actielijnen_project_delete", args=[project.pk]), {"post": "yes"})
    actielijn = project.actielijn
    prefix = "projecten"
    antwoord = client.post(
        reverse("admin:actielijnen_actielijn_change", args=[actielijn.pk]),
        {
            "nummer": actielijn.nummer,
            "titel": actielijn.titel,
            "regioaanpak": actielijn.regioaanpak_id,
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "1",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
            f"{prefix}-0-id": project.pk,
            f"{prefix}-0-actielijn": actielijn.pk,
            f"{prefix}-0-titel": project.titel,
            f"{prefix}-0-DELETE": "on",
        },
    )
    assert antwoord.status_code == 200  # the form again, with the refusal
    assert "beschermde" in antwoord.content.decode() or "protected" in antwoord.content.decode()
    assert Voortgangsupdate.objects.filter(pk=update.pk).exists()
    assert MijlpaalStand.objects.filter(mijlpaal=mijlpaal).exists()
    assert not AuditRegel.objects.filter(actie="verwijderd").exists()
