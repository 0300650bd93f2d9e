"""Regions, municipalities (with membership over time and population) and periods."""

from rest_framework import serializers

from regioaanpak.models import Gemeente, Inwonertal, Lidmaatschap, Periode, Regio


class LidVanSerializer(serializers.ModelSerializer):
    regio = serializers.CharField(source="regio_id", help_text="Code van de regio.")

    class Meta:
        model = Lidmaatschap
        fields = ["regio", "geldig_van", "geldig_tot"]


class LidSerializer(serializers.ModelSerializer):
    gemeente = serializers.CharField(source="gemeente_id", help_text="CBS-code van de gemeente.")

    class Meta:
        model = Lidmaatschap
        fields = ["gemeente", "geldig_van", "geldig_tot"]


class InwonertalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Inwonertal
        fields = ["jaar", "aantal"]


class RegioSerializer(serializers.ModelSerializer):
    centrumgemeente = serializers.CharField(
        source="centrumgemeente_id", allow_null=True, help_text="CBS-code van de centrumgemeente."
    )
    bovenliggende = serializers.CharField(
        source="bovenliggende_id", allow_null=True, help_text="Code van de bovenliggende regio."
    )
    lidmaatschappen = LidSerializer(many=True, read_only=True)

    class Meta:
        model = Regio
        fields = [
            "code",
            "naam",
            "soort",
            "cbs_code",
            "centrumgemeente",
            "bovenliggende",
            "lidmaatschappen",
        ]


class GemeenteSerializer(serializers.ModelSerializer):
    opgevolgd_door = serializers.CharField(
        source="opgevolgd_door_id",
        allow_null=True,
        help_text="CBS-code van de gemeente waarin deze is opgegaan.",
    )
    voorgangers = serializers.SerializerMethodField(
        help_text="CBS-codes van de gemeenten die in deze gemeente zijn opgegaan."
    )
    lidmaatschappen = LidVanSerializer(many=True, read_only=True)
    inwonertallen = InwonertalSerializer(many=True, read_only=True)

    class Meta:
        model = Gemeente
        fields = [
            "cbs_code",
            "naam",
            "geldig_van",
            "geldig_tot",
            "opgevolgd_door",
            "voorgangers",
            "lidmaatschappen",
            "inwonertallen",
        ]

    def get_voorgangers(self, gemeente) -> list[str]:
        return sorted(v.cbs_code for v in gemeente.voorgangers.all())


class PeriodeSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text="Bijvoorbeeld '2e kwartaal 2021'.")

    class Meta:
        model = Periode
        fields = ["code", "soort", "jaar", "nummer", "begindatum", "einddatum", "label"]
