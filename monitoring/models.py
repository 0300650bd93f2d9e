"""Indicator catalogue, figures (waarnemingen) and targets (streefwaarden)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from monitoring.choices import (
    EENHEID_FACTOR,
    PER_INWONERS,
    Aggregatie,
    Bron,
    Eenheid,
    Frequentie,
    NormOperator,
    Richting,
    WaarnemingStatus,
)
from monitoring.querysets import IndicatorQuerySet, WaarnemingQuerySet
from regioaanpak.choices import WorkflowStatus
from regioaanpak.getallen import exact_tekst
from regioaanpak.models import Gemeente, Organisatie, Periode, Regio
from regioaanpak.models.organisaties import standaard_organisatie
from regioaanpak.perioden import PeriodeCode
from regioaanpak.workflow import OVERGANGEN_GEGEVENS, WorkflowModel

HONDERD = Decimal(100)


class Indicator(models.Model):
    code = models.CharField(
        _("code"),
        max_length=60,
        primary_key=True,
        help_text=_("Vaste, korte code in kleine letters, bijvoorbeeld vt_meldingen."),
    )
    naam = models.CharField(_("naam"), max_length=200)
    definitie = models.TextField(_("definitie"), blank=True)
    eenheid = models.CharField(_("eenheid"), max_length=20, choices=Eenheid.choices)
    bron = models.CharField(_("bron"), max_length=20, choices=Bron.choices)
    aggregatie = models.CharField(
        _("aggregatie"),
        max_length=20,
        choices=Aggregatie.choices,
        default=Aggregatie.SOM,
        help_text=_(
            "Hoe kwartalen tot halfjaren en jaren worden samengevoegd; alleen bij 'som' worden "
            "gemeenten ook tot regio's opgeteld."
        ),
    )
    richting = models.CharField(
        _("richting"), max_length=20, choices=Richting.choices, default=Richting.NEUTRAAL
    )
    frequentie = models.CharField(
        _("aanlevering"),
        max_length=10,
        choices=Frequentie.choices,
        default=Frequentie.KWARTAAL,
        help_text=_(
            "Per jaar: alleen in te voeren en aan te leveren over een heel jaar (bijvoorbeeld "
            "2021JJ00), zoals een cliëntervaringsonderzoek."
        ),
    )
    teller = models.ForeignKey(
        "self",
        verbose_name=_("teller"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="als_teller",
        help_text=_("Alleen voor afgeleide indicatoren: het aantal boven de streep."),
    )
    noemer = models.ForeignKey(
        "self",
        verbose_name=_("noemer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="als_noemer",
        help_text=_(
            "Alleen voor afgeleide percentages; bij een cijfer per 1.000 of 100.000 inwoners is "
            "het inwonertal de noemer."
        ),
    )
    deel_van = models.ForeignKey(
        "self",
        verbose_name=_("deel van"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="delen",
        help_text=_(
            "Voor een aantal dat een deel is van een ander aantal (meldingen naar soort melder "
            "van de meldingen): alle delen samen zijn nooit meer dan het geheel. Een teller is "
            "nooit meer dan zijn noemer; dat volgt al uit de afgeleide percentages."
        ),
    )
    norm_operator = models.CharField(
        _("normsoort"), max_length=3, choices=NormOperator.choices, blank=True
    )
    norm_waarde = models.DecimalField(
        _("normwaarde"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    norm_omschrijving = models.CharField(_("omschrijving van de norm"), max_length=300, blank=True)
    volgorde = models.PositiveSmallIntegerField(
        _("volgorde"), default=0, help_text=_("Volgorde in lijsten en invoerschermen.")
    )
    geheimhouding_drempel = models.PositiveSmallIntegerField(
        _("drempel voor geheimhouding"),
        default=10,
        help_text=_(
            "Alleen voor aantallen: voor partners wordt een aantal onder deze drempel als '.' "
            "getoond (onderdrukt), zoals CBS de cijfers van Veilig Thuis publiceert. 0: niets "
            "onderdrukken."
        ),
    )
    geheimhouding_afronding = models.PositiveSmallIntegerField(
        _("afronden op een veelvoud van"),
        default=5,
        help_text=_(
            "Alleen voor aantallen: voor partners wordt een aantal afgerond op het "
            "dichtstbijzijnde veelvoud hiervan. 1: niet afronden."
        ),
    )
    organisaties = models.ManyToManyField(
        Organisatie,
        verbose_name=_("aangeleverd door"),
        related_name="indicatoren",
        blank=True,
        help_text=_(
            "De organisaties die deze indicator leveren, elk voor de regio's van haar "
            "werkgebied. Elders levert de standaardorganisatie (Veilig Thuis) hem."
        ),
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicatoren")
        ordering = ["volgorde", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[a-z][a-z0-9_]*$"),
                name="indicator_code_formaat",
                violation_error_message=_(
                    "Een indicatorcode bestaat uit kleine letters, cijfers en liggende streepjes."
                ),
            ),
            models.CheckConstraint(
                condition=Q(teller__isnull=True)
                | Q(eenheid__in=[Eenheid.PERCENTAGE, Eenheid.PER_1000, Eenheid.PER_100000]),
                name="indicator_afgeleid_eenheid",
                violation_error_message=_(
                    "Een afgeleide indicator is een percentage of een cijfer per 1.000 of "
                    "100.000 inwoners."
                ),
            ),
            models.CheckConstraint(
                condition=Q(noemer__isnull=True) | Q(teller__isnull=False),
                name="indicator_noemer_vraagt_teller",
                violation_error_message=_("Een indicator met een noemer heeft ook een teller."),
            ),
            models.CheckConstraint(
                condition=Q(teller__isnull=True)
                | ~Q(eenheid=Eenheid.PERCENTAGE)
                | Q(noemer__isnull=False),
                name="indicator_afgeleid_percentage_noemer",
                violation_error_message=_("Een afgeleid percentage heeft een noemer."),
            ),
            models.CheckConstraint(
                condition=Q(noemer__isnull=True)
                | ~Q(eenheid__in=[Eenheid.PER_1000, Eenheid.PER_100000]),
                name="indicator_per_inwoners_zonder_noemer",
                violation_error_message=_(
                    "Bij een cijfer per 1.000 of 100.000 inwoners is het inwonertal de noemer; "
                    "laat de noemer leeg."
                ),
            ),
            models.CheckConstraint(
                condition=Q(geheimhouding_afronding__gte=1),
                name="indicator_afronding_minstens_een",
                violation_error_message=_(
                    "Afronden gebeurt op een veelvoud van ten minste 1 (1: niet afronden)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(norm_operator="", norm_waarde__isnull=True)
                | (~Q(norm_operator="") & Q(norm_waarde__isnull=False)),
                name="indicator_norm_volledig",
                violation_error_message=_(
                    "Een norm heeft zowel een soort (ten minste / ten hoogste) als een waarde."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.naam

    @property
    def is_afgeleid(self) -> bool:
        return self.teller_id is not None

    @property
    def per_inwoners(self) -> bool:
        return self.is_afgeleid and self.eenheid in PER_INWONERS

    @property
    def factor(self) -> Decimal:
        return EENHEID_FACTOR[self.eenheid]

    def clean(self) -> None:
        fouten = {}
        for veld in ("teller", "noemer"):
            gekoppeld = getattr(self, veld)
            if gekoppeld is None:
                continue
            if gekoppeld.pk == self.pk:
                fouten[veld] = _("Een indicator kan niet zijn eigen %(veld)s zijn.") % {
                    "veld": veld
                }
            elif gekoppeld.teller_id is not None:
                fouten[veld] = _(
                    "%(indicator)s is zelf afgeleid; kies een indicator die gemeten wordt."
                ) % {"indicator": gekoppeld.naam}
        if fouten:
            raise ValidationError(fouten)

    def norm_gehaald(self, waarde: Decimal | None) -> bool | None:
        """Whether the value meets the norm; None when there is no norm or no value."""
        if self.norm_waarde is None or waarde is None:
            return None
        if self.norm_operator == NormOperator.MINIMAAL:
            return waarde >= self.norm_waarde
        return waarde <= self.norm_waarde

    def waarde_fout(self, waarde: Decimal | None) -> str | None:
        """The Dutch reason why a value cannot be stored for this indicator, or None."""
        if self.is_afgeleid:
            return _(
                "%(indicator)s wordt berekend uit %(teller)s en kan niet worden ingevoerd."
            ) % {"indicator": self.naam, "teller": self.teller.naam}
        if waarde is None:
            return None
        if not waarde.is_finite():
            return _("%(waarde)s is geen getal.") % {"waarde": waarde}
        if waarde < 0:
            return _("%(waarde)s is negatief; %(indicator)s kan niet negatief zijn.") % {
                "waarde": exact_tekst(waarde),
                "indicator": self.naam,
            }
        if self.eenheid == Eenheid.PERCENTAGE and waarde > HONDERD:
            return _("%(waarde)s is meer dan 100 procent.") % {"waarde": exact_tekst(waarde)}
        if self.eenheid == Eenheid.AANTAL and waarde != waarde.to_integral_value():
            return _("%(waarde)s is geen geheel getal; een aantal telt hele gevallen.") % {
                "waarde": exact_tekst(waarde)
            }
        return None


class Waarneming(models.Model):
    """One figure: indicator x (gemeente or regio) x periode."""

    # Indexes: the unique constraints and the (periode, indicator) index cover lookups by
    # indicator and period, so the foreign keys get no index of their own (nor the LIKE indexes
    # PostgreSQL would add for text keys): fewer indexes make an import of 100.000 figures faster.
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="waarnemingen",
        db_index=False,
    )
    gemeente = models.ForeignKey(
        Gemeente,
        verbose_name=_("gemeente"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="waarnemingen",
        db_index=False,
    )
    regio = models.ForeignKey(
        Regio,
        verbose_name=_("regio"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="waarnemingen",
        help_text=_("Alleen voor cijfers die niet per gemeente bekend zijn."),
        db_index=False,
    )
    periode = models.ForeignKey(
        Periode,
        verbose_name=_("periode"),
        on_delete=models.PROTECT,
        related_name="waarnemingen",
        db_index=False,
    )
    waarde = models.DecimalField(
        _("waarde"),
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Mag alleen leeg zijn bij een geheime waarde."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=WaarnemingStatus.choices,
        default=WaarnemingStatus.DEFINITIEF,
    )
    bron = models.CharField(_("bron"), max_length=200, blank=True)
    toelichting = models.TextField(_("toelichting"), blank=True)
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    objects = WaarnemingQuerySet.as_manager()

    class Meta:
        verbose_name = _("waarneming")
        verbose_name_plural = _("waarnemingen")
        # Raw columns: ordering by the foreign keys would join four tables on every query.
        ordering = ["indicator_id", "periode_id", "gemeente_id", "regio_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(gemeente__isnull=False, regio__isnull=True)
                | Q(gemeente__isnull=True, regio__isnull=False),
                name="waarneming_gemeente_of_regio",
                violation_error_message=_(
                    "Een waarneming hoort bij precies één gemeente of één regio."
                ),
            ),
            models.CheckConstraint(
                condition=Q(waarde__isnull=False) | Q(status=WaarnemingStatus.GEHEIM),
                name="waarneming_waarde_of_geheim",
                violation_error_message=_("Een waarde mag alleen ontbreken als zij geheim is."),
            ),
            models.CheckConstraint(
                condition=Q(waarde__isnull=True) | Q(waarde__gte=0),
                name="waarneming_niet_negatief",
                violation_error_message=_("Een waarde kan niet negatief zijn."),
            ),
            models.UniqueConstraint(
                fields=["indicator", "gemeente", "periode"],
                condition=Q(gemeente__isnull=False),
                name="waarneming_uniek_gemeente",
                violation_error_message=_(
                    "Voor deze indicator, gemeente en periode is al een waarde."
                ),
            ),
            models.UniqueConstraint(
                fields=["indicator", "regio", "periode"],
                condition=Q(regio__isnull=False),
                name="waarneming_uniek_regio",
                violation_error_message=_(
                    "Voor deze indicator, regio en periode is al een waarde."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["periode", "indicator"], name="waarneming_periode_ind"),
            models.Index(fields=["gemeente"], name="waarneming_gemeente"),
            models.Index(fields=["regio"], name="waarneming_regio"),
        ]

    def __str__(self) -> str:
        gebied = self.gemeente_id or self.regio_id
        return f"{self.indicator_id} {gebied} {self.periode_id}: {self.waarde}"

    @property
    def gebied_code(self) -> str:
        return self.gemeente_id or self.regio_id

    def clean(self) -> None:
        if self.indicator_id:
            fout = self.indicator.waarde_fout(self.waarde)
            if fout:
                raise ValidationError({"waarde": fout})
        if self.gemeente_id and self.periode_id:
            periode = PeriodeCode.parse(self.periode_id)
            if not self.gemeente.bestaat_in(periode.begindatum, periode.einddatum):
                raise ValidationError(
                    {
                        "gemeente": _("%(gemeente)s bestond niet in %(periode)s.")
                        % {"gemeente": self.gemeente.naam, "periode": periode.code}
                    }
                )


class Streefwaarde(models.Model):
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="streefwaarden",
    )
    regio = models.ForeignKey(
        Regio, verbose_name=_("regio"), on_delete=models.CASCADE, related_name="streefwaarden"
    )
    periode = models.ForeignKey(
        Periode,
        verbose_name=_("periode"),
        on_delete=models.PROTECT,
        related_name="streefwaarden",
    )
    waarde = models.DecimalField(_("streefwaarde"), max_digits=18, decimal_places=4)
    bron = models.CharField(_("bron"), max_length=300, blank=True)
    toelichting = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("streefwaarde")
        verbose_name_plural = _("streefwaarden")
        ordering = ["regio", "indicator", "periode"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "regio", "periode"],
                name="streefwaarde_uniek",
                violation_error_message=_(
                    "Voor deze indicator, regio en periode is al een streefwaarde."
                ),
            ),
            models.CheckConstraint(
                condition=Q(waarde__gte=0),
                name="streefwaarde_niet_negatief",
                violation_error_message=_("Een streefwaarde kan niet negatief zijn."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.naam} {self.regio.naam} {self.periode_id}: {self.waarde}"

    def clean(self) -> None:
        if (
            self.indicator_id
            and self.indicator.eenheid == Eenheid.PERCENTAGE
            and self.waarde is not None
            and self.waarde > HONDERD
        ):
            raise ValidationError({"waarde": _("Een streefpercentage is ten hoogste 100.")})


class Gegevenslevering(WorkflowModel):
    """The figures one organisation delivers for one region and period, as one unit of
    submitting and approving (`monitoring.selectors.organisaties` says which indicators).

    An approved delivery locks its indicators' figures of that period for the region's
    municipalities (and the region's own figures); a beheerder can lift the lock with a reason.
    Its figures are released to partners and aldermen once it is approved.
    """

    regio = models.ForeignKey(
        Regio,
        verbose_name=_("regio"),
        on_delete=models.CASCADE,
        related_name="gegevensleveringen",
    )
    periode = models.ForeignKey(
        Periode,
        verbose_name=_("periode"),
        on_delete=models.PROTECT,
        related_name="gegevensleveringen",
    )
    organisatie = models.ForeignKey(
        Organisatie,
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        default=standaard_organisatie,
        related_name="gegevensleveringen",
    )
    aangemaakt_op = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    OVERGANGEN = OVERGANGEN_GEGEVENS

    class Meta:
        verbose_name = _("gegevenslevering")
        verbose_name_plural = _("gegevensleveringen")
        ordering = ["regio", "-periode_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["regio", "periode", "organisatie"],
                name="gegevenslevering_uniek_per_organisatie",
                violation_error_message=_(
                    "Voor deze regio, periode en organisatie is er al een levering."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.regio} {self.periode_id} ({self.organisatie_id})"

    @property
    def regio_voor_toegang(self) -> Regio:
        return self.regio

    @property
    def is_vergrendeld(self) -> bool:
        return self.workflow_status == WorkflowStatus.GOEDGEKEURD

    def audit_gegevens(self) -> dict:
        return {"status": self.workflow_status}


class Risicofactorwaarde(models.Model):
    """One risk factor of one municipality, as a region's analysts collected it (seed 004,
    appendix 2): the value in a reference year, its source and its direction."""

    regio = models.ForeignKey(
        Regio,
        verbose_name=_("regio"),
        on_delete=models.CASCADE,
        related_name="risicofactorwaarden",
    )
    gemeente = models.ForeignKey(
        Gemeente,
        verbose_name=_("gemeente"),
        on_delete=models.PROTECT,
        related_name="risicofactorwaarden",
    )
    factor = models.CharField(
        _("risicofactor"), max_length=200, help_text=_("Bijvoorbeeld 'Werkloosheidspercentage'.")
    )
    peiljaar = models.PositiveSmallIntegerField(_("peiljaar"))
    waarde = models.DecimalField(
        _("waarde"),
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Leeg als de waarde voor deze gemeente ontbreekt."),
    )
    richting = models.SmallIntegerField(
        _("richting"),
        choices=[(1, _("hoger is meer risico")), (-1, _("lager is meer risico"))],
        help_text=_("1: een hogere waarde betekent meer risico; -1: een lagere (WOZ-waarde)."),
    )
    bron = models.CharField(
        _("bron"), max_length=100, blank=True, help_text=_("Bijvoorbeeld CBS StatLine, GGD.")
    )
    gewijzigd_op = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("waarde van een risicofactor")
        verbose_name_plural = _("waarden van risicofactoren")
        ordering = ["regio", "factor", "gemeente_id", "-peiljaar"]
        constraints = [
            models.UniqueConstraint(
                fields=["regio", "gemeente", "factor", "peiljaar"],
                name="risicofactor_uniek",
                violation_error_message=_(
                    "Deze gemeente heeft voor deze risicofactor en dit peiljaar al een waarde."
                ),
            ),
            models.CheckConstraint(
                condition=Q(richting__in=[1, -1]),
                name="risicofactor_richting",
                violation_error_message=_("De richting is 1 of -1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.factor} {self.gemeente_id} {self.peiljaar}: {self.waarde}"


class CbsKoppeling(models.Model):
    """Which indicator a measure (onderwerp) of a CBS StatLine table fills: data, not code, so
    a renamed or added CBS measure is fixed here without a release. The title is the check:
    when CBS publishes the key under another title, the import stops and names both.

    A measure without an indicator is known and deliberately not imported. OData v4 names a
    measure by another key (an identifier such as M001234) than v3 does; each gets its row."""

    tabel = models.CharField(
        _("CBS-tabel"),
        max_length=12,
        validators=[
            RegexValidator(r"^[0-9]{5}[A-Z]{3}$", _("Een CBS-tabelnummer, zoals 84847NED."))
        ],
    )
    meting = models.CharField(
        _("sleutel van het onderwerp"),
        max_length=100,
        help_text=_("De sleutel zoals CBS die in de OData publiceert, bijvoorbeeld Meldingen_2."),
    )
    titel = models.CharField(
        _("titel bij CBS"),
        max_length=200,
        help_text=_("De titel van het onderwerp bij CBS; wijkt die af, dan stopt de import."),
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cbs_koppelingen",
        help_text=_("Leeg: dit onderwerp wordt bewust niet ingelezen."),
    )
    toelichting = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("CBS-koppeling")
        verbose_name_plural = _("CBS-koppelingen")
        ordering = ["tabel", "meting"]
        constraints = [
            models.UniqueConstraint(fields=["tabel", "meting"], name="cbs_koppeling_uniek"),
        ]

    def __str__(self) -> str:
        doel = self.indicator_id or _("niet inlezen")
        return f"{self.tabel} {self.meting} → {doel}"


from monitoring.ledensommen import Ledensom, Sommenversie, Somstand  # noqa: E402, F401
