"""Areas and periods: municipalities, populations, regions with their membership over time,
CBS periods and municipal boundaries."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regioaanpak.choices import PeriodeSoort, RegioSoort
from regioaanpak.perioden import PERIODE_REGEX, PeriodeCode
from regioaanpak.querysets import GemeenteQuerySet, LidmaatschapQuerySet
from regioaanpak.validators import (
    CBS_GEMEENTECODE_REGEX,
    cbs_gemeentecode_validator,
    periodecode_validator,
    regiocode_validator,
)


def _overlapt(van_a, tot_a, van_b, tot_b) -> bool:
    """Two date intervals overlap; None means open-ended on that side."""
    begin_a = van_a or dt.date.min
    eind_a = tot_a or dt.date.max
    begin_b = van_b or dt.date.min
    eind_b = tot_b or dt.date.max
    return begin_a <= eind_b and begin_b <= eind_a


class Gemeente(models.Model):
    cbs_code = models.CharField(
        _("CBS-code"),
        max_length=6,
        primary_key=True,
        validators=[cbs_gemeentecode_validator],
        help_text=_("CBS-gemeentecode: 'GM' gevolgd door vier cijfers, bijvoorbeeld GM0505."),
    )
    naam = models.CharField(_("naam"), max_length=100)
    geldig_van = models.DateField(
        _("geldig van"),
        null=True,
        blank=True,
        help_text=_("Eerste dag van de gemeente; leeg als de gemeente al langer bestaat."),
    )
    geldig_tot = models.DateField(
        _("geldig tot en met"),
        null=True,
        blank=True,
        help_text=_("Laatste dag van de gemeente, bijvoorbeeld voor een herindeling."),
    )
    opgevolgd_door = models.ForeignKey(
        "self",
        verbose_name=_("opgevolgd door"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="voorgangers",
        help_text=_("De gemeente waarin deze gemeente bij een herindeling is opgegaan."),
    )

    objects = GemeenteQuerySet.as_manager()

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["naam"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cbs_code__regex=CBS_GEMEENTECODE_REGEX),
                name="gemeente_cbs_code_formaat",
                violation_error_message=_(
                    "De CBS-code van een gemeente bestaat uit 'GM' en vier cijfers."
                ),
            ),
            models.CheckConstraint(
                condition=Q(geldig_van__isnull=True)
                | Q(geldig_tot__isnull=True)
                | Q(geldig_tot__gte=models.F("geldig_van")),
                name="gemeente_geldigheid_volgorde",
                violation_error_message=_("De einddatum van een gemeente ligt vóór de begindatum."),
            ),
            models.CheckConstraint(
                condition=Q(opgevolgd_door__isnull=True) | Q(geldig_tot__isnull=False),
                name="gemeente_opvolger_vraagt_einddatum",
                violation_error_message=_(
                    "Een gemeente met een opvolger moet een einddatum hebben."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.naam} ({self.cbs_code})"

    def clean(self) -> None:
        if self.opgevolgd_door_id and self.opgevolgd_door_id == self.cbs_code:
            raise ValidationError({"opgevolgd_door": _("Een gemeente kan niet zichzelf opvolgen.")})

    def bestaat_in(self, begin: dt.date, eind: dt.date) -> bool:
        """The municipality existed during (part of) the interval."""
        return _overlapt(self.geldig_van, self.geldig_tot, begin, eind)


class Inwonertal(models.Model):
    gemeente = models.ForeignKey(
        Gemeente,
        verbose_name=_("gemeente"),
        on_delete=models.CASCADE,
        related_name="inwonertallen",
    )
    jaar = models.PositiveSmallIntegerField(
        _("jaar"), help_text=_("Aantal inwoners op 1 januari van dit jaar.")
    )
    aantal = models.PositiveIntegerField(_("aantal inwoners"))
    bron = models.CharField(
        _("bron"),
        max_length=200,
        blank=True,
        help_text=_("Herkomst van het inwonertal, en of het een benadering is."),
    )

    class Meta:
        verbose_name = _("inwonertal")
        verbose_name_plural = _("inwonertallen")
        ordering = ["gemeente", "jaar"]
        constraints = [
            models.UniqueConstraint(
                fields=["gemeente", "jaar"],
                name="inwonertal_uniek_per_gemeente_jaar",
                violation_error_message=_("Voor deze gemeente en dit jaar is al een inwonertal."),
            ),
            models.CheckConstraint(
                condition=Q(jaar__gte=1900) & Q(jaar__lte=2999),
                name="inwonertal_jaar_bereik",
                violation_error_message=_("Het jaar van een inwonertal ligt tussen 1900 en 2999."),
            ),
            models.CheckConstraint(
                condition=Q(aantal__gt=0),
                name="inwonertal_positief",
                violation_error_message=_("Een inwonertal is groter dan nul."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.gemeente.naam} {self.jaar}: {self.aantal}"


class Regio(models.Model):
    code = models.CharField(
        _("code"),
        max_length=20,
        primary_key=True,
        validators=[regiocode_validator],
        help_text=_("Korte code van de regio, bij een Veilig Thuis-regio de CBS-code zoals VT24."),
    )
    naam = models.CharField(_("naam"), max_length=100)
    soort = models.CharField(_("soort"), max_length=30, choices=RegioSoort.choices)
    cbs_code = models.CharField(
        _("CBS-code"),
        max_length=10,
        blank=True,
        help_text=_("CBS-code van de regio, zoals VT24 voor Veilig Thuis Zuid-Holland Zuid."),
    )
    centrumgemeente = models.ForeignKey(
        Gemeente,
        verbose_name=_("centrumgemeente"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="centrumregios",
    )
    bovenliggende = models.ForeignKey(
        "self",
        verbose_name=_("bovenliggende regio"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subregios",
    )
    gemeenten = models.ManyToManyField(
        Gemeente,
        verbose_name=_("gemeenten"),
        through="Lidmaatschap",
        related_name="regios",
    )

    class Meta:
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        ordering = ["naam"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(soort=RegioSoort.VEILIG_THUIS_REGIO) | ~Q(cbs_code=""),
                name="regio_vt_heeft_cbs_code",
                violation_error_message=_("Een Veilig Thuis-regio heeft een CBS-code, zoals VT24."),
            ),
        ]

    def __str__(self) -> str:
        return self.naam

    def clean(self) -> None:
        if self.bovenliggende_id and self.bovenliggende_id == self.code:
            raise ValidationError({"bovenliggende": _("Een regio kan niet boven zichzelf liggen.")})


class Lidmaatschap(models.Model):
    regio = models.ForeignKey(
        Regio, verbose_name=_("regio"), on_delete=models.CASCADE, related_name="lidmaatschappen"
    )
    gemeente = models.ForeignKey(
        Gemeente,
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        related_name="lidmaatschappen",
    )
    geldig_van = models.DateField(
        _("lid vanaf"),
        null=True,
        blank=True,
        help_text=_("Leeg: lid sinds het begin van de registratie."),
    )
    geldig_tot = models.DateField(
        _("lid tot en met"), null=True, blank=True, help_text=_("Leeg: nog steeds lid.")
    )

    objects = LidmaatschapQuerySet.as_manager()

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        ordering = ["regio", "gemeente__naam", "geldig_van"]
        constraints = [
            models.CheckConstraint(
                condition=Q(geldig_van__isnull=True)
                | Q(geldig_tot__isnull=True)
                | Q(geldig_tot__gte=models.F("geldig_van")),
                name="lidmaatschap_geldigheid_volgorde",
                violation_error_message=_(
                    "De einddatum van het lidmaatschap ligt vóór de begindatum."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.gemeente.naam} in {self.regio.naam}"

    def clean(self) -> None:
        if not (self.regio_id and self.gemeente_id):
            return
        if self.geldig_van and self.geldig_tot and self.geldig_tot < self.geldig_van:
            return  # the check constraint's own message is shown
        andere = Lidmaatschap.objects.filter(regio_id=self.regio_id, gemeente_id=self.gemeente_id)
        if self.pk:
            andere = andere.exclude(pk=self.pk)
        for bestaand in andere:
            if _overlapt(
                self.geldig_van, self.geldig_tot, bestaand.geldig_van, bestaand.geldig_tot
            ):
                raise ValidationError(
                    _(
                        "%(gemeente)s is al lid van %(regio)s in een overlappende periode "
                        "(%(van)s tot en met %(tot)s)."
                    )
                    % {
                        "gemeente": bestaand.gemeente.naam,
                        "regio": bestaand.regio.naam,
                        "van": bestaand.geldig_van or _("het begin"),
                        "tot": bestaand.geldig_tot or _("heden"),
                    }
                )

    def geldig_in(self, begin: dt.date, eind: dt.date) -> bool:
        return _overlapt(self.geldig_van, self.geldig_tot, begin, eind)


class Periode(models.Model):
    """A CBS period; the code is the key, the dates are stored for range queries."""

    code = models.CharField(
        _("code"),
        max_length=8,
        primary_key=True,
        validators=[periodecode_validator],
        help_text=_("CBS-periodecode: 2021KW01..KW04, 2021HJ01/HJ02 of 2021JJ00."),
    )
    soort = models.CharField(_("soort"), max_length=2, choices=PeriodeSoort.choices)
    jaar = models.PositiveSmallIntegerField(_("jaar"))
    nummer = models.PositiveSmallIntegerField(_("nummer"))
    begindatum = models.DateField(_("begindatum"))
    einddatum = models.DateField(_("einddatum"))

    class Meta:
        verbose_name = _("periode")
        verbose_name_plural = _("perioden")
        ordering = ["begindatum", "-einddatum"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=PERIODE_REGEX),
                name="periode_code_formaat",
                violation_error_message=_(
                    "Een periodecode heeft de vorm 2021KW01, 2021HJ01 of 2021JJ00."
                ),
            ),
            models.CheckConstraint(
                condition=Q(einddatum__gte=models.F("begindatum")),
                name="periode_einde_na_begin",
                violation_error_message=_("De einddatum van een periode ligt vóór de begindatum."),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @classmethod
    def uit_code(cls, code: str | PeriodeCode) -> Periode:
        """An unsaved instance with all fields derived from the code."""
        waarde = PeriodeCode.parse(code)
        return cls(
            code=waarde.code,
            soort=waarde.soort,
            jaar=waarde.jaar,
            nummer=waarde.nummer,
            begindatum=waarde.begindatum,
            einddatum=waarde.einddatum,
        )

    @property
    def waarde(self) -> PeriodeCode:
        return PeriodeCode.parse(self.code)

    @property
    def label(self) -> str:
        return self.waarde.label

    def clean_fields(self, exclude=None) -> None:
        # The other fields follow from the code; fill them in before they are validated.
        try:
            afgeleid = Periode.uit_code(self.code)
        except ValidationError:
            afgeleid = None
        if afgeleid is not None:
            for veld in ("soort", "jaar", "nummer", "begindatum", "einddatum"):
                setattr(self, veld, getattr(afgeleid, veld))
        super().clean_fields(exclude=exclude)


class Gemeentegrens(models.Model):
    """A municipality's boundary (GeoJSON geometry, WGS84) as published for one year."""

    gemeente = models.ForeignKey(
        Gemeente, verbose_name=_("gemeente"), on_delete=models.CASCADE, related_name="grenzen"
    )
    jaar = models.PositiveSmallIntegerField(
        _("jaar"), help_text=_("Het jaar van de gemeentelijke indeling (CBS/PDOK).")
    )
    geometrie = models.JSONField(_("geometrie (GeoJSON)"))

    class Meta:
        verbose_name = _("gemeentegrens")
        verbose_name_plural = _("gemeentegrenzen")
        ordering = ["gemeente", "jaar"]
        constraints = [
            models.UniqueConstraint(
                fields=["gemeente", "jaar"],
                name="gemeentegrens_uniek_per_jaar",
                violation_error_message=_("Deze gemeente heeft voor dit jaar al een grens."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.gemeente.naam} ({self.jaar})"
