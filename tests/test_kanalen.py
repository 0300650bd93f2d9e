"""Who sees which number, on every channel (NetBox-style matrix).

Planted in Zuid-Holland Zuid (VT24), 2021KW01 approved: Dordrecht 1.237 meldingen, Zwijndrecht
7 (a small count). 2021KW02 only submitted: Dordrecht 4.321. Every channel that shows figures
(the entry grid, both dashboards, concept and published reports in HTML and PDF, the batch PDF,
the API stored and computed in JSON and CSV, the API's report PDF, the admin) is read by every
kind of viewer, and the test says who sees 1.237, who 1.235 (rounded), who '.', who 4.321 and who
nothing. The same viewer sees the same number on every channel.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from monitoring.models import Gegevenslevering, Waarneming
from rapportage.choices import RapportSoort
from rapportage.models import RapportTaak
from rapportage.services import rapport_publiceren
from rapportage.tasks import rapporten_genereren_taak
from regioaanpak.choices import RolSoort, WorkflowStatus
from regioaanpak.services import api_token_aanmaken
from tests.factories import (
    ActielijnFactory,
    GebruikerFactory,
    GemeenteFactory,
    InwonertalFactory,
    LidmaatschapFactory,
    ProjectFactory,
    RegioaanpakFactory,
    RegioFactory,
    RolFactory,
    periode,
)
from tests.rapportage.conftest import pdf_tekst

pytestmark = pytest.mark.django_db

KW01, KW02 = "2021KW01", "2021KW02"
RUW, AFGEROND, ONDERDRUKT_TEKEN = 1237, 1235, "."
KLEIN = 7
INGEDIEND = 4321
INTERN = ("wethouder", "projectleider", "beleidsmedewerker", "beheerder")
INVOERDERS = ("projectleider", "beleidsmedewerker", "beheerder")
KIJKERS = ("anoniem", "partner", *INTERN, "staf_elders", "token_elders")


@pytest.fixture
def geplant(indicatoren, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CELERY_BROKER_URL = ""
    zhz = RegioFactory(code="VT24", naam="Zuid-Holland Zuid")
    gz = RegioFactory(code="VT06", naam="Gelderland-Zuid")
    for code, naam, regio, inwoners in (
        ("GM0505", "Dordrecht", zhz, 119_100),
        ("GM0642", "Zwijndrecht", zhz, 44_800),
        ("GM0268", "Nijmegen", gz, 177_000),
    ):
        gemeente = GemeenteFactory(cbs_code=code, naam=naam)
        LidmaatschapFactory(regio=regio, gemeente=gemeente)
        InwonertalFactory(gemeente=gemeente, jaar=2021, aantal=inwoners)
    zhz.centrumgemeente_id = "GM0505"
    zhz.save()
    aanpak = RegioaanpakFactory(
        regio=zhz, looptijd_van=dt.date(2021, 1, 1), looptijd_tot=dt.date(2021, 12, 31)
    )
    ProjectFactory(actielijn=ActielijnFactory(regioaanpak=aanpak, nummer=1))
    for gemeente, kwartaal, waarde in (
        ("GM0505", KW01, RUW),
        ("GM0642", KW01, KLEIN),
        ("GM0505", KW02, INGEDIEND),
        ("GM0642", KW02, 120),
        ("GM0268", KW01, 530),
    ):
        Waarneming.objects.create(
            indicator_id="vt_meldingen",
            gemeente_id=gemeente,
            periode=periode(kwartaal),
            waarde=waarde,
            bron="Veilig Thuis",
        )
    nu = timezone.now()
    for regio, kwartaal, status in (
        (zhz, KW01, WorkflowStatus.GOEDGEKEURD),
        (zhz, KW02, WorkflowStatus.INGEDIEND),
        (gz, KW01, WorkflowStatus.GOEDGEKEURD),
    ):
        Gegevenslevering.objects.create(
            regio=regio, periode=periode(kwartaal), workflow_status=status, ingediend_op=nu
        )

    mensen = {}
    for naam, rol in (
        ("partner", RolSoort.PARTNER),
        ("wethouder", RolSoort.BESTUURDER),
        ("projectleider", RolSoort.PROJECTLEIDER),
        ("beleidsmedewerker", RolSoort.BELEIDSMEDEWERKER),
        ("beheerder", RolSoort.BEHEERDER),
    ):
        mensen[naam] = GebruikerFactory(username=naam)
        RolFactory(gebruiker=mensen[naam], regio=zhz, rol=rol)
    mensen["beheerder"].is_staff = True
    mensen["beheerder"].save()
    mensen["staf_elders"] = GebruikerFactory(username="staf_elders", is_staff=True)
    RolFactory(gebruiker=mensen["staf_elders"], regio=gz, rol=RolSoort.BEHEERDER)
    mensen["token_elders"] = GebruikerFactory(username="token_elders")
    RolFactory(gebruiker=mensen["token_elders"], regio=gz, rol=RolSoort.PARTNER)
    kijken = Permission.objects.filter(codename__in=["view_waarneming", "change_waarneming"])
    for naam in ("beheerder", "staf_elders"):
        mensen[naam].user_permissions.add(*kijken)

    tokens = {}
    for naam, gebruiker in mensen.items():
        regio = gz if naam.endswith("_elders") else zhz
        _token, tokens[naam] = api_token_aanmaken(
            gebruiker=gebruiker, scope="lezen", regios=[regio], dagen=30
        )
    rapport = rapport_publiceren(
        regio=zhz, periode=KW01, soort=RapportSoort.KWARTAAL, gebruiker=mensen["beleidsmedewerker"]
    )
    taak = RapportTaak.objects.create(periode=periode(KW02), regio=zhz)
    rapporten_genereren_taak(taak.pk)
    taak.refresh_from_db()
    assert taak.gelukt == ["VT24"], taak.mislukt
    return {"mensen": mensen, "tokens": tokens, "rapport": rapport, "taak": taak}


# -- reading a value off each channel -------------------------------------------------------------
GEEN_TOEGANG = "geen toegang"


@dataclass
class Gezien:
    """What one viewer got from one channel: no access, or the planted values shown."""

    toegang: bool
    dordrecht: object = None  # 1237, 1235 or None
    zwijndrecht: object = None  # 7, '.' or None
    ingediend: object = None  # 4321 or None
    extra: dict = field(default_factory=dict)


def _getal(tekst: str | None):
    if tekst is None:
        return None
    tekst = html.unescape(re.sub(r"<[^>]+>", "", tekst)).strip().rstrip("*")
    if tekst == ".":
        return "."
    if not re.fullmatch(r"[\d.]+", tekst):
        return None
    return int(tekst.replace(".", ""))


def _cel(pagina: str, patroon: str):
    gevonden = re.search(patroon, pagina, flags=re.S)
    return _getal(gevonden.group(1)) if gevonden else None


def _web(client: Client, url: str) -> tuple[bool, str]:
    antwoord = client.get(url)
    if antwoord.status_code in (302, 403, 404):
        return False, ""
    assert antwoord.status_code == 200, (url, antwoord.status_code)
    if antwoord["Content-Type"].startswith("application/pdf"):
        inhoud = antwoord.content if not antwoord.streaming else b"".join(antwoord)
        return True, re.sub(r"\s+", " ", pdf_tekst(inhoud))
    return True, antwoord.content.decode()


def grid(client, kwartaal):
    ok, pagina = _web(client, reverse("monitoring:gegevensgrid", args=["VT24", kwartaal]))

    def cel(gemeente):
        return _cel(
            pagina,
            rf'id="cel-{gemeente}-vt_meldingen"[^>]*>\s*(?:<input[^>]*value="([^"]*)"'
            r'|<span class="waarde">([^<]*)</span>)',
        ) or _cel(
            pagina, rf'id="cel-{gemeente}-vt_meldingen"[^>]*>\s*<span class="waarde">([^<]*)<'
        )

    return ok, pagina, cel


def kanaal_grid(client) -> Gezien:
    ok, _pagina, cel = grid(client, KW01)
    if not ok:
        return Gezien(False)
    _ok, _pagina2, cel2 = grid(client, KW02)
    return Gezien(True, cel("GM0505"), cel("GM0642"), cel2("GM0505"))


def _tegel(pagina: str) -> object:
    return _cel(pagina, r'id="tegel-vt_meldingen".*?<span data-waarde>(.*?)</span>')


def kanaal_gemeentedashboard(client) -> Gezien:
    ok, dordrecht = _web(
        client, reverse("monitoring:gemeentedashboard", args=["GM0505"]) + f"?periode={KW01}"
    )
    if not ok:
        return Gezien(False)
    _ok, zwijndrecht = _web(
        client, reverse("monitoring:gemeentedashboard", args=["GM0642"]) + f"?periode={KW01}"
    )
    _ok, ingediend = _web(
        client,
        reverse("monitoring:gemeentedashboard", args=["GM0505"]) + f"?periode={KW02}&ingediend=1",
    )
    return Gezien(True, _tegel(dordrecht), _tegel(zwijndrecht), _tegel(ingediend))


def kanaal_regiodashboard(client) -> Gezien:
    """The region's tile (1.244 raw; suppressed for a partner: it would reveal Zwijndrecht's 7)
    and Dordrecht's rate in the comparison."""
    ok, pagina = _web(
        client, reverse("monitoring:regiodashboard", args=["VT24"]) + f"?periode={KW01}"
    )
    if not ok:
        return Gezien(False)
    _ok, ingediend = _web(
        client, reverse("monitoring:regiodashboard", args=["VT24"]) + f"?periode={KW02}&ingediend=1"
    )
    rij = re.search(r"<tr><th[^>]*>Dordrecht</th><td[^>]*>([^<]*)</td>", pagina)
    return Gezien(
        True,
        extra={
            "regio": _tegel(pagina),
            "dordrecht_per_1000": rij.group(1) if rij else None,
            "regio_ingediend": _tegel(ingediend),  # 4.321 + 120 from the submitted quarter
        },
    )


