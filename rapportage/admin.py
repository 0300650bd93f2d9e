from django.contrib import admin

from rapportage.models import Rapport
from regioaanpak.beheer import AlleenLezen, RegioBeheer


@admin.register(Rapport)
class RapportAdmin(AlleenLezen, RegioBeheer, admin.ModelAdmin):
    """Read-only: a published version is an immutable snapshot; a new version is published on
    the report page, with a reason. Staff see their own regions' reports."""

    list_display = ["regio", "periode", "soort", "versie", "status", "gepubliceerd_op"]
    list_filter = ["soort", "status", "regio"]
    search_fields = ["regio__naam", "periode__code", "reden"]
    exclude = ["momentopname", "momentopname_afgeschermd"]
    readonly_fields = [
        "regio",
        "periode",
        "soort",
        "versie",
        "status",
        "reden",
        "gepubliceerd_door",
        "gepubliceerd_op",
        "pdf",
        "sha256",
        "pdf_afgeschermd",
        "sha256_afgeschermd",
    ]
