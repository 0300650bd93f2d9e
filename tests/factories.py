"""factory_boy factories with real names and codes from the seed regions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from actielijnen.models import Actielijn, Project, Regioaanpak
from monitoring.choices import WaarnemingStatus
from monitoring.models import Indicator, Waarneming
from regioaanpak.choices import RegioSoort, RolSoort
from regioaanpak.models import Gemeente, Inwonertal, Lidmaatschap, Periode, Regio, Rol


class GebruikerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    password = factory.django.Password("geheim-wachtwoord-123")


class GemeenteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gemeente
        django_get_or_create = ("cbs_code",)

    # GM9000..GM9999: never a real code; wraps so that long test runs stay within four digits.
    cbs_code = factory.Sequence(lambda n: f"GM9{n % 1000:03d}")
    naam = factory.Sequence(lambda n: f"Testgemeente {n}")


class RegioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Regio
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"VT9{n}")
    naam = factory.Sequence(lambda n: f"Testregio {n}")
    soort = RegioSoort.VEILIG_THUIS_REGIO
    cbs_code = factory.LazyAttribute(lambda o: o.code)


class LidmaatschapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lidmaatschap

    regio = factory.SubFactory(RegioFactory)
    gemeente = factory.SubFactory(GemeenteFactory)


class InwonertalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inwonertal

    gemeente = factory.SubFactory(GemeenteFactory)
    jaar = 2021
    aantal = 50_000


class RolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rol

    gebruiker = factory.SubFactory(GebruikerFactory)
    regio = factory.SubFactory(RegioFactory)
    rol = RolSoort.PROJECTLEIDER


def opgeslagen():
    """The stored figures, for a test that checks what a write service stored (outside the
    viewer policy, which tests of its own cover)."""
    from monitoring.models import Waarneming

    return Waarneming.objects.ongefilterd("test: controleren wat is opgeslagen")


def periode(code: str) -> Periode:
    """The Periode row for a code (periods 2010-2035 exist after migrating)."""
    bestaand = Periode.objects.filter(code=code).first()
    if bestaand:
        return bestaand
    nieuw = Periode.uit_code(code)
    nieuw.save()
    return nieuw


class WaarnemingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Waarneming

    indicator = factory.LazyFunction(lambda: Indicator.objects.get(code="vt_meldingen"))
    gemeente = factory.SubFactory(GemeenteFactory)
    periode = factory.LazyFunction(lambda: periode("2021KW01"))
    waarde = Decimal(10)
    status = WaarnemingStatus.DEFINITIEF


class RegioaanpakFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Regioaanpak

    regio = factory.SubFactory(RegioFactory)
    titel = factory.Sequence(lambda n: f"Regioaanpak {n}")
    looptijd_van = dt.date(2021, 1, 1)
    looptijd_tot = dt.date(2025, 12, 31)


class ActielijnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actielijn

    regioaanpak = factory.SubFactory(RegioaanpakFactory)
    nummer = factory.Sequence(lambda n: n + 1)
    titel = "Preventie en signalering"


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    actielijn = factory.SubFactory(ActielijnFactory)
    titel = factory.Sequence(lambda n: f"Project {n}")