def _rapporttabel(pagina: str, gemeente: str):
    return _cel(
        pagina, rf'<tr data-gebied="{gemeente}"><th[^>]*>[^<]*</th><td class="getal">([^<]*)</td>'
    )


def _pdfwaarde(tekst: str, gemeente: str):
    gevonden = re.search(rf"{gemeente} (\.|[\d.]+)(?=\s|$)", tekst)
    return _getal(gevonden.group(1)) if gevonden else None


def kanaal_concept(client) -> Gezien:
    url = reverse("rapportage:concept", args=["VT24", KW01, "kwartaal"])
    ok, pagina = _web(client, url)
    if not ok:
        return Gezien(False)
    _ok, ingediend = _web(client, reverse("rapportage:concept", args=["VT24", KW02, "kwartaal"]))
    return Gezien(
        True,
        _rapporttabel(pagina, "GM0505"),
        _rapporttabel(pagina, "GM0642"),
        _rapporttabel(ingediend, "GM0505"),
    )


def kanaal_concept_pdf(client) -> Gezien:
    ok, tekst = _web(client, reverse("rapportage:concept_pdf", args=["VT24", KW01, "kwartaal"]))
    if not ok:
        return Gezien(False)
    _ok, ingediend = _web(
        client, reverse("rapportage:concept_pdf", args=["VT24", KW02, "kwartaal"])
    )
    return Gezien(
        True,
        _pdfwaarde(tekst, "Dordrecht"),
        _pdfwaarde(tekst, "Zwijndrecht"),
        _pdfwaarde(ingediend, "Dordrecht"),
    )


