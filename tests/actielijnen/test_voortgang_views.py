import html
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actielijnen.models import Voortgangsupdate
from actielijnen.services import voortgangsupdate_opslaan, voortgangsupdate_overgang
from regioaanpak.choices import RolSoort, WorkflowStatus
from tests.actielijnen.conftest import MijlpaalFactory, VoortgangsupdateFactory, verse
from tests.factories import GebruikerFactory, ProjectFactory, RolFactory, periode

pytestmark = pytest.mark.django_db

KWARTAAL = "2021KW02"


def tekst(antwoord) -> str:
    """The page as a user reads it: tags kept, entities unescaped, whitespace collapsed."""
    return re.sub(r"\s+", " ", html.unescape(antwoord.content.decode()))


def zichtbaar(antwoord) -> str:
    """Only the text, without tags."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", tekst(antwoord)))


def overzicht_url(regio="VT24", periode=KWARTAAL):
    return reverse("actielijnen:voortgang_overzicht", kwargs={"regio": regio, "periode": periode})


def update_url(project, periode=KWARTAAL):
    return reverse(
        "actielijnen:voortgang_update", kwargs={"project": project.pk, "periode": periode}
    )


def overgang_url(project, periode=KWARTAAL):
    return reverse(
        "actielijnen:voortgang_overgang", kwargs={"project": project.pk, "periode": periode}
    )


def formulier(**anders) -> dict:
    return {
        "status": "op_schema",
        "toelichting": "Tien basisscholen in Dordrecht doen mee.",
        "resultaten": "",
        "knelpunten": "",
        "volgende_stappen": "",
        "uitgaven_tm_kwartaal": "12.500,00",
        "fase": "start_uitvoering",
        "fase_toelichting": "",
        "versie": "",
        "opslaan": "1",
        **anders,
    }


def opslaan_als(zhz, gebruiker=None, versie=None, **gegevens):
    return voortgangsupdate_opslaan(
        project=zhz.handle_with_care,
        periode=KWARTAAL,
        gegevens={"status": "op_schema", **gegevens},
        mijlpaalstanden={},
        versie=versie,
        gebruiker=verse(gebruiker or zhz.projectleider),
    )


def ingediend(zhz):
    update = opslaan_als(zhz, toelichting="Tien basisscholen in Dordrecht doen mee.")
    return voortgangsupdate_overgang(
        update=update, naar=WorkflowStatus.INGEDIEND, gebruiker=verse(zhz.projectleider)
    )


# -- permission matrix -----------------------------------------------------------------------


def _urls(zhz):
    return {
        "overzicht": ("get", overzicht_url()),
        "update": ("get", update_url(zhz.handle_with_care)),
        "overgang": ("post", overgang_url(zhz.handle_with_care)),
    }


@pytest.mark.parametrize("pagina", ["overzicht", "update", "overgang"])
def test_anoniem_gaat_naar_inloggen(client, zhz, pagina):
    ingediend(zhz)
    methode, url = _urls(zhz)[pagina]
    antwoord = getattr(client, methode)(url, {"naar": "goedgekeurd"} if methode == "post" else {})
    assert antwoord.status_code == 302
    assert antwoord["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("pagina", ["overzicht", "update", "overgang"])
@pytest.mark.parametrize("wie", ["zonder_rol", "andere_regio"])
def test_zonder_rol_in_de_regio_404(client, zhz, gelderland_zuid, pagina, wie):
    ingediend(zhz)
    gebruiker = GebruikerFactory() if wie == "zonder_rol" else gelderland_zuid[2]
    client.force_login(gebruiker)
    methode, url = _urls(zhz)[pagina]
    antwoord = getattr(client, methode)(url, {"naar": "goedgekeurd"} if methode == "post" else {})
    assert antwoord.status_code == 404
    assert "Handle with Care" not in antwoord.content.decode()
    assert Voortgangsupdate.objects.get().workflow_status == WorkflowStatus.INGEDIEND


@pytest.mark.parametrize("rol", ["projectleider", "beleidsmedewerker", "bestuurder", "beheerder"])
@pytest.mark.parametrize("pagina", ["overzicht", "update"])
def test_elke_rol_in_de_regio_mag_kijken(client, zhz, pagina, rol):
    client.force_login(getattr(zhz, rol))
    antwoord = client.get(_urls(zhz)[pagina][1])
    assert antwoord.status_code == 200
    assert "Handle with Care" in tekst(antwoord)


def test_beoordelaar_mag_de_overgang_maken(client, zhz):
    ingediend(zhz)
    client.force_login(zhz.beleidsmedewerker)
    antwoord = client.post(overgang_url(zhz.handle_with_care), {"naar": "goedgekeurd"}, follow=True)
    assert antwoord.redirect_chain[-1][0] == update_url(zhz.handle_with_care)
    assert "De update is goedgekeurd." in tekst(antwoord)
    assert Voortgangsupdate.objects.get().workflow_status == WorkflowStatus.GOEDGEKEURD


def test_overgang_alleen_met_post(client, zhz):
    ingediend(zhz)
    client.force_login(zhz.beleidsmedewerker)
    assert client.get(overgang_url(zhz.handle_with_care)).status_code == 405


# -- what each role sees -----------------------------------------------------------------------


def test_projectleider_ziet_het_formulier_met_planning_en_mijlpalen(client, zhz):
    client.force_login(zhz.projectleider)
    pagina = tekst(client.get(update_url(zhz.handle_with_care)))
    assert '<form method="post" class="voortgangformulier"' in pagina
    assert 'name="toelichting"' in pagina
    assert "Gepland voor 2e kwartaal 2021: <strong>start uitvoering</strong>" in pagina
    assert "(Start op tien scholen)" in pagina
    assert "Scholing intern begeleiders" in pagina
    assert f'name="mijlpaal_{zhz.scholing.pk}_stand"' in pagina
    assert 'type="hidden" name="versie"' in pagina
    assert "Opslaan en indienen" in pagina
    assert "Goedkeuren" not in pagina


def test_bestuurder_ziet_alleen_een_goedgekeurde_update_zonder_knoppen(client, zhz):
    update = opslaan_als(
        zhz, toelichting="Tien basisscholen doen mee.", uitgaven_tm_kwartaal=Decimal("12500")
    )
    client.force_login(zhz.bestuurder)
    # A concept (and a submitted update) reaches only those who write or review it.
    pagina = tekst(client.get(update_url(zhz.handle_with_care)))
    assert "Tien basisscholen doen mee." not in pagina
    assert "nog geen goedgekeurde voortgang" in pagina
    voortgangsupdate_overgang(
        update=update, naar=WorkflowStatus.INGEDIEND, gebruiker=verse(zhz.projectleider)
    )
    pagina = tekst(client.get(update_url(zhz.handle_with_care)))
    assert "Tien basisscholen doen mee." not in pagina
    assert "Tien basisscholen" not in tekst(client.get(overzicht_url()))

    update.refresh_from_db()
    voortgangsupdate_overgang(
        update=update, naar=WorkflowStatus.GOEDGEKEURD, gebruiker=verse(zhz.beleidsmedewerker)
    )
    pagina = tekst(client.get(update_url(zhz.handle_with_care)))
    assert "Tien basisscholen doen mee." in pagina
    assert "€ 12.500,00" in pagina
    assert "<textarea" not in pagina
    assert "Opslaan" not in pagina
    assert "Goedkeuren" not in pagina and "Terugsturen" not in pagina
    assert "Geschiedenis" not in pagina  # the history holds the texts before approval


def test_beleidsmedewerker_ziet_goedkeuren_en_terugsturen_bij_een_ingediende_update(client, zhz):
    ingediend(zhz)
    client.force_login(zhz.beleidsmedewerker)
    pagina = tekst(client.get(update_url(zhz.handle_with_care)))
    assert '<button type="submit" class="knop">Goedkeuren</button>' in pagina
    assert "Terugsturen</button>" in pagina
    assert '<textarea name="reden" id="reden-teruggestuurd" rows="3" required>' in pagina
    assert '<form method="post" class="voortgangformulier"' not in pagina


def test_projectleider_ziet_een_ingediende_update_alleen_lezen(client, zhz):
    ingediend(zhz)
    client.force_login(zhz.projectleider)
    pagina = tekst(client.get(update_url(zhz.handle_with_care)))
    assert "Tien basisscholen in Dordrecht doen mee." in pagina
    assert "voortgangformulier" not in pagina
    assert "Goedkeuren" not in pagina


def test_goedgekeurde_update_heeft_geen_formulier_en_geen_knoppen(client, zhz):
    update = ingediend(zhz)
    voortgangsupdate_overgang(
        update=update, naar=WorkflowStatus.GOEDGEKEURD, gebruiker=verse(zhz.beleidsmedewerker)
    )
    for gebruiker in (zhz.projectleider, zhz.beleidsmedewerker, zhz.beheerder):
        client.force_login(gebruiker)
        pagina = tekst(client.get(update_url(zhz.handle_with_care)))
        assert "goedgekeurd" in pagina
        assert "<textarea" not in pagina and '<button type="submit" class="knop' not in pagina

    # Posting anyway changes nothing and says why.
    client.force_login(zhz.projectleider)
    antwoord = client.post(
        update_url(zhz.handle_with_care),
        formulier(toelichting="Achteraf aangepast.", versie="3"),
        follow=True,
    )
    assert "Deze update is goedgekeurd en kan niet meer worden gewijzigd." in tekst(antwoord)
    assert "Achteraf aangepast." not in Voortgangsupdate.objects.get().toelichting


# -- filling in --------------------------------------------------------------------------------


def test_nieuwe_update_begint_met_de_tekst_van_het_vorige_kwartaal(client, zhz):
    vorige = VoortgangsupdateFactory(
        project=zhz.handle_with_care,
        periode=periode("2021KW01"),
        status="aandacht",
        knelpunten="Nog geen afspraken met de politie over de melding aan school.",
        uitgaven_tm_kwartaal=Decimal("4000"),
    )
    vorige.mijlpaalstanden.create(mijlpaal=zhz.scholing, stand="loopt", toelichting="Gestart")
    client.force_login(zhz.projectleider)

    pagina = tekst(client.get(update_url(zhz.handle_with_care)))

    assert "De tekst van 1e kwartaal 2021 is als startpunt ingevuld; pas hem aan." in pagina
    assert "Nog geen afspraken met de politie over de melding aan school.</textarea>" in pagina
    assert '<option value="aandacht" selected>aandacht nodig</option>' in pagina
    assert 'value="4000,00"' in pagina
    assert '<option value="loopt" selected>loopt volgens plan</option>' in pagina
    assert 'name="versie" id="id_versie"' in pagina and 'name="versie" value=' not in pagina


def test_bestaande_update_toont_geen_startpunt_melding(client, zhz):
    VoortgangsupdateFactory(project=zhz.handle_with_care, periode=periode("2021KW01"))
    opslaan_als(zhz, toelichting="Eigen tekst van dit kwartaal.")
    client.force_login(zhz.projectleider)
    pagina = tekst(client.get(update_url(zhz.handle_with_care)))
    assert "als startpunt ingevuld" not in pagina
    assert "Eigen tekst van dit kwartaal." in pagina


def test_opslaan_en_dan_opslaan_en_indienen(client, zhz, django_capture_on_commit_callbacks):
    client.force_login(zhz.projectleider)
    url = update_url(zhz.handle_with_care)
    gegevens = formulier(**{f"mijlpaal_{zhz.scholing.pk}_stand": "behaald"})

    antwoord = client.post(url, gegevens, follow=True)

    assert "De update is opgeslagen." in tekst(antwoord)
    update = Voortgangsupdate.objects.get()
    assert update.uitgaven_tm_kwartaal == Decimal("12500.00")
    assert update.mijlpaalstanden.get().stand == "behaald"
    assert "Petra Projectleider" in tekst(antwoord)  # in the history

    with django_capture_on_commit_callbacks(execute=True):
        antwoord = client.post(
            url,
            formulier(versie=str(update.versie), resultaten="32 begeleiders geschoold.")
            | {"indienen": "1"},
            follow=True,
        )

    pagina = tekst(antwoord)
    assert "De update is opgeslagen en ingediend." in pagina
    update.refresh_from_db()
    assert update.workflow_status == WorkflowStatus.INGEDIEND
    assert update.resultaten == "32 begeleiders geschoold."
    assert [bericht.to for bericht in mail.outbox] == [["bram@dordrecht.example.nl"]]
    assert f"http://testserver{url}" in mail.outbox[0].body


def test_formulierfouten_staan_in_het_nederlands_bij_het_veld(client, zhz):
    client.force_login(zhz.projectleider)
    antwoord = client.post(
        update_url(zhz.handle_with_care),
        formulier(status="", uitgaven_tm_kwartaal="twaalfduizend", toelichting="Mijn tekst."),
    )
    pagina = tekst(antwoord)
    assert antwoord.status_code == 200
    assert "De update is niet opgeslagen. Verbeter de gemarkeerde velden." in pagina
    assert '<ul class="veldfout" id="id_status_fout"><li>Kies de status van het project.' in pagina
    assert (
        '<ul class="veldfout" id="id_uitgaven_tm_kwartaal_fout"><li>Vul een bedrag in euro in, '
        "bijvoorbeeld 12.500,00." in pagina
    )
    assert "Mijn tekst.</textarea>" in pagina
    assert not Voortgangsupdate.objects.exists()


@pytest.mark.parametrize(
    ("ingetypt", "bedrag"),
    [
        ("12.500,00", Decimal("12500.00")),
        ("€ 12.500", Decimal("12500.00")),
        ("12500,5", Decimal("12500.50")),
        ("12.500,-", Decimal("12500.00")),
        ("12500.50", Decimal("12500.50")),
    ],
)
def test_bedragen_zoals_nederlanders_ze_typen(client, zhz, ingetypt, bedrag):
    client.force_login(zhz.projectleider)
    client.post(update_url(zhz.handle_with_care), formulier(uitgaven_tm_kwartaal=ingetypt))
    assert Voortgangsupdate.objects.get().uitgaven_tm_kwartaal == bedrag


def test_conflict_houdt_de_invoer_op_de_pagina(client, zhz):
    opslaan_als(zhz, toelichting="Eerste tekst.")
    collega = GebruikerFactory(username="piet", first_name="Piet", last_name="Projectleider")
    RolFactory(gebruiker=collega, regio=zhz.regio, rol=RolSoort.PROJECTLEIDER)
    opslaan_als(zhz, gebruiker=collega, versie=1, toelichting="Tekst van Piet.")
    client.force_login(zhz.projectleider)
    url = update_url(zhz.handle_with_care)

    antwoord = client.post(
        url, formulier(versie="1", toelichting="Mijn eigen tekst over de scholing.")
    )

    pagina = tekst(antwoord)
    assert antwoord.status_code == 409
    assert "Deze update is intussen gewijzigd door Piet Projectleider" in pagina
    assert "Uw invoer is niet opgeslagen maar staat hieronder nog" in pagina
    assert "Mijn eigen tekst over de scholing.</textarea>" in pagina
    assert "Tekst van Piet." in pagina  # the stored version, to compare
    assert Voortgangsupdate.objects.get().toelichting == "Tekst van Piet."
    assert 'name="versie" value="2"' in pagina

    # After comparing, saving again (now based on version 2) works.
    antwoord = client.post(
        url, formulier(versie="2", toelichting="Mijn eigen tekst over de scholing."), follow=True
    )
    assert "De update is opgeslagen." in tekst(antwoord)
    assert Voortgangsupdate.objects.get().toelichting == "Mijn eigen tekst over de scholing."


def test_intussen_ingediend_houdt_de_invoer_ook_op_de_pagina(client, zhz):
    update = ingediend(zhz)
    client.force_login(zhz.projectleider)
    antwoord = client.post(
        update_url(zhz.handle_with_care),
        formulier(versie=str(update.versie - 1), toelichting="Nog een aanvulling."),
    )
    pagina = tekst(antwoord)
    assert antwoord.status_code == 409
    assert "Deze update is ingediend en kan niet meer worden gewijzigd." in pagina
    assert "Nog een aanvulling.</textarea>" in pagina


def test_alleen_de_projectleider_kan_opslaan_via_de_pagina(client, zhz):
    client.force_login(zhz.beleidsmedewerker)
    antwoord = client.post(update_url(zhz.handle_with_care), formulier(), follow=True)
    assert "Alleen de projectleider van Zuid-Holland Zuid mag de voortgang" in tekst(antwoord)
    assert not Voortgangsupdate.objects.exists()


# -- approving and returning -------------------------------------------------------------------


def test_terugsturen_zonder_reden_wordt_geweigerd(client, zhz):
    ingediend(zhz)
    client.force_login(zhz.beleidsmedewerker)
    antwoord = client.post(
        overgang_url(zhz.handle_with_care), {"naar": "teruggestuurd", "reden": "  "}, follow=True
    )
    assert "Geef een reden op als u de update wilt terugsturen." in tekst(antwoord)
    assert Voortgangsupdate.objects.get().workflow_status == WorkflowStatus.INGEDIEND


def test_teruggestuurde_update_toont_de_reden_en_het_formulier(client, zhz):
    ingediend(zhz)
    client.force_login(zhz.beleidsmedewerker)
    antwoord = client.post(
        overgang_url(zhz.handle_with_care),
        {"naar": "teruggestuurd", "reden": "Vul de behaalde resultaten in."},
        follow=True,
    )
    assert "De update is teruggestuurd naar de projectleider." in tekst(antwoord)

    client.force_login(zhz.projectleider)
    antwoord = client.get(update_url(zhz.handle_with_care))
    pagina = tekst(antwoord)
    assert '<div class="kader kader--teruggestuurd" role="status"> <h2>Teruggestuurd</h2>' in pagina
    assert "Bram Beleid stuurde deze update op" in pagina
    assert "Vul de behaalde resultaten in." in pagina
    assert "voortgangformulier" in pagina
    # The history names who did what, with the reason.
    assert "Status gewijzigd (terugsturen)" in pagina
    assert "Status van de update: ingediend → teruggestuurd" in zichtbaar(antwoord)


def test_overgang_die_niet_mag_geeft_een_melding(client, zhz):
    ingediend(zhz)
    client.force_login(zhz.projectleider)
    antwoord = client.post(overgang_url(zhz.handle_with_care), {"naar": "goedgekeurd"}, follow=True)
    assert "Alleen een beleidsmedewerker of beheerder van Zuid-Holland Zuid mag goedkeuren." in (
        tekst(antwoord)
    )
    assert Voortgangsupdate.objects.get().workflow_status == WorkflowStatus.INGEDIEND


def test_overgang_verraadt_de_stand_niet_aan_wie_hem_niet_mag_zien(client, zhz):
    """A wethouder (or partner) gets 404 whether the update exists or not, never its state."""
    ingediend(zhz)
    client.force_login(zhz.bestuurder)
    for kwartaal in (KWARTAAL, "2021KW03"):
        antwoord = client.post(
            overgang_url(zhz.handle_with_care, kwartaal), {"naar": "goedgekeurd"}
        )
        assert antwoord.status_code == 404
    assert Voortgangsupdate.objects.get().workflow_status == WorkflowStatus.INGEDIEND


def test_overgang_naar_onbekende_status(client, zhz):
    ingediend(zhz)
    client.force_login(zhz.beleidsmedewerker)
    antwoord = client.post(overgang_url(zhz.handle_with_care), {"naar": "weg"}, follow=True)
    assert "Deze statuswijziging bestaat niet." in tekst(antwoord)


def test_overgang_zonder_update_is_404(client, zhz):
    client.force_login(zhz.beleidsmedewerker)
    antwoord = client.post(overgang_url(zhz.handle_with_care), {"naar": "goedgekeurd"})
    assert antwoord.status_code == 404


# -- periods and the overview -----------------------------------------------------------------


@pytest.mark.parametrize("fout", ["2021KW05", "2021HJ01", "2021JJ00", "kwartaal", "2021kw02"])
def test_foute_periode_geeft_404(client, zhz, fout):
    ingediend(zhz)
    client.force_login(zhz.beleidsmedewerker)
    assert client.get(overzicht_url(periode=fout)).status_code == 404
    assert client.get(update_url(zhz.handle_with_care, fout)).status_code == 404
    antwoord = client.post(overgang_url(zhz.handle_with_care, fout), {"naar": "goedgekeurd"})
    assert antwoord.status_code == 404


def test_kwartaal_buiten_de_perioden_van_de_monitor_is_404(client, zhz):
    client.force_login(zhz.projectleider)
    assert client.get(update_url(zhz.handle_with_care, "2099KW01")).status_code == 404


def test_overzicht_toont_status_per_project_en_kwartaalnavigatie(client, zhz):
    ingediend(zhz)
    client.force_login(zhz.projectleider)
    pagina = tekst(client.get(overzicht_url()))
    assert "Voortgang Zuid-Holland Zuid" in pagina
    assert "1 van 2 projecten ingediend of goedgekeurd." in pagina
    assert '<span class="label label--ingediend">ingediend</span>' in pagina
    assert '<span class="projectstatus projectstatus--op_schema">op schema</span>' in pagina
    assert '<span class="label label--geen">geen</span>' in pagina
    assert f'href="{update_url(zhz.traumascreening)}">Invullen' in pagina
    assert f'href="{overzicht_url(periode="2021KW01")}" rel="prev">← 1e kwartaal 2021' in pagina
    assert f'href="{overzicht_url(periode="2021KW03")}" rel="next">3e kwartaal 2021 →' in pagina
    assert pagina.index("Handle with Care") < pagina.index("Traumascreening")


def test_overzicht_voor_een_bestuurder_biedt_alleen_bekijken(client, zhz):
    client.force_login(zhz.bestuurder)
    pagina = tekst(client.get(overzicht_url()))
    assert "Invullen" not in pagina
    assert "Bekijken" in pagina


def test_overzicht_gebruikt_een_vast_aantal_queries(client, zhz):
    client.force_login(zhz.projectleider)

    def tel() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(overzicht_url()).status_code == 200
        return len(queries)

    bij_twee = tel()
    for nummer in range(8):
        project = ProjectFactory(
            actielijn=zhz.handle_with_care.actielijn,
            titel=f"Project {nummer}",
            projectleider=zhz.projectleider,
        )
        MijlpaalFactory(project=project)
        VoortgangsupdateFactory(project=project)
    assert tel() == bij_twee
    assert bij_twee <= 8


def test_update_pagina_gebruikt_een_vast_aantal_queries(client, zhz):
    update = ingediend(zhz)
    client.force_login(zhz.beleidsmedewerker)

    def tel() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(update_url(zhz.handle_with_care)).status_code == 200
        return len(queries)

    voor = tel()
    for nummer in range(5):
        update.mijlpaalstanden.create(
            mijlpaal=MijlpaalFactory(project=zhz.handle_with_care, titel=f"Stap {nummer}"),
            stand="loopt",
        )
    assert tel() == voor
