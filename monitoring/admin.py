from django.contrib import admin

from monitoring.models import Indicator, Streefwaarde, Waarneming


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "naam", "eenheid", "bron", "aggregatie", "richting", "teller", "noemer"]
    list_filter = ["bron", "eenheid", "aggregatie", "richting"]
    search_fields = ["code", "naam", "definitie"]
    autocomplete_fields = ["teller", "noemer"]
    fieldsets = [
        (None, {"fields": ["code", "naam", "definitie", "volgorde"]}),
        ("Meting", {"fields": ["eenheid", "bron", "aggregatie", "richting"]}),
        ("Afgeleide indicator", {"fields": ["teller", "noemer"]}),
        ("Norm", {"fields": ["norm_operator", "norm_waarde", "norm_omschrijving"]}),
    ]


@admin.register(Waarneming)
class WaarnemingAdmin(admin.ModelAdmin):
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
    autocomplete_fields = ["indicator", "gemeente", "regio", "periode"]
    list_select_related = ["indicator", "gemeente", "regio", "periode"]
    readonly_fields = ["aangemaakt_op", "gewijzigd_op"]


@admin.register(Streefwaarde)
class StreefwaardeAdmin(admin.ModelAdmin):
    list_display = ["indicator", "regio", "periode", "waarde", "bron"]
    list_filter = ["regio", "indicator"]
    search_fields = ["indicator__naam", "regio__naam", "periode__code"]
    autocomplete_fields = ["indicator", "regio", "periode"]