def kanaal_gepubliceerd(client, rapport) -> Gezien:
    ok, pagina = _web(client, reverse("rapportage:gepubliceerd", args=["VT24", rapport.pk]))
    if not ok:
        return Gezien(False)
    return Gezien(True, _rapporttabel(pagina, "GM0505"), _rapporttabel(pagina, "GM0642"))


def kanaal_gepubliceerd_pdf(client, rapport) -> Gezien:
    ok, tekst = _web(client, reverse("rapportage:download", args=["VT24", rapport.pk]))
    if not ok:
        return Gezien(False)
    return Gezien(True, _pdfwaarde(tekst, "Dordrecht"), _pdfwaarde(tekst, "Zwijndrecht"))


def kanaal_batch_pdf(client, taak) -> Gezien:
    ok, tekst = _web(client, reverse("rapportage:taak_pdf", args=[taak.pk, "VT24"]))
    if not ok:
        return Gezien(False)
    return Gezien(
        True,
        ingediend=_pdfwaarde(tekst, "Dordrecht"),
        extra={"zwijndrecht": _pdfwaarde(tekst, "Zwijndrecht")},
    )


def kanaal_beheer(client) -> Gezien:
    """The admin's list of figures (read-only; staff see their own regions only)."""
    antwoord = client.get(reverse("admin:monitoring_waarneming_changelist"))
    if antwoord.status_code != 200:
        return Gezien(False)
    waarden = {
        int(w.split(",")[0].replace(".", ""))
        for w in re.findall(r'class="field-waarde">([\d.,]+)<', antwoord.content.decode())
    }
    return Gezien(
        True,
        RUW if RUW in waarden else None,
        KLEIN if KLEIN in waarden else None,
        INGEDIEND if INGEDIEND in waarden else None,
    )


