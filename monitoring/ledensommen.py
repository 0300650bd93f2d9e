"""Stored member sums: the database's roll-up of regions under the approved release, kept.

Derived data, never entered: `monitoring.selectors.sommentabel` fills these tables from the
figures and reads them back while their inputs are unchanged. Whether they are unchanged is
decided by PostgreSQL itself. Triggers (migration 0011) log, as rows of `Sommenversie`:

- every statement that writes figures or deliveries, once for each period it touched;
- every statement that writes memberships, municipalities, regions or indicators, as '*';
- every statement that writes organisations or what they deliver where, as 'org'.

A stored (region, period) is valid while the log of its period, of '*' and of 'org' is as it
was when it was computed, so a bulk write, a COPY or a fix by hand in SQL makes it stale as
surely as a service does. On SQLite nothing is stored (no triggers there): the selector adds
up live.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

ALLE_PERIODEN = "*"  # memberships, municipalities, regions, indicators
ORGANISATIES = "org"  # the organisations and what they deliver where


class Sommenversie(models.Model):
    """One write statement that touched a period ('*': the reference data of all periods).
    Written by the database's triggers only."""

    id = models.BigAutoField(primary_key=True)
    periode = models.CharField(_("periode"), max_length=20)

    class Meta:
        verbose_name = _("versie van de opgeslagen sommen")
        verbose_name_plural = _("versies van de opgeslagen sommen")
        indexes = [models.Index(fields=["periode", "id"], name="sommenversie_periode")]

    def __str__(self) -> str:
        return f"{self.periode} #{self.id}"


class Somstand(models.Model):
    """A (region, period) whose member sums are stored, and the versions they rest on."""

    regio = models.CharField(_("regio"), max_length=20)
    periode = models.CharField(_("periode"), max_length=20)
    versie = models.CharField(_("versie"), max_length=100)

    class Meta:
        verbose_name = _("stand van de opgeslagen sommen")
        verbose_name_plural = _("standen van de opgeslagen sommen")
        constraints = [
            models.UniqueConstraint(fields=["regio", "periode"], name="somstand_uniek"),
        ]

    def __str__(self) -> str:
        return f"{self.regio} {self.periode} ({self.versie})"


class Ledensom(models.Model):
    """The released stored figures of a region's members in one period, for one indicator:
    how many, their sum without the secret ones, how many are secret, the worst status
    (0 definitief, 1 voorlopig, 2 geheim) and their sources."""

    regio = models.CharField(_("regio"), max_length=20)
    periode = models.CharField(_("periode"), max_length=20)
    indicator = models.CharField(_("indicator"), max_length=60)
    bekend = models.IntegerField(_("aantal bekend"))
    som = models.DecimalField(_("som"), max_digits=30, decimal_places=4)
    geheim = models.IntegerField(_("aantal geheim"))
    ernst = models.SmallIntegerField(_("ergste status"))
    bronnen = models.JSONField(_("bronnen"), default=list)

    class Meta:
        verbose_name = _("opgeslagen ledensom")
        verbose_name_plural = _("opgeslagen ledensommen")
        constraints = [
            models.UniqueConstraint(
                fields=["regio", "periode", "indicator"], name="ledensom_uniek"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.regio} {self.periode}: {self.som} ({self.bekend})"
