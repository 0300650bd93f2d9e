from django import forms
from django.contrib import admin
from django.db.models import Q

from monitoring.models import (
    CbsKoppeling,
    Gegevenslevering,
    Indicator,
    Risicofactorwaarde,
    Streefwaarde,
    Waarneming,
)
from monitoring.selectors.organisaties import dubbel_geleverd
from regioaanpak.beheer import AlleenLezen, Referentiegegevens, RegioBeheer


class IndicatorFormulier(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["organisaties"]  # the admin's fieldsets name the rest

    def clean(self):
        schoon = super().clean()
        if "organisaties" in schoon and self.instance.code:
            for fout in dubbel_geleverd(
                indicator=self.instance.code,
                organisaties=[o.code for o in schoon["organisaties"]],
            ):
                self.add_error("organisaties", fout)
        return schoon


@admin.register(Indicator)
class IndicatorAdmin(Referentiegegevens, admin.ModelAdmin):
    """The national catalogue: its disclosure settings hold for every region, so only a
    superuser changes it."""

    form = IndicatorFormulier
    list_display = ["code", "naam", "eenheid", "bron", "aggregatie", "richting", "teller", "noemer"]
    list_filter = ["bron", "eenheid", "aggregatie", "richting"]
    search_fields = ["code", "naam", "definitie"]
    autocomplete_fields = ["teller", "noemer"]
    filter_horizontal = ["organisaties"]
    fieldsets = [
        (None, {"fields": ["code", "naam", "definitie", "volgorde"]}),
        ("Meting", {"fields": ["eenheid", "bron", "aggregatie", "richting", "frequentie"]}),
        ("Aanlevering", {"fields": ["organisaties"]}),
        ("Afgeleide indicator", {"fields": ["teller", "noemer"]}),
        ("Norm", {"fields": ["norm_operator", "norm_waarde", "norm_omschrijving"]}),
        (
            "Geheimhouding voor partners (API)",
            {"fields": ["geheimhouding_drempel", "geheimhouding_afronding"]},
        ),
    ]


@admin.register(Waarneming)
class WaarnemingAdmin(AlleenLezen, RegioBeheer, admin.ModelAdmin):
    """Read-only: figures change only through the grid, the upload, the import and the API,
    which check the lock and write the audit log. Staff see their own regions' figures."""

    list_display = ["indicator", "gemeente", "regio", "periode", "waarde", "status", "bron"]
    list_filter = ["status", "indicator__bron", "periode__soort", "periode__jaar", "indicator"]
    search_fields = [
        "indicator__code",
        "indicator__naam",
        "gemeente__naam",
        "gemeente__cbs_code",
        "regio__naam",
        "regio__code",
        "periode__code",
    ]
    list_select_related = ["indicator", "gemeente", "regio", "periode"]
    readonly_fields = ["aangemaakt_op", "gewijzigd_op"]

    def get_queryset(self, request):
        # The admin is one of the reads that serve the policy's own purpose: staff of the
        # region looking up a figure (scoped to their regions by RegioBeheer).
        return super().get_queryset(request).ongefilterd("beheer: opzoeken door de beheerder")

    def regio_filter(self, regios):
        return Q(regio__in=sorted(regios)) | Q(gemeente__lidmaatschappen__regio__in=sorted(regios))


@admin.register(Streefwaarde)
class StreefwaardeAdmin(RegioBeheer, admin.ModelAdmin):
    list_display = ["indicator", "regio", "periode", "waarde", "bron"]
    list_filter = ["regio", "indicator"]
    search_fields = ["indicator__naam", "regio__naam", "periode__code"]
    autocomplete_fields = ["indicator", "regio", "periode"]


@admin.register(Gegevenslevering)
class GegevensleveringAdmin(AlleenLezen, RegioBeheer, admin.ModelAdmin):
    """Read-only: a delivery changes only through the workflow (submit, approve, unlock) and the
    figures pages, so every change has an audit entry."""

    list_display = [
        "regio",
        "periode",
        "organisatie",
        "workflow_status",
        "versie",
        "ingediend_door",
        "ingediend_op",
        "beoordeeld_door",
        "beoordeeld_op",
    ]
    list_filter = ["workflow_status", "organisatie", "regio", "periode__soort", "periode__jaar"]
    search_fields = ["regio__naam", "regio__code", "periode__code"]
    list_select_related = ["regio", "periode", "organisatie", "ingediend_door", "beoordeeld_door"]
    readonly_fields = [
        "regio",
        "periode",
        "organisatie",
        "workflow_status",
        "versie",
        "reden",
        "ingediend_door",
        "ingediend_op",
        "beoordeeld_door",
        "beoordeeld_op",
        "aangemaakt_op",
        "gewijzigd_op",
    ]


@admin.register(Risicofactorwaarde)
class RisicofactorwaardeAdmin(AlleenLezen, RegioBeheer, admin.ModelAdmin):
    """Read-only: risk factors change through the upload on the risk profile page or
    `importeer_risicofactoren`, all or nothing and with an audit entry."""

    list_display = ["regio", "gemeente", "factor", "peiljaar", "waarde", "richting", "bron"]
    list_filter = ["regio", "peiljaar", "richting", "bron"]
    search_fields = ["factor", "gemeente__naam", "gemeente__cbs_code"]
    list_select_related = ["regio", "gemeente"]


@admin.register(CbsKoppeling)
class CbsKoppelingAdmin(Referentiegegevens, admin.ModelAdmin):
    """How CBS StatLine's measures map to indicators (manage.py importeer_cbs): national
    reference data, changed by a superuser when CBS renames or adds a measure."""

    list_display = ["tabel", "meting", "titel", "indicator"]
    list_filter = ["tabel"]
    search_fields = ["tabel", "meting", "titel", "indicator__code"]
    autocomplete_fields = ["indicator"]
