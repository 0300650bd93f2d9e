"""Cached dashboard parts (regioaanpak/paginacache.py): a second request is served from the
cache, yet an approval, a changed figure or an unlock shows at once, and what was cached for
one viewer is never served to another with a different policy."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring.models import Gegevenslevering, Waarneming
from regioaanpak.choices import RolSoort, WorkflowStatus
from regioaanpak.inzage import Inzage
from regioaanpak.models import Rol
from regioaanpak.paginacache import GENERATIE, gegevens_gewijzigd
from tests.factories import GebruikerFactory, RolFactory
from tests.monitoring import test_dashboard_selectors as gegevens
from tests.monitoring.test_dashboard_selectors import cijfer
from tests.monitoring.test_dashboard_views import gemeente_url, regio_url, tegelwaarde

pytestmark = pytest.mark.django_db

zuid_holland_zuid = gegevens.zuid_holland_zuid
wethouder = gegevens.wethouder


def _vraag(client, url):
    with CaptureQueriesContext(connection) as queries:
        antwoord = client.get(url)
    assert antwoord.status_code == 200
    return antwoord.content.decode(), len(queries.captured_queries)


def test_tweede_verzoek_uit_de_cache_met_dezelfde_pagina(client, wethouder):
    client.force_login(wethouder)
    eerste, vragen_eerst = _vraag(client, regio_url("VT24", periode="2022KW03"))
    tweede, vragen_daarna = _vraag(client, regio_url("VT24", periode="2022KW03"))

    zonder_token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')  # masked anew
    assert zonder_token.sub("", tweede) == zonder_token.sub("", eerste)
    assert vragen_daarna < vragen_eerst / 3  # the figures were not read again
    assert tegelwaarde(tweede, "vt_meldingen") == "416"


def test_goedkeuring_en_ontgrendeling_zijn_meteen_zichtbaar(client, wethouder, zuid_holland_zuid):
    client.force_login(wethouder)
    url = regio_url("VT24", periode="2022KW04")
    pagina, _ = _vraag(client, url)
    assert tegelwaarde(pagina, "vt_meldingen") == "geen gegevens"  # submitted, not approved

    levering = Gegevenslevering.objects.get(regio=zuid_holland_zuid, periode_id="2022KW04")
    levering.workflow_status = WorkflowStatus.GOEDGEKEURD
    levering.save()
    pagina, _ = _vraag(client, url)
    verwacht = cijfer("vt_meldingen", "VT24", "2022KW04").waarde
    assert tegelwaarde(pagina, "vt_meldingen") == f"{verwacht:.0f}"

    levering.workflow_status = WorkflowStatus.INGEDIEND  # unlocked for a correction
    levering.save()
    pagina, _ = _vraag(client, url)
    assert tegelwaarde(pagina, "vt_meldingen") == "geen gegevens"


def test_gewijzigd_cijfer_is_meteen_zichtbaar_ook_op_het_gemeentedashboard(client, wethouder):
    client.force_login(wethouder)
    url = gemeente_url("GM0505", periode="2022KW03")
    pagina, _ = _vraag(client, url)
    oud = cijfer("vt_meldingen", "GM0505", "2022KW03").waarde
    assert tegelwaarde(pagina, "vt_meldingen") == f"{oud:.0f}"

    # Through the bulk path of the write services (no model signal): the service says so.
    Waarneming.objects.ongefilterd("test: een correctie").filter(
        indicator_id="vt_meldingen", gemeente_id="GM0505", periode_id="2022KW03"
    ).update(waarde=oud + 7)
    gegevens_gewijzigd()
    pagina, _ = _vraag(client, url)
    assert tegelwaarde(pagina, "vt_meldingen") == f"{oud + 7:.0f}"


def test_partner_krijgt_nooit_de_ruwe_pagina_van_een_interne_gebruiker(
    client, wethouder, zuid_holland_zuid
):
    """Both orders: what the alderman (raw) caches is not shown to the partner (protected),
    and the partner's page is not shown to the alderman."""
    partner = GebruikerFactory(username="paula")
    RolFactory(gebruiker=partner, regio=zuid_holland_zuid, rol=RolSoort.PARTNER)
    url = regio_url("VT24", periode="2022KW03")
    ruw = cijfer("vt_meldingen", "VT24", "2022KW03", Inzage.intern("VT24")).waarde
    afgeschermd = cijfer("vt_meldingen", "VT24", "2022KW03", Inzage.afgeschermd_voor("VT24"))
    assert ruw == Decimal(416) and afgeschermd.waarde == Decimal(415)

    for volgorde in ([wethouder, partner], [partner, wethouder]):
        from django.core.cache import cache

        cache.clear()
        for gebruiker in volgorde:
            client.force_login(gebruiker)
            for _keer in range(2):  # the second one from the cache
                pagina, _ = _vraag(client, url)
                verwacht = "416" if gebruiker == wethouder else "415"
                assert tegelwaarde(pagina, "vt_meldingen") == verwacht, gebruiker


def test_nieuwe_rol_geeft_een_andere_sleutel(client, wethouder, zuid_holland_zuid):
    """A role changes the policy, and with it the key: the alderman who becomes project
    leader sees submitted figures at once when he asks for them."""
    client.force_login(wethouder)
    url = regio_url("VT24", periode="2022KW04", ingediend="1")
    pagina, _ = _vraag(client, url)
    assert tegelwaarde(pagina, "vt_meldingen") == "geen gegevens"

    Rol.objects.create(gebruiker=wethouder, regio=zuid_holland_zuid, rol=RolSoort.PROJECTLEIDER)
    pagina, _ = _vraag(client, url)
    ingediend = cijfer(
        "vt_meldingen", "VT24", "2022KW04", Inzage.intern("VT24", met_ingediend=True)
    ).waarde
    assert tegelwaarde(pagina, "vt_meldingen") == f"{ingediend:.0f}"


