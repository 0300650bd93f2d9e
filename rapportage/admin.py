from django.contrib import admin

from rapportage.models import Rapport


@admin.register(Rapport)
class RapportAdmin(admin.ModelAdmin):
    list_display = ["regio", "periode", "soort", "versie", "status", "gepubliceerd_op"]
    list_filter = ["soort", "status", "regio"]
    search_fields = ["regio__naam", "periode__code", "reden"]
    readonly_fields = ["sha256", "gepubliceerd_op", "gepubliceerd_door", "momentopname"]
