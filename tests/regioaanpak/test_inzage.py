"""The viewer policy: built once from roles or a token, capping what a channel asks for; and the
wrong read is hard: figures never leave the database without it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from monitoring.models import Waarneming
from monitoring.querysets import OnbeschermdeLezing
from monitoring.selectors import cijfers
from regioaanpak.choices import RolSoort, WorkflowStatus
from regioaanpak.inzage import GOEDGEKEURD, MET_INGEDIEND, Inzage, inzage_van
from regioaanpak.models import ApiToken
from tests.factories import GebruikerFactory, RegioFactory, RolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def regios():
    return RegioFactory(code="VT24", naam="Zuid-Holland Zuid"), RegioFactory(code="VT06")


@pytest.mark.parametrize(
    ("rol", "ruw", "onvoltooid", "schrijf"),
    [
        (RolSoort.PARTNER, False, False, False),
        (RolSoort.BESTUURDER, True, False, False),
        (RolSoort.BELEIDSMEDEWERKER, True, True, False),
        (RolSoort.PROJECTLEIDER, True, True, True),
        (RolSoort.BEHEERDER, True, True, True),
    ],
)
def test_beleid_per_rol(regios, rol, ruw, onvoltooid, schrijf):
    gebruiker = GebruikerFactory()
    RolFactory(gebruiker=gebruiker, regio=regios[0], rol=rol)
    beleid = inzage_van(gebruiker)
    assert beleid.mag_lezen("VT24") and not beleid.mag_lezen("VT06")
    assert beleid.is_ruw("VT24") == ruw
    assert beleid.mag_onvoltooid("VT24") == onvoltooid
    assert beleid.mag_schrijven("VT24") == schrijf
    assert beleid.afgeschermd == (not ruw)
    # Asking for submitted figures never widens what the role may see.
    gevraagd = beleid.met_ingediend().staten_voor("VT24")
    assert gevraagd == (MET_INGEDIEND if onvoltooid else GOEDGEKEURD)
    assert beleid.met_alles().staten_voor("VT24") == (None if onvoltooid else GOEDGEKEURD)
    assert beleid.met_ingediend().staten_voor("VT06") == GOEDGEKEURD


def test_token_reikt_nooit_verder_dan_de_rollen_van_de_eigenaar(regios, api_token):
    gebruiker = GebruikerFactory()
    RolFactory(gebruiker=gebruiker, regio=regios[0], rol=RolSoort.BELEIDSMEDEWERKER)
    RolFactory(gebruiker=gebruiker, regio=regios[1], rol=RolSoort.PARTNER)
    api_token(gebruiker, ["VT24", "VT06"])
    token = ApiToken.objects.get()
    beleid = inzage_van(gebruiker, token)
    assert beleid.lees == {"VT24", "VT06"} and beleid.ruw == {"VT24"}
    assert beleid.schrijf == frozenset()  # a read token
    gebruiker.rollen.filter(regio=regios[0]).delete()
    gebruiker = type(gebruiker).objects.get(pk=gebruiker.pk)
    assert inzage_van(gebruiker, token).lees == {"VT06"}


def test_anoniem_ziet_niets(regios):
    from django.contrib.auth.models import AnonymousUser

    beleid = inzage_van(AnonymousUser())
    assert not beleid.mag_lezen("VT24") and beleid.lees == frozenset()


def test_gelijk_beleid_gelijke_sleutel():
    a = Inzage.intern("VT24").met_ingediend()
    b = Inzage.intern("VT24", met_ingediend=True)
    assert a.sleutel == b.sleutel
    assert a.sleutel != Inzage.afgeschermd_voor("VT24").sleutel
    assert a.sleutel != Inzage.intern("VT24").sleutel
    assert Inzage.intern("VT24").toont("VT24", WorkflowStatus.INGEDIEND) is False


# -- the wrong read is hard ---------------------------------------------------------------------
def test_cijfers_lezen_zonder_beleid_kan_niet(indicatoren):
    with pytest.raises(TypeError):
        cijfers(indicatoren=["vt_meldingen"], gebieden=["VT24"], perioden=["2021KW01"])
    with pytest.raises(TypeError, match="inzagebeleid"):
        cijfers(inzage=None, indicatoren=["vt_meldingen"], gebieden=["GM0505"], perioden=["x"])


def test_waarneming_geeft_geen_waarden_zonder_reden(cijferregios):
    with pytest.raises(OnbeschermdeLezing, match="cijferselector"):
        list(Waarneming.objects.all())
    with pytest.raises(OnbeschermdeLezing):
        Waarneming.objects.get(gemeente_id="GM0268")
    with pytest.raises(OnbeschermdeLezing):
        Waarneming.objects.values_list("waarde", flat=True).first()
    with pytest.raises(OnbeschermdeLezing):
        next(Waarneming.objects.iterator())
    from django.db.models import Sum

    with pytest.raises(OnbeschermdeLezing):
        Waarneming.objects.aggregate(Sum("waarde"))
    with pytest.raises(OnbeschermdeLezing):
        list(cijferregios["zhz"].waarnemingen.all())
    with pytest.raises(ValueError):
        Waarneming.objects.ongefilterd("  ")
    # Counting, checking and writing hand out no values and keep working.
    assert Waarneming.objects.count() == 9
    assert Waarneming.objects.filter(gemeente_id="GM0268").exists()
    assert Waarneming.objects.ongefilterd("test").get(gemeente_id="GM0268").waarde == 530
    Waarneming.objects.filter(gemeente_id="GM0268").delete()
    assert Waarneming.objects.count() == 8


# Modules that may read stored figures past the policy: the selector layer that applies it
# (opslag.py through the ORM, optelling.py in raw SQL with the policy's deliveries and reach as
# parameters), the write services (existing rows to compare with), commands run on the server,
# the admin.
TOEGESTAAN = re.compile(
    r"^(monitoring/selectors/(?:opslag|optelling)\.py|monitoring/services/[a-z_]+\.py|"
    r"[a-z]+/management/commands/[a-z_]+\.py|monitoring/admin\.py|monitoring/querysets\.py)$"
)
LEZINGEN = re.compile(
    r"\.ongefilterd\(|Waarneming\.(?:_default_manager|_base_manager)|(?<!self)\.waarnemingen\.|"
    r"monitoring_waarneming"  # the table in raw SQL
)


def test_alleen_de_selectorlaag_leest_cijfers_buiten_het_beleid():
    basis = Path(settings.BASE_DIR)
    overtredingen = []
    for app in ("regioaanpak", "monitoring", "actielijnen", "rapportage"):
        for pad in sorted((basis / app).rglob("*.py")):
            relatief = pad.relative_to(basis).as_posix()
            if "/migrations/" in relatief or TOEGESTAAN.match(relatief):
                continue
            for nummer, regel in enumerate(pad.read_text().splitlines(), start=1):
                if LEZINGEN.search(regel):
                    overtredingen.append(f"{relatief}:{nummer}: {regel.strip()}")
    assert not overtredingen, "Cijfers gelezen buiten de selectorlaag:\n" + "\n".join(overtredingen)
