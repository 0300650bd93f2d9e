"""Tests of manage.py genereer_demodata: reproducible, consistent and harmless to real figures."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from monitoring.choices import Eenheid, WaarnemingStatus
from monitoring.models import Indicator, Waarneming
from regioaanpak.choices import RegioSoort
from regioaanpak.models import Gemeente, Inwonertal, Lidmaatschap, Periode, Regio
from tests.factories import opgeslagen

pytestmark = pytest.mark.django_db

SYNTHETISCH = "Synthetische demodata"
MELDERS = (
    "vt_meldingen_politie_justitie",
    "vt_meldingen_beroepsmatig",
    "vt_meldingen_onderwijs",
    "vt_meldingen_gezondheidszorg",
    "vt_meldingen_niet_beroepsmatig",
)
KWARTALEN_2022 = ("2022KW01", "2022KW02", "2022KW03", "2022KW04")
KWARTALEN_2023 = ("2023KW01", "2023KW02", "2023KW03", "2023KW04")
ECHTE_BRON = "Veilig Thuis, kwartaalrapportage"

Sleutel = tuple[str, str, str]


@pytest.fixture
def gebieden() -> dict[str, Gemeente]:
    """Four municipalities in VT24 (two of them merged on 1 January 2023) and one outside."""
    call_command("loaddata", str(settings.BASE_DIR / "fixtures" / "indicatoren.yaml"), verbosity=0)
    samen = Gemeente.objects.create(
        cbs_code="GM0104", naam="Samenland", geldig_van=dt.date(2023, 1, 1)
    )
    gemeenten = {
        "stad": Gemeente.objects.create(cbs_code="GM0101", naam="Oudstad"),
        "voor": Gemeente.objects.create(
            cbs_code="GM0102",
            naam="Voordorp",
            geldig_tot=dt.date(2022, 12, 31),
            opgevolgd_door=samen,
        ),
        "achter": Gemeente.objects.create(
            cbs_code="GM0103",
            naam="Achterveen",
            geldig_tot=dt.date(2022, 12, 31),
            opgevolgd_door=samen,
        ),
        "samen": samen,
        "buiten": Gemeente.objects.create(cbs_code="GM0105", naam="Buitenwijk"),
    }
    regio = Regio.objects.create(
        code="VT24",
        naam="Zuid-Holland Zuid",
        soort=RegioSoort.VEILIG_THUIS_REGIO,
        cbs_code="VT24",
    )
    Lidmaatschap.objects.create(regio=regio, gemeente=gemeenten["stad"])
    for sleutel in ("voor", "achter"):
        Lidmaatschap.objects.create(
            regio=regio, gemeente=gemeenten[sleutel], geldig_tot=dt.date(2022, 12, 31)
        )
    Lidmaatschap.objects.create(regio=regio, gemeente=samen, geldig_van=dt.date(2023, 1, 1))
    for sleutel, aantal in (("stad", 60_000), ("voor", 25_000), ("achter", 15_000)):
        Inwonertal.objects.create(
            gemeente=gemeenten[sleutel], jaar=2022, aantal=aantal, bron="CBS, 1 januari 2022"
        )
    return gemeenten


def _draai(seed: int = 7, schaal: str = "landelijk", *extra: str) -> str:
    uitvoer = StringIO()
    call_command(
        "genereer_demodata",
        "--schaal",
        schaal,
        "--seed",
        str(seed),
        "--tot",
        "2023KW04",
        "--jaren",
        "2",
        *extra,
        stdout=uitvoer,
    )
    return uitvoer.getvalue()


def _cijfers() -> dict[Sleutel, tuple[Decimal, str]]:
    rijen = (
        opgeslagen()
        .filter(bron__startswith=SYNTHETISCH)
        .values_list("indicator_id", "gemeente_id", "periode_id", "waarde", "status")
    )
    return {(i, g, p): (w, s) for i, g, p, w, s in rijen}


def _waarden() -> dict[Sleutel, Decimal]:
    return {sleutel: waarde for sleutel, (waarde, _) in _cijfers().items()}


def test_zelfde_seed_geeft_dezelfde_cijfers(gebieden: dict[str, Gemeente]) -> None:
    _draai(7)
    eerste = _cijfers()
    inwoners = set(Inwonertal.objects.values_list("gemeente_id", "jaar", "aantal"))
    _draai(7)
    assert _cijfers() == eerste
    assert set(Inwonertal.objects.values_list("gemeente_id", "jaar", "aantal")) == inwoners
    # A rerun replaces the figures instead of adding to them.
    assert Waarneming.objects.count() == len(eerste)


def test_andere_seed_geeft_andere_cijfers(gebieden: dict[str, Gemeente]) -> None:
    _draai(7)
    zeven = _waarden()
    _draai(8)
    acht = _waarden()
    assert set(zeven) == set(acht)
    verschillend = sum(1 for sleutel in zeven if zeven[sleutel] != acht[sleutel])
    assert verschillend > len(zeven) / 2
    assert not opgeslagen().filter(bron__contains="seed 7").exists()
    assert opgeslagen().filter(bron="Synthetische demodata (seed 8)").count() == len(acht)


def test_geen_negatieve_waarden_en_hele_aantallen(gebieden: dict[str, Gemeente]) -> None:
    _draai()
    eenheden = dict(Indicator.objects.values_list("code", "eenheid"))
    waarden = _waarden()
    assert waarden
    for (indicator, _, _), waarde in waarden.items():
        assert waarde is not None
        assert waarde >= 0
        if eenheden[indicator] == Eenheid.AANTAL:
            assert waarde == waarde.to_integral_value(), (indicator, waarde)
        else:
            assert waarde == waarde.quantize(Decimal("0.01")), (indicator, waarde)
    doorlooptijden = [w for (i, _, _), w in waarden.items() if i == "vt_doorlooptijd_onderzoek"]
    assert all(Decimal(40) <= w <= Decimal(90) for w in doorlooptijden)


def test_cijfers_zijn_onderling_consistent(gebieden: dict[str, Gemeente]) -> None:
    _draai()
    per_cel: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(dict)
    for (indicator, gemeente, periode), waarde in _waarden().items():
        per_cel[(gemeente, periode)][indicator] = waarde
    assert per_cel
    for cel, w in per_cel.items():
        if "KW" not in cel[1]:
            continue  # a year holds the yearly survey only
        assert sum(w[m] for m in MELDERS) == w["vt_meldingen"], cel
        assert w["vt_hermeldingen"] <= w["vt_meldingen"], cel
        assert w["vt_veiligheidsbeoordelingen"] <= w["vt_meldingen"], cel
        assert (
            w["vt_veiligheidsbeoordelingen_binnen_termijn"] <= w["vt_veiligheidsbeoordelingen"]
        ), cel
        assert w["vt_onderzoeken_binnen_termijn"] <= w["vt_onderzoeken"], cel
        assert w["interventies_zonder_recidive"] <= w["interventies_gestart"], cel
        assert w["vt_meldingen_ouderenmishandeling"] <= w["vt_meldingen"], cel
    # Every part of a whole in the catalogue (deel_van), such as the clients who feel safer of
    # the survey's respondents: never more than the whole, or a share would pass 100%.
    delen = dict(Indicator.objects.exclude(deel_van=None).values_list("code", "deel_van_id"))
    assert "clientervaring_veiliger" in delen
    for cel, w in per_cel.items():
        for deel, geheel in delen.items():
            if deel in w and geheel in w:
                assert w[deel] <= w[geheel], (cel, deel)
    # Politie/justitie is the largest group of melders (65-80%).
    totaal = sum(w.get("vt_meldingen", 0) for w in per_cel.values())
    politie = sum(w.get("vt_meldingen_politie_justitie", 0) for w in per_cel.values())
    assert Decimal("0.6") < politie / totaal < Decimal("0.85")


def test_herindeling_volgt_het_bestaan(gebieden: dict[str, Gemeente]) -> None:
    _draai()
    synthetisch = opgeslagen().filter(bron__startswith=SYNTHETISCH)
    for sleutel in ("voor", "achter"):
        gemeente = gebieden[sleutel]
        assert not synthetisch.filter(gemeente=gemeente, periode_id__in=KWARTALEN_2023).exists()
        assert set(
            synthetisch.filter(gemeente=gemeente).values_list("periode_id", flat=True)
        ) == set(KWARTALEN_2022) | {"2022JJ00"}
    samen = gebieden["samen"]
    assert not synthetisch.filter(gemeente=samen, periode_id__in=KWARTALEN_2022).exists()
    assert set(synthetisch.filter(gemeente=samen).values_list("periode_id", flat=True)) == set(
        KWARTALEN_2023
    ) | {"2023JJ00"}
    # The successor starts from the sum of its predecessors (40.000), grown by at most a year.
    aantal = Inwonertal.objects.get(gemeente=samen, jaar=2023).aantal
    assert 40_000 * 0.99 <= aantal <= 40_000 * 1.01


def test_alle_gemeten_indicatoren_en_geen_afgeleide(gebieden: dict[str, Gemeente]) -> None:
    _draai()
    met_cijfers = set(
        opgeslagen().filter(bron__startswith=SYNTHETISCH).values_list("indicator_id", flat=True)
    )
    gemeten = set(Indicator.objects.gemeten().values_list("code", flat=True))
    afgeleid = set(Indicator.objects.afgeleid().values_list("code", flat=True))
    assert gemeten
    assert afgeleid
    assert met_cijfers == gemeten
    assert not opgeslagen().filter(indicator_id__in=afgeleid).exists()
    # Municipality level only, quarterly periods only; a yearly indicator per whole year only.
    assert not opgeslagen().filter(regio__isnull=False).exists()
    assert not (
        opgeslagen().exclude(periode__soort="KW").exclude(indicator__frequentie="jaar").exists()
    )
    assert (
        not opgeslagen().filter(indicator__frequentie="jaar").exclude(periode__soort="JJ").exists()
    )
    jaarlijks = opgeslagen().filter(indicator_id="clientervaring_respondenten")
    assert set(jaarlijks.values_list("periode_id", flat=True)) == {"2022JJ00", "2023JJ00"}


def test_echte_cijfers_blijven_staan(gebieden: dict[str, Gemeente]) -> None:
    periode = Periode.uit_code("2023KW02")
    periode.save()  # may already exist (data migration); then this is an update
    echt = Waarneming.objects.create(
        indicator_id="vt_meldingen",
        gemeente=gebieden["stad"],
        periode=periode,
        waarde=Decimal(123),
        bron=ECHTE_BRON,
    )
    _draai(7)
    _draai(8)
    echt.refresh_from_db()
    assert echt.waarde == Decimal(123)
    assert echt.bron == ECHTE_BRON
    assert (
        opgeslagen()
        .filter(indicator_id="vt_meldingen", gemeente=gebieden["stad"], periode_id="2023KW02")
        .count()
        == 1
    )
    # The other quarters of the same municipality do get synthetic meldingen.
    assert (
        opgeslagen()
        .filter(
            indicator_id="vt_meldingen",
            gemeente=gebieden["stad"],
            periode_id="2023KW01",
            bron__startswith=SYNTHETISCH,
        )
        .exists()
    )


def test_inwonertallen_voor_elke_gemeente_en_elk_jaar(gebieden: dict[str, Gemeente]) -> None:
    _draai()
    jaren = {
        "stad": {2022, 2023},
        "voor": {2022},
        "achter": {2022},
        "samen": {2023},
        "buiten": {2022, 2023},
    }
    for sleutel, verwacht in jaren.items():
        gevonden = set(
            Inwonertal.objects.filter(gemeente=gebieden[sleutel]).values_list("jaar", flat=True)
        )
        assert gevonden == verwacht, sleutel
    assert Inwonertal.objects.filter(aantal__lte=0).count() == 0
    # Existing rows are never overwritten; the new ones say they are synthetic.
    bestaand = Inwonertal.objects.get(gemeente=gebieden["stad"], jaar=2022)
    assert (bestaand.aantal, bestaand.bron) == (60_000, "CBS, 1 januari 2022")
    nieuw = Inwonertal.objects.get(gemeente=gebieden["stad"], jaar=2023)
    assert nieuw.bron == "Synthetisch (genereer_demodata, seed 7)"
    assert 60_000 * 0.99 <= nieuw.aantal <= 60_000 * 1.01
    buiten = Inwonertal.objects.get(gemeente=gebieden["buiten"], jaar=2022).aantal
    assert 1_000 <= buiten <= 900_000


def test_status_voorlopig_en_geheim(gebieden: dict[str, Gemeente]) -> None:
    _draai()
    for (_, _, periode), (waarde, status) in _cijfers().items():
        if status == WaarnemingStatus.GEHEIM:
            assert waarde is not None and waarde < 5
        elif periode in ("2023KW03", "2023KW04"):
            assert status == WaarnemingStatus.VOORLOPIG
        else:
            assert status == WaarnemingStatus.DEFINITIEF


def test_schaal_regio_neemt_alleen_leden(gebieden: dict[str, Gemeente]) -> None:
    uitvoer = _draai(7, "regio")
    met_cijfers = set(
        opgeslagen().filter(bron__startswith=SYNTHETISCH).values_list("gemeente_id", flat=True)
    )
    assert met_cijfers == {"GM0101", "GM0102", "GM0103", "GM0104"}
    assert not Inwonertal.objects.filter(gemeente=gebieden["buiten"]).exists()
    assert "gemeenten:      4" in uitvoer
    # The same municipality gets the same figures on either scale.
    regio = _waarden()
    _draai(7, "landelijk")
    landelijk = _waarden()
    assert {k: v for k, v in landelijk.items() if k[1] != "GM0105"} == regio


def test_samenvatting(gebieden: dict[str, Gemeente]) -> None:
    uitvoer = _draai()
    aantal = Waarneming.objects.count()
    assert "Demodata gegenereerd" in uitvoer
    assert "gemeenten:      5" in uitvoer
    assert "perioden:       8 kwartalen" in uitvoer
    assert f"waarnemingen:   {aantal:,}".replace(",", ".") in uitvoer
    assert "inwonertallen:  " in uitvoer
    assert "duur:" in uitvoer


@pytest.mark.parametrize(
    ("argumenten", "melding"),
    [
        (("--tot", "2023HJ01"), "kwartaal"),
        (("--tot", "2023KW05"), "2023KW05"),
        (("--jaren", "0"), "--jaren"),
        (("--seed", "-1"), "--seed"),
    ],
)
def test_ongeldige_argumenten(
    gebieden: dict[str, Gemeente], argumenten: tuple[str, str], melding: str
) -> None:
    basis = {"--schaal": "landelijk", "--seed": "7", "--tot": "2023KW04", "--jaren": "2"}
    basis[argumenten[0]] = argumenten[1]
    with pytest.raises(CommandError, match=melding):
        call_command("genereer_demodata", *[d for paar in basis.items() for d in paar])


def test_na_het_laden_staat_het_log_van_de_sommen_op_een_regel_per_periode(gebieden):
    """The load writes the stored sums' log a row per statement and period (PostgreSQL's
    triggers); afterwards it is brought back to one row per period, so reading its state
    stays short until the nightly upkeep. SQLite keeps no log."""
    from django.db import connection

    from monitoring.ledensommen import Sommenversie

    _draai()
    perioden = list(Sommenversie.objects.values_list("periode", flat=True))
    assert len(perioden) == len(set(perioden))
    if connection.vendor == "postgresql":
        assert set(perioden) >= {*KWARTALEN_2022, *KWARTALEN_2023}
    else:
        assert perioden == []
