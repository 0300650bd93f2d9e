from django.contrib import admin

from actielijnen.models import (
    Actielijn,
    Begrotingspost,
    Mijlpaal,
    MijlpaalStand,
    PlanningFase,
    Project,
    Regioaanpak,
    Voortgangsupdate,
)
from regioaanpak.beheer import AlleenLezen, AlleenLezenInline, RegioBeheer


class ActielijnInline(admin.TabularInline):
    model = Actielijn
    extra = 0
    fields = ["nummer", "titel"]
    show_change_link = True


class BegrotingspostInline(admin.TabularInline):
    model = Begrotingspost
    extra = 0
    fields = ["soort", "omschrijving", "bedrag", "financieringsbron", "van_jaar", "tot_jaar"]


class ProjectInline(admin.TabularInline):
    model = Project
    extra = 0
    fields = ["titel", "trekker", "startdatum", "einddatum", "begroting", "financieringsbron"]
    show_change_link = True


class MijlpaalInline(admin.TabularInline):
    model = Mijlpaal
    extra = 0


class PlanningFaseInline(admin.TabularInline):
    model = PlanningFase
    extra = 0
    autocomplete_fields = ["periode"]


@admin.register(Regioaanpak)
class RegioaanpakAdmin(RegioBeheer, admin.ModelAdmin):
    list_display = ["titel", "regio", "looptijd_van", "looptijd_tot", "vastgesteld_op"]
    list_filter = ["regio"]
    search_fields = ["titel", "regio__naam", "omschrijving"]
    autocomplete_fields = ["regio"]
    inlines = [ActielijnInline, BegrotingspostInline]


@admin.register(Actielijn)
class ActielijnAdmin(RegioBeheer, admin.ModelAdmin):
    regio_pad = "regioaanpak__regio"

    list_display = ["nummer", "titel", "regioaanpak"]
    list_filter = ["regioaanpak__regio", "regioaanpak"]
    search_fields = ["titel", "beoogd_effect", "regioaanpak__titel"]
    inlines = [ProjectInline]


@admin.register(Project)
class ProjectAdmin(RegioBeheer, admin.ModelAdmin):
    regio_pad = "actielijn__regioaanpak__regio"

    list_display = [
        "titel",
        "actielijn",
        "trekker",
        "projectleider",
        "startdatum",
        "einddatum",
        "begroting",
        "financieringsbron",
    ]
    list_filter = ["actielijn__regioaanpak__regio", "financieringsbron"]
    search_fields = ["titel", "omschrijving", "trekker", "actielijn__titel"]
    autocomplete_fields = ["gemeenten", "projectleider"]
    list_select_related = ["actielijn", "projectleider"]
    inlines = [MijlpaalInline, PlanningFaseInline]


@admin.register(Mijlpaal)
class MijlpaalAdmin(RegioBeheer, admin.ModelAdmin):
    regio_pad = "project__actielijn__regioaanpak__regio"

    list_display = ["titel", "project", "geplande_datum", "behaald_op"]
    list_filter = ["project__actielijn__regioaanpak__regio"]
    search_fields = ["titel", "project__titel"]


@admin.register(PlanningFase)
class PlanningFaseAdmin(RegioBeheer, admin.ModelAdmin):
    regio_pad = "project__actielijn__regioaanpak__regio"

    list_display = ["project", "periode", "fase", "omschrijving"]
    list_filter = ["fase", "project__actielijn__regioaanpak__regio"]
    search_fields = ["project__titel", "omschrijving"]
    autocomplete_fields = ["project", "periode"]


@admin.register(Begrotingspost)
class BegrotingspostAdmin(RegioBeheer, admin.ModelAdmin):
    regio_pad = "regioaanpak__regio"

    list_display = [
        "omschrijving",
        "regioaanpak",
        "soort",
        "bedrag",
        "financieringsbron",
        "van_jaar",
        "tot_jaar",
    ]
    list_filter = ["soort", "financieringsbron", "regioaanpak__regio"]
    search_fields = ["omschrijving", "toelichting", "regioaanpak__titel"]
    autocomplete_fields = ["regioaanpak", "project"]


class MijlpaalStandInline(AlleenLezenInline):
    model = MijlpaalStand
    fields = ["mijlpaal", "stand", "toelichting"]
    readonly_fields = fields


@admin.register(Voortgangsupdate)
class VoortgangsupdateAdmin(AlleenLezen, RegioBeheer, admin.ModelAdmin):
    """Read-only: an update changes only on its page, through the service with its version
    check, the workflow (lock of approved updates, four eyes) and the audit log."""

    regio_pad = "project__actielijn__regioaanpak__regio"
    list_display = [
        "project",
        "periode",
        "status",
        "workflow_status",
        "versie",
        "ingediend_door",
        "gewijzigd_op",
    ]
    list_filter = ["workflow_status", "status", "periode", "project__actielijn__regioaanpak__regio"]
    search_fields = ["project__titel", "toelichting", "resultaten", "knelpunten"]
    list_select_related = ["project", "periode", "ingediend_door"]
    fieldsets = [
        (None, {"fields": ["project", "periode"]}),
        (
            "Voortgang",
            {
                "fields": [
                    "status",
                    "toelichting",
                    "resultaten",
                    "knelpunten",
                    "volgende_stappen",
                    "uitgaven_tm_kwartaal",
                    "fase",
                    "fase_toelichting",
                ]
            },
        ),
        (
            "Workflow",
            {
                "fields": [
                    "workflow_status",
                    "versie",
                    "reden",
                    ("ingediend_door", "ingediend_op"),
                    ("beoordeeld_door", "beoordeeld_op"),
                    ("aangemaakt_op", "gewijzigd_op"),
                ]
            },
        ),
    ]
    inlines = [MijlpaalStandInline]
