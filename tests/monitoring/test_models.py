from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from monitoring.choices import WaarnemingStatus
from monitoring.models import Indicator, Streefwaarde, Waarneming
from tests.factories import GemeenteFactory, RegioFactory, WaarnemingFactory, periode

pytestmark = pytest.mark.django_db


def _waarneming(indicator: str, waarde: str, **velden) -> Waarneming:
    return Waarneming(
        indicator=Indicator.objects.get(code=indicator),
        gemeente=velden.pop("gemeente", None) or GemeenteFactory(),
        periode=periode(velden.pop("periode", "2021KW01")),
        waarde=Decimal(waarde) if waarde is not None else None,
        **velden,
    )


def test_negatief_aantal_wordt_geweigerd(indicatoren):
    with pytest.raises(ValidationError) as fout:
        _waarneming("vt_meldingen", "-3").full_clean()
    assert "-3 is negatief" in fout.value.message_dict["waarde"][0]


def test_database_weigert_negatieve_waarde(indicatoren):
    with pytest.raises(IntegrityError), transaction.atomic():
        WaarnemingFactory(waarde=Decimal("-1"))


def test_aantal_met_decimalen_wordt_geweigerd(indicatoren):
    with pytest.raises(ValidationError) as fout:
        _waarneming("vt_meldingen", "12.5").full_clean()
    assert "geen geheel getal" in str(fout.value)


def test_percentage_boven_honderd_wordt_geweigerd(indicatoren):
    Indicator.objects.create(
        code="aandeel_test", naam="Testaandeel", eenheid="percentage", bron="gemeente"
    )
    with pytest.raises(ValidationError) as fout:
        _waarneming("aandeel_test", "100.5").full_clean()
    assert "meer dan 100 procent" in str(fout.value)
    _waarneming("aandeel_test", "100").full_clean()


def test_afgeleide_indicator_kan_niet_worden_opgeslagen(indicatoren):
    with pytest.raises(ValidationError) as fout:
        _waarneming("vt_meldingen_per_1000", "3.2").full_clean()
    assert "wordt berekend uit Meldingen Veilig Thuis" in str(fout.value)


def test_waarneming_hoort_bij_gemeente_of_regio_niet_beide(indicatoren):
    with pytest.raises(IntegrityError), transaction.atomic():
        WaarnemingFactory(regio=RegioFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        WaarnemingFactory(gemeente=None)


def test_waarde_mag_alleen_leeg_zijn_als_zij_geheim_is(indicatoren):
    with pytest.raises(IntegrityError), transaction.atomic():
        WaarnemingFactory(waarde=None)
    WaarnemingFactory(waarde=None, status=WaarnemingStatus.GEHEIM)


def test_waarneming_is_uniek_per_indicator_gebied_en_periode(indicatoren):
    gemeente = GemeenteFactory()
    WaarnemingFactory(gemeente=gemeente)
    dubbel = _waarneming("vt_meldingen", "11", gemeente=gemeente)
    with pytest.raises(ValidationError) as fout:
        dubbel.full_clean()
    assert "al een waarde" in str(fout.value)


def test_waarneming_voor_opgeheven_gemeente_wordt_geweigerd(indicatoren):
    import datetime as dt

    brielle = GemeenteFactory(cbs_code="GM0501", naam="Brielle", geldig_tot=dt.date(2022, 12, 31))
    with pytest.raises(ValidationError) as fout:
        _waarneming("vt_meldingen", "4", gemeente=brielle, periode="2023KW01").full_clean()
    assert "Brielle bestond niet in 2023KW01" in str(fout.value)


def test_indicator_met_afgeleide_teller_wordt_geweigerd(indicatoren):
    indicator = Indicator(
        code="dubbel_afgeleid",
        naam="Dubbel afgeleid",
        eenheid="per_1000",
        bron="veilig_thuis",
        teller=Indicator.objects.get(code="vt_meldingen_per_1000"),
    )
    with pytest.raises(ValidationError) as fout:
        indicator.full_clean()
    assert "is zelf afgeleid" in str(fout.value)


def test_afgeleid_percentage_zonder_noemer_wordt_geweigerd(indicatoren):
    indicator = Indicator(
        code="percentage_zonder_noemer",
        naam="Zonder noemer",
        eenheid="percentage",
        bron="veilig_thuis",
        teller=Indicator.objects.get(code="vt_meldingen"),
    )
    with pytest.raises(ValidationError) as fout:
        indicator.full_clean()
    assert "heeft een noemer" in str(fout.value)


def test_normen_uit_de_sector(indicatoren):
    beoordeling = Indicator.objects.get(code="vt_veiligheidsbeoordeling_tijdig")
    onderzoek = Indicator.objects.get(code="vt_onderzoek_tijdig")
    assert beoordeling.norm_waarde == 90 and onderzoek.norm_waarde == 80
    assert beoordeling.norm_gehaald(Decimal("90.0")) is True
    assert beoordeling.norm_gehaald(Decimal("89.9")) is False
    assert beoordeling.norm_gehaald(None) is None


def test_streefpercentage_boven_honderd_wordt_geweigerd(indicatoren):
    streef = Streefwaarde(
        indicator=Indicator.objects.get(code="recidive_zonder_nieuw_geweld"),
        regio=RegioFactory(),
        periode=periode("2018JJ00"),
        waarde=Decimal("120"),
    )
    with pytest.raises(ValidationError) as fout:
        streef.full_clean()
    assert "ten hoogste 100" in str(fout.value)
