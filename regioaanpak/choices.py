from django.db import models
from django.utils.translation import gettext_lazy as _


class RegioSoort(models.TextChoices):
    CENTRUMGEMEENTEREGIO = "centrumgemeenteregio", _("centrumgemeenteregio vrouwenopvang")
    VEILIG_THUIS_REGIO = "veilig_thuis_regio", _("Veilig Thuis-regio")
    SUBREGIO = "subregio", _("subregio")
    LAND = "land", _("land")


class PeriodeSoort(models.TextChoices):
    KWARTAAL = "KW", _("kwartaal")
    HALFJAAR = "HJ", _("halfjaar")
    JAAR = "JJ", _("jaar")


class RolSoort(models.TextChoices):
    BEHEERDER = "beheerder", _("beheerder")
    PROJECTLEIDER = "projectleider", _("projectleider")
    BELEIDSMEDEWERKER = "beleidsmedewerker", _("beleidsmedewerker (ambtenaar)")
    BESTUURDER = "bestuurder", _("bestuurder (wethouder)")
    PARTNER = "partner", _("partner")


class WorkflowStatus(models.TextChoices):
    CONCEPT = "concept", _("concept")
    INGEDIEND = "ingediend", _("ingediend")
    GOEDGEKEURD = "goedgekeurd", _("goedgekeurd")
    TERUGGESTUURD = "teruggestuurd", _("teruggestuurd")


class AuditActie(models.TextChoices):
    AANGEMAAKT = "aangemaakt", _("aangemaakt")
    GEWIJZIGD = "gewijzigd", _("gewijzigd")
    STATUS = "status", _("status gewijzigd")
    VERGRENDELD = "vergrendeld", _("vergrendeld")
    ONTGRENDELD = "ontgrendeld", _("ontgrendeld")
    VERWIJDERD = "verwijderd", _("verwijderd")


class TokenScope(models.TextChoices):
    LEZEN = "lezen", _("lezen")
    SCHRIJVEN = "schrijven", _("lezen en schrijven")
