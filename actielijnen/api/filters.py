import django_filters
from django.utils.translation import gettext_lazy as _

from actielijnen.models import Regioaanpak, Voortgangsupdate
from regioaanpak.api.filters import GeheelFilter
from regioaanpak.models import Periode, Regio


class RegioaanpakFilter(django_filters.FilterSet):
    regio = django_filters.ModelChoiceFilter(queryset=Regio.objects.all(), label=_("regio (code)"))

    class Meta:
        model = Regioaanpak
        fields = ["regio"]


class VoortgangFilter(django_filters.FilterSet):
    regio = django_filters.ModelChoiceFilter(
        queryset=Regio.objects.all(),
        field_name="project__actielijn__regioaanpak__regio",
        label=_("regio (code)"),
    )
    project = GeheelFilter(field_name="project_id", label=_("project (id)"))
    periode = django_filters.ModelChoiceFilter(
        queryset=Periode.objects.all(), label=_("kwartaal (CBS-code, zoals 2021KW01)")
    )

    class Meta:
        model = Voortgangsupdate
        fields = ["regio", "project", "periode"]
