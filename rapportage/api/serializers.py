from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from rapportage.choices import Editie
from rapportage.edities import toegestane_edities
from rapportage.models import Rapport
from regioaanpak.inzage import inzage


class EditieSerializer(serializers.Serializer):
    editie = serializers.ChoiceField(
        choices=Editie.choices,
        help_text="intern: ruwe cijfers, voor de eigen rollen van de regio; afgeschermd: "
        "aantallen afgerond en kleine aantallen onderdrukt, voor partners en openbaar.",
    )
    sha256 = serializers.CharField(help_text="SHA-256 van de PDF van deze editie.")
    pdf = serializers.URLField(help_text="Adres van de PDF (met hetzelfde token).")


class RapportSerializer(serializers.ModelSerializer):
    regio = serializers.CharField(source="regio_id")
    periode = serializers.CharField(source="periode_id")
    gepubliceerd_door = serializers.SerializerMethodField()
    editie = serializers.SerializerMethodField(
        help_text="De editie die u krijgt (sha256 en pdf horen erbij); leeg als er voor u geen "
        "editie is (een versie van vóór de twee edities, voor een partner)."
    )
    sha256 = serializers.SerializerMethodField(help_text="SHA-256 van de PDF van uw editie.")
    pdf = serializers.SerializerMethodField(
        help_text="Adres van de PDF van uw editie (met hetzelfde token)."
    )
    edities = serializers.SerializerMethodField(
        help_text="Alle edities van deze versie die u mag ophalen."
    )

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
            "editie",
            "sha256",
            "pdf",
            "edities",
        ]

    def _edities(self, rapport) -> list:
        request = self.context.get("request")
        beleid = inzage(request)
        return [
            e
            for naam in toegestane_edities(beleid, rapport.regio_id)
            if (e := rapport.editie(naam)) is not None and e.pdf
        ]

    def _url(self, rapport, editie) -> str:
        url = reverse("api:rapport-pdf", args=[rapport.pk], request=self.context.get("request"))
        return f"{url}?editie={editie.editie}"

    def get_gepubliceerd_door(self, rapport) -> str:
        persoon = rapport.gepubliceerd_door
        return (persoon.get_full_name() or persoon.get_username()) if persoon else ""

    @extend_schema_field({"type": "string", "enum": Editie.values, "nullable": True})
    def get_editie(self, rapport):
        edities = self._edities(rapport)
        return edities[0].editie if edities else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_sha256(self, rapport):
        edities = self._edities(rapport)
        return edities[0].sha256 if edities else None

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_pdf(self, rapport):
        edities = self._edities(rapport)
        return self._url(rapport, edities[0]) if edities else None

    @extend_schema_field(EditieSerializer(many=True))
    def get_edities(self, rapport) -> list[dict]:
        return [
            {"editie": e.editie, "sha256": e.sha256, "pdf": self._url(rapport, e)}
            for e in self._edities(rapport)
        ]
