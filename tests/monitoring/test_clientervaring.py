"""Client experience in the monitor (seed 004, chapter VI): the share of respondents who feel
safer, with the respondents as its denominator, so small numbers fall under disclosure
control for partners, as every count does."""

from __future__ import annotations

from decimal import Decimal

import pytest

from monitoring.selectors.cijfers import cijfers
from monitoring.services import waarnemingen_importeer
from regioaanpak.inzage import inzage_van

pytestmark = pytest.mark.django_db


def _lever(*rijen):
    resultaat = waarnemingen_importeer(
        rijen=[
            {"indicator": i, "gebied": g, "periode": p, "waarde": w, "__regel__": str(n)}
            for n, (i, g, p, w) in enumerate(rijen, start=1)
        ]
    )
    assert not resultaat.fouten, resultaat.fouten
    return resultaat


def _antwoorden(wie, cijferregios):
    return cijfers(
        inzage=inzage_van(cijferregios[wie]),
        indicatoren=["clientervaring_veiliger_percentage", "clientervaring_respondenten"],
        gebieden=["GM0505", "GM0642"],
        perioden=["2021JJ00"],
    )


def test_aandeel_veiliger_met_respondenten_als_noemer(cijferregios):
    from monitoring.models import Gegevenslevering
    from regioaanpak.choices import WorkflowStatus
    from tests.factories import periode

    _lever(
        ("clientervaring_respondenten", "GM0505", "2021JJ00", "48"),
        ("clientervaring_veiliger", "GM0505", "2021JJ00", "36"),
        ("clientervaring_respondenten", "GM0642", "2021JJ00", "7"),  # a handful of clients
        ("clientervaring_veiliger", "GM0642", "2021JJ00", "6"),
    )
    Gegevenslevering.objects.create(
        regio=cijferregios["zhz"],
        periode=periode("2021JJ00"),
        workflow_status=WorkflowStatus.GOEDGEKEURD,
    )
    intern = _antwoorden("beleid", cijferregios)
    assert intern.get("clientervaring_veiliger_percentage", "GM0505", "2021JJ00").waarde == Decimal(
        75
    )
    assert intern.get("clientervaring_veiliger_percentage", "GM0642", "2021JJ00").waarde.quantize(
        Decimal("0.1")
    ) == Decimal("85.7")
    partner = _antwoorden("partner", cijferregios)
    dordrecht = partner.get("clientervaring_veiliger_percentage", "GM0505", "2021JJ00")
    assert dordrecht.waarde == Decimal(70) and dordrecht.is_afgerond  # 35 of 50, rounded counts
    zwijndrecht = partner.get("clientervaring_veiliger_percentage", "GM0642", "2021JJ00")
    assert zwijndrecht.waarde is None and zwijndrecht.is_onderdrukt  # 6 of 7: too few
    assert partner.get("clientervaring_respondenten", "GM0642", "2021JJ00").is_onderdrukt


def test_meer_veiliger_dan_respondenten_wordt_geweigerd(cijferregios):
    resultaat = waarnemingen_importeer(
        rijen=[
            {
                "indicator": "clientervaring_respondenten",
                "gebied": "GM0505",
                "periode": "2021JJ00",
                "waarde": "10",
                "__regel__": "1",
            },
            {
                "indicator": "clientervaring_veiliger",
                "gebied": "GM0505",
                "periode": "2021JJ00",
                "waarde": "12",
                "__regel__": "2",
            },
        ]
    )
    assert resultaat.fouten and not resultaat.opgeslagen
    (fout,) = resultaat.fouten
    assert (fout.regel, fout.kolom) == (2, "waarde")
    assert "meer dan respondenten cliëntervaringsonderzoek (10)" in fout.reden


def test_jaarlijkse_indicator_alleen_over_een_heel_jaar(cijferregios):
    """The survey is delivered per year: a quarter's row is refused, naming the row, the
    indicator and the year to use."""
    resultaat = waarnemingen_importeer(
        rijen=[
            {
                "indicator": "clientervaring_respondenten",
                "gebied": "GM0505",
                "periode": "2021KW03",
                "waarde": "10",
                "__regel__": "2",
            }
        ],
        dry_run=True,
    )
    assert [(f.regel, f.kolom) for f in resultaat.fouten] == [(2, "periode")]
    assert "'clientervaring_respondenten' wordt per jaar aangeleverd, niet over 2021KW03" in str(
        resultaat.fouten[0]
    )
    assert "gebruik het hele jaar, 2021JJ00." in str(resultaat.fouten[0])


def test_invoerscherm_toont_de_jaarlijkse_indicatoren_alleen_bij_het_jaar(cijferregios):
    from monitoring.selectors import gegevensgrid_context
    from regioaanpak.inzage import Inzage

    def kolommen(periode):
        context = gegevensgrid_context(
            regio=cijferregios["zhz"], periode=periode, inzage=Inzage.intern("VT24")
        )
        return {i.code for i in context.indicatoren}

    assert "clientervaring_respondenten" not in kolommen("2021KW03")
    assert "vt_meldingen" in kolommen("2021KW03")
    assert {"clientervaring_respondenten", "clientervaring_veiliger"} <= kolommen("2021JJ00")