# -- the API ------------------------------------------------------------------------------------
def _api_rij(rijen: list[dict], gemeente: str, kwartaal: str):
    for rij in rijen:
        if (
            rij["gebied"] == gemeente
            and rij["periode"] == kwartaal
            and rij["indicator"] == "vt_meldingen"
        ):
            return "." if rij["waarde"] is None and rij["status"] == "geheim" else rij["waarde"]
    return None


def _api(client: APIClient, **vraag):
    antwoord = client.get("/api/v1/waarnemingen/", {"indicator": "vt_meldingen", **vraag})
    if antwoord.status_code in (401, 403):
        return None
    assert antwoord.status_code == 200, antwoord.content[:300]
    return antwoord


def kanaal_api_opgeslagen(client) -> Gezien:
    antwoord = _api(client, periode=KW01)
    if antwoord is None:
        return Gezien(False)
    rijen = antwoord.json()["results"]
    ingediend = _api(client, periode=KW02, ingediend="true")
    return Gezien(
        True,
        _api_rij(rijen, "GM0505", KW01),
        _api_rij(rijen, "GM0642", KW01),
        _api_rij(ingediend.json()["results"], "GM0505", KW02) if ingediend else None,
    )


def kanaal_api_csv(client) -> Gezien:
    antwoord = _api(client, periode=KW01, format="csv")
    if antwoord is None:
        return Gezien(False)
    rijen = list(csv.DictReader(io.StringIO(b"".join(antwoord.streaming_content).decode())))
    waarden = {r["gebied"]: r["waarde"] for r in rijen}
    return Gezien(True, _getal(waarden.get("GM0505")), _getal(waarden.get("GM0642")))


def kanaal_api_berekend(client) -> Gezien:
    antwoord = _api(client, niveau="gemeente", regio="VT24", periode=KW01)
    if antwoord is None:
        return Gezien(False)
    rijen = antwoord.json()["results"]
    regio = _api(client, niveau="regio", regio="VT24", periode=KW01)
    return Gezien(
        True,
        _api_rij(rijen, "GM0505", KW01),
        _api_rij(rijen, "GM0642", KW01),
        extra={"regio": _api_rij(regio.json()["results"], "VT24", KW01)},
    )


def kanaal_api_rapport(client, rapport) -> Gezien:
    lijst = client.get("/api/v1/rapporten/")
    if lijst.status_code in (401, 403):
        return Gezien(False)
    rijen = lijst.json()["results"]
    if not rijen:
        return Gezien(False)
    pdf = client.get(rijen[0]["pdf"])
    assert pdf.status_code == 200
    tekst = re.sub(r"\s+", " ", pdf_tekst(pdf.content))
    return Gezien(
        True,
        _pdfwaarde(tekst, "Dordrecht"),
        _pdfwaarde(tekst, "Zwijndrecht"),
        extra={"editie": rijen[0]["editie"]},
    )


# -- the matrix ---------------------------------------------------------------------------------
def _alles(geplant, wie: str) -> dict[str, Gezien]:
    web = Client()
    api = APIClient()
    if wie != "anoniem":
        web.force_login(geplant["mensen"][wie])
        api.credentials(HTTP_AUTHORIZATION=f"Token {geplant['tokens'][wie]}")
    rapport, taak = geplant["rapport"], geplant["taak"]
    return {
        "invoerscherm": kanaal_grid(web),
        "gemeentedashboard": kanaal_gemeentedashboard(web),
        "regiodashboard": kanaal_regiodashboard(web),
        "concept": kanaal_concept(web),
        "concept_pdf": kanaal_concept_pdf(web),
        "gepubliceerd": kanaal_gepubliceerd(web, rapport),
        "gepubliceerd_pdf": kanaal_gepubliceerd_pdf(web, rapport),
        "batch_pdf": kanaal_batch_pdf(web, taak),
        "beheer": kanaal_beheer(web),
        "api": kanaal_api_opgeslagen(api),
        "api_csv": kanaal_api_csv(api),
        "api_berekend": kanaal_api_berekend(api),
        "api_rapport": kanaal_api_rapport(api, rapport),
    }


