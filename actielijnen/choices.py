from django.db import models
from django.utils.translation import gettext_lazy as _


class Financieringsbron(models.TextChoices):
    DU_VO = "du_vo", _("Decentralisatie-uitkering Vrouwenopvang (DU VO)")
    PROJECTENPOOL_GHNT = "projectenpool_ghnt", _("landelijke projectenpool GHNT")
    GEMEENTELIJK = "gemeentelijk", _("gemeentelijke middelen")
    ANDERS = "anders", _("anders")


class Fase(models.TextChoices):
    """Phases of the quarterly planning, as in Rotterdam-Rijnmond's action plan."""

    NULMETING = "nulmeting", _("0-meting")
    PLAN = "plan", _("plan")
    START_UITVOERING = "start_uitvoering", _("start uitvoering")
    MONITOREN = "monitoren", _("monitoren/ontwikkelen")
    BORGEN = "borgen", _("borgen/verbreden")


class BegrotingSoort(models.TextChoices):
    UITGAVE = "uitgave", _("begrote uitgave")
    DEKKING = "dekking", _("dekking (beschikbare middelen)")


class ProjectStatus(models.TextChoices):
    OP_SCHEMA = "op_schema", _("op schema")
    AANDACHT = "aandacht", _("aandacht nodig")
    ACHTER = "achter", _("achter op schema")
    AFGEROND = "afgerond", _("afgerond")
    GESTOPT = "gestopt", _("gestopt")


class MijlpaalStandKeuze(models.TextChoices):
    NIET_GESTART = "niet_gestart", _("nog niet gestart")
    LOOPT = "loopt", _("loopt volgens plan")
    VERTRAAGD = "vertraagd", _("vertraagd")
    BEHAALD = "behaald", _("behaald")
    VERVALLEN = "vervallen", _("vervallen")


class Oordeel(models.TextChoices):
    """A yearly judgement of a qualitative effect."""

    BEREIKT = "bereikt", _("bereikt")
    DEELS = "deels", _("deels bereikt")
    NIET = "niet", _("niet bereikt")
    NOG_NIET = "nog_niet", _("nog niet te beoordelen")
