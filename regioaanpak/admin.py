from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from regioaanpak.models import Gemeente, Inwonertal, Lidmaatschap, Periode, Regio, Rol


class InwonertalInline(admin.TabularInline):
    model = Inwonertal
    extra = 0


class LidmaatschapInline(admin.TabularInline):
    model = Lidmaatschap
    extra = 0
    autocomplete_fields = ["gemeente"]


@admin.register(Gemeente)
class GemeenteAdmin(admin.ModelAdmin):
    list_display = ["cbs_code", "naam", "geldig_van", "geldig_tot", "opgevolgd_door"]
    search_fields = ["cbs_code", "naam"]
    list_filter = [
        ("geldig_tot", admin.EmptyFieldListFilter),
        ("opgevolgd_door", admin.EmptyFieldListFilter),
    ]
    autocomplete_fields = ["opgevolgd_door"]
    inlines = [InwonertalInline]


@admin.register(Inwonertal)
class InwonertalAdmin(admin.ModelAdmin):
    list_display = ["gemeente", "jaar", "aantal", "bron"]
    list_filter = ["jaar"]
    search_fields = ["gemeente__naam", "gemeente__cbs_code"]
    autocomplete_fields = ["gemeente"]


@admin.register(Regio)
class RegioAdmin(admin.ModelAdmin):
    list_display = ["code", "naam", "soort", "cbs_code", "centrumgemeente", "bovenliggende"]
    list_filter = ["soort"]
    search_fields = ["code", "naam", "cbs_code"]
    autocomplete_fields = ["centrumgemeente", "bovenliggende"]
    inlines = [LidmaatschapInline]


@admin.register(Lidmaatschap)
class LidmaatschapAdmin(admin.ModelAdmin):
    list_display = ["gemeente", "regio", "geldig_van", "geldig_tot"]
    list_filter = ["regio__soort", "regio"]
    search_fields = ["gemeente__naam", "gemeente__cbs_code", "regio__naam", "regio__code"]
    autocomplete_fields = ["gemeente", "regio"]


@admin.register(Periode)
class PeriodeAdmin(admin.ModelAdmin):
    list_display = ["code", "soort", "jaar", "begindatum", "einddatum"]
    list_filter = ["soort", "jaar"]
    search_fields = ["code"]
    readonly_fields = ["soort", "jaar", "nummer", "begindatum", "einddatum"]


@admin.register(Rol)
class RolAdmin(admin.ModelAdmin):
    list_display = ["gebruiker", "rol", "regio", "gemeente"]
    list_filter = ["rol", "regio"]
    search_fields = ["gebruiker__username", "gebruiker__email", "regio__naam", "gemeente__naam"]
    autocomplete_fields = ["gebruiker", "regio", "gemeente"]

    @admin.display(description=_("gebruiker"))
    def gebruiker_naam(self, obj):
        return obj.gebruiker.get_full_name() or obj.gebruiker.username
