"""Filters of the core lists; wrong values get Dutch messages naming the parameter."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from regioaanpak.choices import PeriodeSoort, RegioSoort
from regioaanpak.models import Gemeente, Periode, Regio
from regioaanpak.perioden import OngeldigePeriode, PeriodeCode


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
    jaar = django_filters.NumberFilter(label=_("jaar"))
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
