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
from regioaanpak.choices import AuditActie, WorkflowStatus
from regioaanpak.services import audit_schrijf


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
class RegioaanpakAdmin(admin.ModelAdmin):
    list_display = ["titel", "regio", "looptijd_van", "looptijd_tot", "vastgesteld_op"]
    list_filter = ["regio"]
    search_fields = ["titel", "regio__naam", "omschrijving"]
    autocomplete_fields = ["regio"]
    inlines = [ActielijnInline, BegrotingspostInline]


@admin.register(Actielijn)
class ActielijnAdmin(admin.ModelAdmin):
    list_display = ["nummer", "titel", "regioaanpak"]
    list_filter = ["regioaanpak__regio", "regioaanpak"]
    search_fields = ["titel", "beoogd_effect", "regioaanpak__titel"]
    inlines = [ProjectInline]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
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
class MijlpaalAdmin(admin.ModelAdmin):
    list_display = ["titel", "project", "geplande_datum", "behaald_op"]
    list_filter = ["project__actielijn__regioaanpak__regio"]
    search_fields = ["titel", "project__titel"]


@admin.register(PlanningFase)
class PlanningFaseAdmin(admin.ModelAdmin):
    list_display = ["project", "periode", "fase", "omschrijving"]
    list_filter = ["fase", "project__actielijn__regioaanpak__regio"]
    search_fields = ["project__titel", "omschrijving"]
    autocomplete_fields = ["project", "periode"]


@admin.register(Begrotingspost)
class BegrotingspostAdmin(admin.ModelAdmin):
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


class MijlpaalStandInline(admin.TabularInline):
    model = MijlpaalStand
    extra = 0
    fields = ["mijlpaal", "stand", "toelichting"]
    autocomplete_fields = ["mijlpaal"]


@admin.register(Voortgangsupdate)
class VoortgangsupdateAdmin(admin.ModelAdmin):
    """For looking up and correcting; the workflow fields change only through the pages."""

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
    autocomplete_fields = ["project", "periode"]
    list_select_related = ["project", "periode", "ingediend_door"]
    readonly_fields = [
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

    def has_change_permission(self, request, obj=None) -> bool:
        # Approved updates are locked, here as on the pages.
        if obj is not None and obj.workflow_status == WorkflowStatus.GOEDGEKEURD:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        # A correction in the admin is a new version (so an open form notices it) and is
        # written to the audit log like any other change.
        voor = Voortgangsupdate.objects.get(pk=obj.pk).audit_gegevens() if change else None
        if change:
            obj.versie += 1
        super().save_model(request, obj, form, change)
        na = obj.audit_gegevens()
        if voor is not None:
            gewijzigd = {veld for veld in na if voor[veld] != na[veld]}
            voor = {veld: voor[veld] for veld in gewijzigd}
            na = {veld: na[veld] for veld in gewijzigd}
            if not gewijzigd:
                return
        audit_schrijf(
            gebruiker=request.user,
            obj=obj,
            regio=obj.regio_voor_toegang,
            actie=AuditActie.GEWIJZIGD if change else AuditActie.AANGEMAAKT,
            voor=voor,
            na=na,
            omschrijving=f"{obj} (in beheer)",
        )
