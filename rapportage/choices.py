from django.db import models
from django.utils.translation import gettext_lazy as _


class RapportSoort(models.TextChoices):
    KWARTAAL = "kwartaal", _("kwartaalrapportage")
    HALFJAAR = "halfjaar", _("halfjaarrapportage")
    JAAR = "jaar", _("jaarrapportage")


class RapportStatus(models.TextChoices):
    CONCEPT = "concept", _("concept")
    GEPUBLICEERD = "gepubliceerd", _("gepubliceerd")


class Editie(models.TextChoices):
    """The two editions of a published report: the same snapshot, raw or disclosure-controlled."""

    INTERN = "intern", _("interne editie (ruwe cijfers, voor de eigen regio)")
    AFGESCHERMD = "afgeschermd", _("afgeschermde editie (voor partners en openbaar)")
