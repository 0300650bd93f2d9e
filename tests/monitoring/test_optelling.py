"""The roll-up in the database (monitoring/selectors/optelling.py) answers exactly as the Python
roll-up it replaces, on random worlds: regions with dated memberships, a merger, missing,
secret and provisional figures at every period level, deliveries in every state, and every kind
of viewer (raw, approved only, a region's staff, a partner with part of the country in reach).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from monitoring.choices import WaarnemingStatus
from monitoring.models import Gegevenslevering, Waarneming
from monitoring.selectors import cijfers
from regioaanpak.choices import RegioSoort, WorkflowStatus
from regioaanpak.inzage import Inzage
from regioaanpak.models import Gemeente, Inwonertal, Lidmaatschap, Regio
from tests.factories import InwonertalFactory, periode

pytestmark = pytest.mark.django_db(transaction=False)

KWARTALEN = [f"2022KW0{k}" for k in range(1, 5)] + [f"2023KW0{k}" for k in range(1, 5)]
PERIODEN = [
    *KWARTALEN,
    "2022HJ01",
    "2022HJ02",
    "2023HJ01",
    "2023HJ02",
    "2022JJ00",
    "2023JJ00",
]
GEMEENTEN = ["GM9001", "GM9002", "GM9003", "GM9004", "GM9005", "GM9006"]
FUSIE = dt.date(2023, 1, 1)  # GM9005 and GM9006 merge into GM9007
MIDDEN = dt.date(2022, 8, 15)  # GM9003 moves from VT91 to VT92 in the middle of a quarter
REGIOS = ["VT91", "VT92"]
INDICATOREN = [
    "vt_meldingen",
    "vt_adviezen",
    "vt_hermeldingen",
    "vt_meldingen_per_1000",
    "vt_hermeldingen_percentage",
]
STATUSSEN = [
    WaarnemingStatus.DEFINITIEF,
    WaarnemingStatus.DEFINITIEF,
    WaarnemingStatus.VOORLOPIG,
    WaarnemingStatus.GEHEIM,
]
LEVERING = [
    None,
    WorkflowStatus.CONCEPT,
    WorkflowStatus.INGEDIEND,
    WorkflowStatus.GOEDGEKEURD,
    WorkflowStatus.GOEDGEKEURD,
]


@pytest.fixture
def wereld(indicatoren):
    for code in PERIODEN:
        periode(code)
    _wereld()


def _wereld() -> None:
    """Two regions and the country; a merger on 1 January 2023 and a move mid-quarter."""
    land = Regio.objects.create(code="NL91", naam="Testland", soort=RegioSoort.LAND)
    regios = [
        Regio.objects.create(code=c, naam=c, soort=RegioSoort.VEILIG_THUIS_REGIO, cbs_code=c)
        for c in REGIOS
    ]
    nieuw = Gemeente.objects.create(cbs_code="GM9007", naam="Fusiegemeente", geldig_van=FUSIE)
    for code in GEMEENTEN:
        gefuseerd = code in ("GM9005", "GM9006")
        gemeente = Gemeente.objects.create(
            cbs_code=code,
            naam=f"Gemeente {code}",
            geldig_tot=FUSIE - dt.timedelta(days=1) if gefuseerd else None,
            opgevolgd_door=nieuw if gefuseerd else None,
        )
        Lidmaatschap.objects.create(regio=land, gemeente=gemeente, geldig_tot=gemeente.geldig_tot)
        if code == "GM9003":
            Lidmaatschap.objects.create(regio=regios[0], gemeente=gemeente, geldig_tot=MIDDEN)
            Lidmaatschap.objects.create(
                regio=regios[1], gemeente=gemeente, geldig_van=MIDDEN + dt.timedelta(days=1)
            )
        else:
            regio = regios[0] if code in ("GM9001", "GM9002") else regios[1]
            Lidmaatschap.objects.create(
                regio=regio, gemeente=gemeente, geldig_tot=gemeente.geldig_tot
            )
    Lidmaatschap.objects.create(regio=land, gemeente=nieuw, geldig_van=FUSIE)
    Lidmaatschap.objects.create(regio=regios[1], gemeente=nieuw, geldig_van=FUSIE)
    for code in [*GEMEENTEN, "GM9007"]:
        for jaar in (2022, 2023):
            InwonertalFactory(gemeente_id=code, jaar=jaar, aantal=20_000 + int(code[-1]) * 1_000)


cel = st.tuples(
    st.sampled_from(["vt_meldingen", "vt_adviezen", "vt_hermeldingen"]),
    st.sampled_from([*GEMEENTEN, "GM9007", "VT91", "VT92"]),
    st.sampled_from(PERIODEN),
)
waarneming = st.tuples(
    st.integers(min_value=0, max_value=60),
    st.sampled_from(STATUSSEN),
    st.sampled_from(["", "VT", "CBS"]),
)
kijkers = st.sampled_from(
    [
        ("alles", lambda: Inzage.alles()),
        ("systeem", lambda: Inzage.systeem()),
        ("intern VT91", lambda: Inzage.intern("VT91", met_ingediend=True)),
        ("afgeschermd VT92", lambda: Inzage.afgeschermd_voor("VT92")),
        (
            "partner VT91 met VT92 in bereik",
            lambda: Inzage(
                lees=frozenset({"VT91"}),
                ruw=frozenset(),
                onvoltooid=frozenset(),
                bekend=frozenset({"VT91", "VT92"}),
            ),
        ),
    ]
)


def maak_waarnemingen(waarnemingen: dict) -> None:
    """Store the drawn cells: (indicator, area, period) -> (count, status, source)."""
    for (indicator, gebied, code), (aantal, status, bron) in waarnemingen.items():
        Waarneming.objects.create(
            indicator_id=indicator,
            gemeente_id=gebied if gebied.startswith("GM") else None,
            regio_id=gebied if gebied.startswith("VT") else None,
            periode_id=code,
            waarde=None if status == WaarnemingStatus.GEHEIM else Decimal(aantal),
            status=status,
            bron=bron,
        )


def _vergelijk(inzage: Inzage, gebieden: list[str]) -> None:
    vraag = {"indicatoren": INDICATOREN, "gebieden": gebieden, "perioden": PERIODEN}
    with override_settings(CIJFERS_OPTELLEN_IN_DATABASE=False):
        python = cijfers(inzage=inzage, **vraag).antwoorden
    with override_settings(CIJFERS_OPTELLEN_IN_DATABASE=True):
        database = cijfers(inzage=inzage, **vraag).antwoorden
    verschillen = {k: (python[k], database[k]) for k in python if python[k] != database[k]}
    assert not verschillen, verschillen


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    waarnemingen=st.dictionaries(cel, waarneming, max_size=60),
    leveringen=st.dictionaries(
        st.tuples(st.sampled_from(REGIOS), st.sampled_from(KWARTALEN)), st.sampled_from(LEVERING)
    ),
    alles_geleverd=st.booleans(),
    vol=st.integers(min_value=0, max_value=2),
    zonder_inwoners=st.sets(
        st.tuples(st.sampled_from([*GEMEENTEN, "GM9007"]), st.sampled_from([2022, 2023])),
        max_size=3,
    ),
    kijker=kijkers,
)
def test_optelling_in_database_is_gelijk_aan_die_in_python(
    wereld, waarnemingen, leveringen, alles_geleverd, vol, zonder_inwoners, kijker
):
    with transaction.atomic():
        for gemeente, jaar in zonder_inwoners:
            Inwonertal.objects.filter(gemeente_id=gemeente, jaar=jaar).delete()
        if vol:
            # Every quarter of every municipality stored (the usual national picture), the
            # random cells on top: the sums the database answers without the members.
            for nummer, code in enumerate(KWARTALEN):
                for gemeente in ["GM9001", "GM9002", "GM9003", "GM9004"] + (
                    ["GM9007"] if code.startswith("2023") else ["GM9005", "GM9006"]
                ):
                    waarnemingen.setdefault(
                        ("vt_meldingen", gemeente, code),
                        (
                            (nummer * 7 + int(gemeente[-1]) * vol) % (5 * vol),
                            WaarnemingStatus.DEFINITIEF,
                            "VT",
                        ),
                    )
        maak_waarnemingen(waarnemingen)
        for regio in REGIOS:
            for code in PERIODEN:
                staat = (
                    WorkflowStatus.GOEDGEKEURD if alles_geleverd else leveringen.get((regio, code))
                )
                if staat is not None:
                    Gegevenslevering.objects.create(
                        regio_id=regio, periode_id=code, workflow_status=staat
                    )
        _naam, maak = kijker
        inzage = maak()
        regios = [r for r in REGIOS if inzage.mag_lezen(r)]
        leden = Lidmaatschap.objects.filter(regio__in=regios) if inzage.lees is not None else None
        gemeenten = sorted(
            {lid.gemeente_id for lid in leden} if leden is not None else [*GEMEENTEN, "GM9007"]
        )
        gebieden = ["NL91", *regios, *gemeenten]
        _vergelijk(inzage, gebieden)
        transaction.set_rollback(True)


def test_een_volledig_land_leest_geen_cijfers_van_gemeenten_in_python(wereld):
    """With every member's quarters stored, the country is added up by the database: the
    selector reads no member's figure, and the answer is the sum."""
    for code in KWARTALEN:
        for gemeente in ["GM9001", "GM9002", "GM9003", "GM9004"] + (
            ["GM9007"] if code.startswith("2023") else ["GM9005", "GM9006"]
        ):
            Waarneming.objects.create(
                indicator_id="vt_meldingen", gemeente_id=gemeente, periode_id=code, waarde=10
            )
    vraag = {"indicatoren": ["vt_meldingen"], "gebieden": ["NL91"], "perioden": PERIODEN}
    with CaptureQueriesContext(connection) as queries:
        antwoord = cijfers(inzage=Inzage.alles(), **vraag)
    assert antwoord.get("vt_meldingen", "NL91", "2022KW01").waarde == 60
    assert antwoord.get("vt_meldingen", "NL91", "2023KW01").waarde == 50
    assert antwoord.get("vt_meldingen", "NL91", "2022JJ00").waarde == 240
    gelezen = [q["sql"] for q in queries.captured_queries if "monitoring_waarneming" in q["sql"]]
    # The region's own stored figures, and the one roll-up query; nothing per member.
    assert len(gelezen) == 2, gelezen
