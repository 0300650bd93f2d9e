"""Filters of the core lists; wrong values get Dutch messages naming the parameter."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from regioaanpak.choices import PeriodeSoort, RegioSoort
from regioaanpak.models import Gemeente, Periode, Regio
from regioaanpak.perioden import JAAR_MAX, JAAR_MIN, OngeldigePeriode, PeriodeCode

MAX_ID = 2**31 - 1


class GeheelFilter(django_filters.NumberFilter):
    """A whole number within bounds (an id, a year): 1.5 or 1e217 is a Dutch 400 naming the
    parameter, never a number the database cannot hold (a 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args, min_value: int = 1, max_value: int = MAX_ID, **kwargs):
        super().__init__(*args, min_value=min_value, max_value=max_value, **kwargs)


class RegioFilter(django_filters.FilterSet):
    soort = django_filters.ChoiceFilter(choices=RegioSoort.choices, label=_("soort regio"))
    gemeente = django_filters.ModelChoiceFilter(
        queryset=Gemeente.objects.all(),
        field_name="lidmaatschappen__gemeente",
        distinct=True,
        label=_("regio's waarvan deze gemeente (CBS-code) lid is of was"),
    )

    class Meta:
        model = Regio
        fields = ["soort", "gemeente"]


class GemeenteFilter(django_filters.FilterSet):
    regio = django_filters.ModelChoiceFilter(
        queryset=Regio.objects.all(),
        field_name="lidmaatschappen__regio",
        distinct=True,
        label=_("gemeenten die lid zijn of waren van deze regio (code)"),
    )
    peildatum = django_filters.DateFilter(
        method="filter_peildatum", label=_("alleen gemeenten die op deze datum bestonden")
    )
    naam = django_filters.CharFilter(lookup_expr="icontains", label=_("naam bevat"))

    class Meta:
        model = Gemeente
        fields = ["regio", "peildatum", "naam"]

    def filter_peildatum(self, queryset, name, value):
        return queryset.bestaand_in(value, value)

    def filter(self, qs, value):
        return qs if not value else super().filter(qs, value)


class PeriodeFilter(django_filters.FilterSet):
    soort = django_filters.ChoiceFilter(choices=PeriodeSoort.choices, label=_("soort periode"))
    jaar = GeheelFilter(label=_("jaar"), min_value=JAAR_MIN, max_value=JAAR_MAX)
    van = django_filters.CharFilter(method="filter_van", label=_("vanaf periode (CBS-code)"))
    tot = django_filters.CharFilter(method="filter_tot", label=_("tot en met periode (CBS-code)"))

    class Meta:
        model = Periode
        fields = ["soort", "jaar", "van", "tot"]

    def _periode(self, naam: str, waarde: str) -> PeriodeCode:
        try:
            return PeriodeCode.invoer(waarde)
        except OngeldigePeriode as exc:
            from rest_framework.exceptions import ValidationError

            raise ValidationError({naam: exc.messages}) from None

    def filter_van(self, queryset, name, value):
        return queryset.filter(begindatum__gte=self._periode(name, value).begindatum)

    def filter_tot(self, queryset, name, value):
        return queryset.filter(einddatum__lte=self._periode(name, value).einddatum)
