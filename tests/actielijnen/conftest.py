"""Fixtures for the progress pages: region Zuid-Holland Zuid (VT24) with two projects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import factory
import pytest

from actielijnen.choices import Fase, ProjectStatus
from actielijnen.models import Mijlpaal, PlanningFase, Project, Voortgangsupdate
from regioaanpak.choices import RolSoort
from regioaanpak.models import Regio
from tests.factories import (
    ActielijnFactory,
    GebruikerFactory,
    ProjectFactory,
    RegioaanpakFactory,
    RegioFactory,
    RolFactory,
    periode,
)


class MijlpaalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mijlpaal

    project = factory.SubFactory(ProjectFactory)
    titel = factory.Sequence(lambda n: f"Mijlpaal {n}")
    geplande_datum = dt.date(2021, 6, 30)


class PlanningFaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanningFase

    project = factory.SubFactory(ProjectFactory)
    periode = factory.LazyFunction(lambda: periode("2021KW02"))
    fase = Fase.START_UITVOERING


class VoortgangsupdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Voortgangsupdate

    project = factory.SubFactory(ProjectFactory)
    periode = factory.LazyFunction(lambda: periode("2021KW02"))
    status = ProjectStatus.OP_SCHEMA
    toelichting = "Scholing loopt volgens plan."


@dataclass
class Zhz:
    regio: Regio
    handle_with_care: Project
    traumascreening: Project
    scholing: Mijlpaal
    convenant: Mijlpaal
    projectleider: object
    beleidsmedewerker: object
    bestuurder: object
    beheerder: object


@pytest.fixture
def zhz(db) -> Zhz:
    """Zuid-Holland Zuid with 'Handle with Care' (two milestones) and 'Traumascreening'."""
    regio = RegioFactory(code="VT24", naam="Zuid-Holland Zuid")
    aanpak = RegioaanpakFactory(
        regio=regio,
        titel="Regiovisie en actieplan GHNT Zuid-Holland Zuid",
        looptijd_van=dt.date(2021, 1, 1),
        looptijd_tot=dt.date(2024, 12, 31),
    )
    lijn = ActielijnFactory(regioaanpak=aanpak, nummer=2, titel="Kinderen en jongeren")
    projectleider = GebruikerFactory(
        username="petra",
        first_name="Petra",
        last_name="Projectleider",
        email="petra@zhz.example.nl",
    )
    handle = ProjectFactory(
        actielijn=lijn,
        titel="Handle with Care",
        trekker="Onderwijs en politie",
        projectleider=projectleider,
    )
    trauma = ProjectFactory(actielijn=lijn, titel="Traumascreening", trekker="Veilig Thuis ZHZ")
    scholing = MijlpaalFactory(
        project=handle,
        titel="Scholing intern begeleiders",
        geplande_datum=dt.date(2021, 5, 31),
    )
    convenant = MijlpaalFactory(
        project=handle, titel="Convenant met de politie", geplande_datum=dt.date(2021, 9, 30)
    )
    PlanningFaseFactory(
        project=handle, fase=Fase.START_UITVOERING, omschrijving="Start op tien scholen"
    )
    beleidsmedewerker = GebruikerFactory(
        username="bram",
        first_name="Bram",
        last_name="Beleid",
        email="bram@dordrecht.example.nl",
    )
    bestuurder = GebruikerFactory(username="wendy", first_name="Wendy", last_name="Wethouder")
    beheerder = GebruikerFactory(username="bea", first_name="Bea", last_name="Beheer")
    RolFactory(gebruiker=projectleider, regio=regio, rol=RolSoort.PROJECTLEIDER)
    RolFactory(gebruiker=beleidsmedewerker, regio=regio, rol=RolSoort.BELEIDSMEDEWERKER)
    RolFactory(gebruiker=bestuurder, regio=regio, rol=RolSoort.BESTUURDER)
    RolFactory(gebruiker=beheerder, regio=regio, rol=RolSoort.BEHEERDER)
    return Zhz(
        regio=regio,
        handle_with_care=handle,
        traumascreening=trauma,
        scholing=scholing,
        convenant=convenant,
        projectleider=projectleider,
        beleidsmedewerker=beleidsmedewerker,
        bestuurder=bestuurder,
        beheerder=beheerder,
    )


@pytest.fixture
def gelderland_zuid(db):
    """Another region, with its own project leader and beleidsmedewerker."""
    regio = RegioFactory(code="VT06", naam="Gelderland-Zuid")
    aanpak = RegioaanpakFactory(regio=regio, titel="Samen voor veiligheid")
    ActielijnFactory(regioaanpak=aanpak, nummer=3, titel="Helpende data")
    projectleider = GebruikerFactory(username="gerrit", first_name="Gerrit", last_name="Gelder")
    beleid = GebruikerFactory(username="gina", email="gina@nijmegen.example.nl")
    RolFactory(gebruiker=projectleider, regio=regio, rol=RolSoort.PROJECTLEIDER)
    RolFactory(gebruiker=beleid, regio=regio, rol=RolSoort.BELEIDSMEDEWERKER)
    return regio, projectleider, beleid


def verse(gebruiker):
    """The user read again, without the roles cached on the object."""
    return type(gebruiker).objects.get(pk=gebruiker.pk)
