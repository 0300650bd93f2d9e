from django.db import models
from django.utils.translation import gettext_lazy as _


class RapportSoort(models.TextChoices):
    KWARTAAL = "kwartaal", _("kwartaalrapportage")
    HALFJAAR = "halfjaar", _("halfjaarrapportage")


class RapportStatus(models.TextChoices):
    CONCEPT = "concept", _("concept")
    GEPUBLICEERD = "gepubliceerd", _("gepubliceerd")
