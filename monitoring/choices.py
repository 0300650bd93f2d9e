from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Eenheid(models.TextChoices):
    AANTAL = "aantal", _("aantal")
    PERCENTAGE = "percentage", _("percentage")
    PER_1000 = "per_1000", _("per 1.000 inwoners")
    PER_100000 = "per_100000", _("per 100.000 inwoners")
    DAGEN = "dagen", _("dagen")
    EURO = "euro", _("euro")


# Factor by which a derived indicator's quotient teller/noemer is multiplied.
EENHEID_FACTOR = {
    Eenheid.PERCENTAGE: Decimal(100),
    Eenheid.PER_1000: Decimal(1000),
    Eenheid.PER_100000: Decimal(100000),
}
# Units of per-capita rates: their denominator is the population (Inwonertal).
PER_INWONERS = {Eenheid.PER_1000, Eenheid.PER_100000}


class Bron(models.TextChoices):
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")
    POLITIE = "politie", _("politie")
    CSG = "csg", _("Centrum Seksueel Geweld")
    OPVANG = "opvang", _("opvang (vrouwenopvang, zorgcoördinatie)")
    GEMEENTE = "gemeente", _("gemeente")
    CBS = "cbs", _("CBS")
    ANDERS = "anders", _("anders")


class Frequentie(models.TextChoices):
    """How often an indicator is delivered: per quarter (Veilig Thuis, the shelters) or per year
    (a client-experience survey). A yearly indicator is entered on the year's grid only."""

    KWARTAAL = "kwartaal", _("per kwartaal")
    JAAR = "jaar", _("per jaar")


class Aggregatie(models.TextChoices):
    SOM = "som", _("som")
    GEMIDDELDE = "gemiddelde", _("gemiddelde")
    LAATSTE = "laatste", _("laatste waarde")


class Richting(models.TextChoices):
    HOGER_IS_BETER = "hoger_beter", _("hoger is beter")
    LAGER_IS_BETER = "lager_beter", _("lager is beter")
    NEUTRAAL = "neutraal", _("neutraal")


class NormOperator(models.TextChoices):
    MINIMAAL = "gte", _("ten minste")
    MAXIMAAL = "lte", _("ten hoogste")


# Figures imported from CBS StatLine carry this source (`bron`, "CBS StatLine 84847NED").
CBS_BRON_BEGIN = "CBS StatLine"


class Bronkeuze(models.TextChoices):
    """Which source answers a question where the region's own figures and CBS's both could.

    VOORRANG (every channel): the region's own delivered figures and their roll-ups first;
    CBS's published figure only where they give no answer (the country, a half-year without
    own quarters). EIGEN and CBS answer from one source only, to compare the two."""

    VOORRANG = "voorrang", _("eigen cijfers, anders CBS")
    EIGEN = "eigen", _("alleen eigen aanlevering")
    CBS = "cbs", _("alleen CBS StatLine")


def is_cbs_bron(bron: str | None) -> bool:
    return bool(bron) and bron.startswith(CBS_BRON_BEGIN)


class WaarnemingStatus(models.TextChoices):
    DEFINITIEF = "definitief", _("definitief")
    VOORLOPIG = "voorlopig", _("voorlopig (*)")
    GEHEIM = "geheim", _("geheim (.)")


# Order of severity when statuses of parts are combined into a roll-up.
STATUS_ERNST = {
    WaarnemingStatus.DEFINITIEF: 0,
    WaarnemingStatus.VOORLOPIG: 1,
    WaarnemingStatus.GEHEIM: 2,
}