TOEGANG = {
    "invoerscherm": INVOERDERS,
    "gemeentedashboard": ("partner", *INTERN),
    "regiodashboard": ("partner", *INTERN),
    "concept": INTERN,
    "concept_pdf": INTERN,
    "gepubliceerd": ("partner", *INTERN),
    "gepubliceerd_pdf": ("partner", *INTERN),
    "batch_pdf": INVOERDERS,
    "beheer": ("beheerder", "staf_elders"),
    "api": ("partner", *INTERN, "staf_elders", "token_elders"),
    "api_csv": ("partner", *INTERN, "staf_elders", "token_elders"),
    "api_berekend": ("partner", *INTERN),
    "api_rapport": ("partner", *INTERN),
}
# Channels with a Dordrecht / Zwijndrecht figure of 2021KW01, and with the submitted one.
MET_KW01 = (
    "invoerscherm",
    "gemeentedashboard",
    "concept",
    "concept_pdf",
    "gepubliceerd",
    "gepubliceerd_pdf",
    "api",
    "api_csv",
    "api_berekend",
    "api_rapport",
)
MET_INGEDIEND = ("invoerscherm", "gemeentedashboard", "concept", "concept_pdf", "api")


@pytest.mark.parametrize("wie", KIJKERS)
def test_wie_ziet_welk_cijfer_op_elk_kanaal(geplant, wie):
    gezien = _alles(geplant, wie)

    for kanaal, toegestaan in TOEGANG.items():
        assert gezien[kanaal].toegang == (wie in toegestaan), (kanaal, wie)

    for kanaal in MET_KW01:
        g = gezien[kanaal]
        if not g.toegang or (wie in ("staf_elders", "token_elders")):
            assert g.dordrecht is None and g.zwijndrecht is None, (kanaal, wie, g)
            continue
        if wie == "partner":
            assert (g.dordrecht, g.zwijndrecht) == (AFGEROND, ONDERDRUKT_TEKEN), (kanaal, g)
        else:
            assert (g.dordrecht, g.zwijndrecht) == (RUW, KLEIN), (kanaal, wie, g)

    for kanaal in MET_INGEDIEND:
        g = gezien[kanaal]
        verwacht = INGEDIEND if wie in INVOERDERS else None
        assert g.ingediend == verwacht, (kanaal, wie, g)
    if wie in INVOERDERS:
        assert gezien["batch_pdf"].ingediend == INGEDIEND
    if gezien["regiodashboard"].toegang:
        verwacht = INGEDIEND + 120 if wie in INVOERDERS else None
        assert gezien["regiodashboard"].extra["regio_ingediend"] == verwacht

    beheer = gezien["beheer"]
    if wie == "beheerder":
        assert (beheer.dordrecht, beheer.zwijndrecht, beheer.ingediend) == (RUW, KLEIN, INGEDIEND)
    elif wie == "staf_elders":  # staff of another region: the admin shows only their own
        assert (beheer.dordrecht, beheer.zwijndrecht, beheer.ingediend) == (None, None, None)

    # The region's total: 1.244, or suppressed for a partner (it would give away the 7).
    regio = gezien["regiodashboard"].extra.get("regio")
    berekend = gezien["api_berekend"].extra.get("regio")
    if wie == "partner":
        assert regio == berekend == "."
        assert gezien["regiodashboard"].extra["dordrecht_per_1000"] == "10,37"  # from 1.235
        assert gezien["api_rapport"].extra["editie"] == "afgeschermd"
    elif wie in INTERN:
        assert regio == 1244 and berekend == 1244
        assert gezien["regiodashboard"].extra["dordrecht_per_1000"] == "10,39"  # from 1.237
        assert gezien["api_rapport"].extra["editie"] == "intern"


@pytest.mark.parametrize("wie", ["partner", *INTERN])
def test_zelfde_kijker_ziet_overal_hetzelfde_getal(geplant, wie):
    gezien = _alles(geplant, wie)
    dordrecht = {k: g.dordrecht for k, g in gezien.items() if g.dordrecht is not None}
    zwijndrecht = {k: g.zwijndrecht for k, g in gezien.items() if g.zwijndrecht is not None}
    assert len(set(dordrecht.values())) == 1, dordrecht
    assert len(set(zwijndrecht.values())) == 1, zwijndrecht
    assert len(dordrecht) >= 7
