from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from rapportage.models import Rapport


class RapportSerializer(serializers.ModelSerializer):
    regio = serializers.CharField(source="regio_id")
    periode = serializers.CharField(source="periode_id")
    gepubliceerd_door = serializers.SerializerMethodField()
    pdf = serializers.SerializerMethodField(help_text="Adres van de PDF (met hetzelfde token).")

    class Meta:
        model = Rapport
        fields = [
            "id",
            "regio",
            "periode",
            "soort",
            "versie",
            "reden",
            "gepubliceerd_op",
            "gepubliceerd_door",
            "sha256",
            "pdf",
        ]

    def get_gepubliceerd_door(self, rapport) -> str:
        persoon = rapport.gepubliceerd_door
        return (persoon.get_full_name() or persoon.get_username()) if persoon else ""

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_pdf(self, rapport):
        if not rapport.pdf:
            return None
        return reverse("api:rapport-pdf", args=[rapport.pk], request=self.context.get("request"))
