import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from regioaanpak.choices import RegioSoort, RolSoort
from regioaanpak.models import Gemeente, Lidmaatschap, Periode, Regio, Rol
from tests.factories import GebruikerFactory, GemeenteFactory, LidmaatschapFactory, RegioFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["GM505", "gm0505", "XX0505", "GM05050", "GMabcd"])
def test_foute_cbs_code_geeft_nederlandse_melding_met_de_code(code):
    gemeente = Gemeente(cbs_code=code, naam="Dordrecht")
    with pytest.raises(ValidationError) as fout:
        gemeente.full_clean()
    melding = " ".join(fout.value.message_dict["cbs_code"])
    assert code in melding
    assert "CBS-gemeentecode" in melding


def test_database_weigert_foute_cbs_code_ook_buiten_de_validatie_om():
    with pytest.raises(IntegrityError), transaction.atomic():
        Gemeente.objects.create(cbs_code="XX0505", naam="Dordrecht")


def test_foute_periodecode_wordt_geweigerd_met_de_code_in_de_melding():
    periode = Periode(code="2021KW05")
    with pytest.raises(ValidationError) as fout:
        periode.full_clean()
    assert "2021KW05" in str(fout.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        Periode.objects.create(
            code="2021KW05",
            soort="KW",
            jaar=2021,
            nummer=5,
            begindatum=dt.date(2021, 1, 1),
            einddatum=dt.date(2021, 3, 31),
        )


def test_periode_velden_worden_uit_de_code_afgeleid():
    periode = Periode(code="2037HJ02")
    periode.full_clean()
    assert (periode.soort, periode.jaar, periode.begindatum) == ("HJ", 2037, dt.date(2037, 7, 1))


def test_overlappend_lidmaatschap_wordt_geweigerd():
    regio = RegioFactory(code="VT18", naam="Rotterdam-Rijnmond")
    brielle = GemeenteFactory(cbs_code="GM0501", naam="Brielle")
    LidmaatschapFactory(regio=regio, gemeente=brielle, geldig_tot=dt.date(2022, 12, 31))
    dubbel = Lidmaatschap(regio=regio, gemeente=brielle, geldig_van=dt.date(2022, 6, 1))
    with pytest.raises(ValidationError) as fout:
        dubbel.full_clean()
    assert "Brielle is al lid van Rotterdam-Rijnmond" in str(fout.value)


def test_aansluitend_lidmaatschap_mag():
    regio = RegioFactory(code="VT24", naam="Zuid-Holland Zuid")
    gemeente = GemeenteFactory(cbs_code="GM0505", naam="Dordrecht")
    LidmaatschapFactory(regio=regio, gemeente=gemeente, geldig_tot=dt.date(2018, 12, 31))
    Lidmaatschap(regio=regio, gemeente=gemeente, geldig_van=dt.date(2019, 1, 1)).full_clean()


def test_lidmaatschap_met_einde_voor_begin_wordt_geweigerd():
    lid = Lidmaatschap(
        regio=RegioFactory(),
        gemeente=GemeenteFactory(),
        geldig_van=dt.date(2020, 1, 1),
        geldig_tot=dt.date(2019, 1, 1),
    )
    with pytest.raises(ValidationError) as fout:
        lid.full_clean()
    assert "ligt vóór de begindatum" in str(fout.value)


def test_gemeente_met_opvolger_zonder_einddatum_wordt_geweigerd():
    opvolger = GemeenteFactory(cbs_code="GM1992", naam="Voorne aan Zee")
    gemeente = Gemeente(cbs_code="GM0501", naam="Brielle", opgevolgd_door=opvolger)
    with pytest.raises(ValidationError) as fout:
        gemeente.full_clean()
    assert "opvolger" in str(fout.value)


def test_veilig_thuis_regio_zonder_cbs_code_wordt_geweigerd():
    regio = Regio(code="VT24", naam="Zuid-Holland Zuid", soort=RegioSoort.VEILIG_THUIS_REGIO)
    with pytest.raises(ValidationError) as fout:
        regio.full_clean()
    assert "CBS-code" in str(fout.value)


def test_rol_voor_gemeente_buiten_de_regio_wordt_geweigerd():
    regio = RegioFactory(code="VT24", naam="Zuid-Holland Zuid")
    nijmegen = GemeenteFactory(cbs_code="GM0268", naam="Nijmegen")
    rol = Rol(gebruiker=GebruikerFactory(), regio=regio, gemeente=nijmegen, rol=RolSoort.BESTUURDER)
    with pytest.raises(ValidationError) as fout:
        rol.full_clean()
    assert "Nijmegen hoort niet bij de regio Zuid-Holland Zuid" in str(fout.value)


def test_dezelfde_rol_twee_keer_in_een_regio_wordt_geweigerd():
    gebruiker = GebruikerFactory()
    regio = RegioFactory()
    Rol.objects.create(gebruiker=gebruiker, regio=regio, rol=RolSoort.PROJECTLEIDER)
    dubbel = Rol(gebruiker=gebruiker, regio=regio, rol=RolSoort.PROJECTLEIDER)
    with pytest.raises(ValidationError) as fout:
        dubbel.full_clean()
    assert "heeft deze rol al" in str(fout.value)
