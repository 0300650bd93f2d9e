from django.contrib import admin

from actielijnen.models import (
    Actielijn,
    Begrotingspost,
    Effectindicator,
    Effectoordeel,
    Impact,
    Mijlpaal,
    MijlpaalStand,
    PlanningFase,
    Project,
    Regioaanpak,
    StrategischDoel,
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


# -- the goal tree (doelbereik) ----------------------------------------------------------------
class StrategischDoelInline(admin.StackedInline):
    model = StrategischDoel
    extra = 0
    fields = ["nummer", "titel", "omschrijving", "actielijnen"]
    filter_horizontal = ["actielijnen"]
    show_change_link = True


@admin.register(Impact)
class ImpactAdmin(RegioBeheer, admin.ModelAdmin):
    regio_pad = "regioaanpak__regio"

    list_display = ["nummer", "titel", "regioaanpak"]
    list_filter = ["regioaanpak__regio"]
    search_fields = ["titel", "regioaanpak__titel"]
    inlines = [StrategischDoelInline]


class EffectindicatorInline(admin.StackedInline):
    model = Effectindicator
    fk_name = "doel"
    extra = 0
    autocomplete_fields = ["indicator", "nulmeting_periode", "streef_periode"]


@admin.register(StrategischDoel)
class StrategischDoelAdmin(RegioBeheer, admin.ModelAdmin):
    regio_pad = "impact__regioaanpak__regio"

    list_display = ["nummer", "titel", "impact"]
    list_filter = ["impact__regioaanpak__regio"]
    search_fields = ["titel", "omschrijving"]
    filter_horizontal = ["actielijnen"]
    inlines = [EffectindicatorInline]


@admin.register(Effectindicator)
class EffectindicatorAdmin(RegioBeheer, admin.ModelAdmin):
    regio_pad = "doel__impact__regioaanpak__regio"

    def regio_filter(self, regios):
        from django.db.models import Q

        return Q(doel__impact__regioaanpak__regio__in=sorted(regios)) | Q(
            actielijn__regioaanpak__regio__in=sorted(regios)
        )

    list_display = ["beoogd_effect", "indicator", "doel", "actielijn", "drempel", "richting"]
    list_filter = ["richting"]
    search_fields = ["beoogd_effect", "indicator__naam"]
    autocomplete_fields = ["indicator", "nulmeting_periode", "streef_periode"]


@admin.register(Effectoordeel)
class EffectoordeelAdmin(AlleenLezen, RegioBeheer, admin.ModelAdmin):
    """Read-only: a judgement changes on the doelbereik page, through the workflow (four eyes)
    and the audit log."""

    regio_pad = "doel__impact__regioaanpak__regio"
    list_display = ["jaar", "doel", "oordeel", "workflow_status"]
    list_filter = ["oordeel", "workflow_status"]