def test_een_schrijvende_transactie_verhoogt_de_generatie_en_nog_eens_bij_commit(
    django_capture_on_commit_callbacks,
):
    from django.core.cache import cache
    from django.db import transaction

    begin = cache.get(GENERATIE, 0)
    with django_capture_on_commit_callbacks(execute=True) as taken, transaction.atomic():
        for _ in range(50):
            gegevens_gewijzigd()
    assert len(taken) == 1  # one raise at the commit, however many writes
    assert cache.get(GENERATIE) == begin + 50 + 1


# -- the API's pages of figures ---------------------------------------------------------------
API = "/api/v1/waarnemingen/?niveau=regio&regio=VT24&indicator=vt_meldingen&periode=2022KW03"


def _api(client, url=API):
    with CaptureQueriesContext(connection) as queries:
        antwoord = client.get(url, HTTP_ACCEPT="application/json")
    assert antwoord.status_code == 200, antwoord.content
    return antwoord.json(), len(queries.captured_queries)


def _waarde(data) -> Decimal | None:
    (rij,) = data["results"]
    return None if rij["waarde"] is None else Decimal(str(rij["waarde"]))


def test_api_pagina_uit_de_cache_en_goedkeuring_meteen_zichtbaar(
    client, wethouder, zuid_holland_zuid
):
    client.force_login(wethouder)
    eerste, vragen_eerst = _api(client)
    tweede, vragen_daarna = _api(client)
    assert tweede == eerste and _waarde(eerste) == 416
    assert vragen_daarna < vragen_eerst / 2  # the selector did not run again

    url = API.replace("2022KW03", "2022KW04")
    assert _waarde(_api(client, url)[0]) is None  # submitted, not approved
    levering = Gegevenslevering.objects.get(regio=zuid_holland_zuid, periode_id="2022KW04")
    levering.workflow_status = WorkflowStatus.GOEDGEKEURD
    levering.save()
    verwacht = cijfer("vt_meldingen", "VT24", "2022KW04").waarde
    assert _waarde(_api(client, url)[0]) == verwacht

    levering.workflow_status = WorkflowStatus.INGEDIEND  # unlocked for a correction
    levering.save()
    assert _waarde(_api(client, url)[0]) is None


def test_api_pagina_van_een_interne_gebruiker_nooit_voor_een_partner(
    client, wethouder, zuid_holland_zuid
):
    """The same address, both orders: the alderman's raw page is not served to the partner
    and the partner's protected page not to the alderman; stored figures as well."""
    from django.core.cache import cache

    partner = GebruikerFactory(username="paula")
    RolFactory(gebruiker=partner, regio=zuid_holland_zuid, rol=RolSoort.PARTNER)
    opgeslagen = "/api/v1/waarnemingen/?regio=VT24&indicator=vt_meldingen&periode=2022KW03"
    for volgorde in ([wethouder, partner], [partner, wethouder]):
        cache.clear()
        for gebruiker in volgorde:
            client.force_login(gebruiker)
            for _keer in range(2):
                assert _waarde(_api(client)[0]) == (416 if gebruiker == wethouder else 415)
                rijen = _api(client, opgeslagen)[0]["results"]
                assert rijen and all(
                    (r["geheimhouding"] is None) == (gebruiker == wethouder) for r in rijen
                ), (gebruiker, rijen)


# -- one request makes a page, the others wait for it -----------------------------------------
def test_wie_na_de_eerste_komt_wacht_op_diens_pagina_in_plaats_van_hem_zelf_te_maken():
    import threading

    from django.core.cache import cache

    from regioaanpak.paginacache import gecachet

    gemaakt = []

    def maak():
        gemaakt.append(threading.get_ident())
        threading.Event().wait(0.3)  # a page that takes a while
        return "pagina"

    uitkomsten = []
    draden = [
        threading.Thread(target=lambda: uitkomsten.append(gecachet("pagina:x", maak)))
        for _ in range(5)
    ]
    for draad in draden:
        draad.start()
    for draad in draden:
        draad.join()
    assert uitkomsten == ["pagina"] * 5
    assert len(gemaakt) == 1
    assert cache.get("pagina:x:bezig") is None  # the claim is gone with its maker


def test_een_claim_zonder_maker_houdt_niemand_op(monkeypatch):
    """A maker that died (its claim still there, the page never comes): the request waits at
    most WACHT_SECONDEN and then makes the page itself, without taking the other's claim."""
    from django.core.cache import cache

    from regioaanpak import paginacache

    monkeypatch.setattr(paginacache, "WACHT_SECONDEN", 0.2)
    cache.add("pagina:y:bezig", 1, 30)
    assert paginacache.gecachet("pagina:y", lambda: "zelf gemaakt") == "zelf gemaakt"
    assert cache.get("pagina:y") == "zelf gemaakt"
    assert cache.get("pagina:y:bezig") == 1

    cache.set("pagina:z:bezig", 1, 30)
    cache.delete("pagina:z:bezig")  # the maker failed and let go: no waiting at all
    assert paginacache.gecachet("pagina:z", lambda: "meteen") == "meteen"
