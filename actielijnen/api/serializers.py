"""Regional approaches with their action lines and projects, and approved progress updates."""

from rest_framework import serializers

from actielijnen.models import (
    Actielijn,
    Mijlpaal,
    MijlpaalStand,
    Project,
    Regioaanpak,
    Voortgangsupdate,
)
from monitoring.api.serializers import ExactGetal


class MijlpaalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Mijlpaal
        fields = ["id", "titel", "omschrijving", "geplande_datum", "behaald_op"]


class ProjectSerializer(serializers.ModelSerializer):
    gemeenten = serializers.SerializerMethodField(
        help_text="CBS-codes; leeg als het project voor de hele regio geldt."
    )
    begroting = ExactGetal(allow_null=True)
    mijlpalen = MijlpaalSerializer(many=True, read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "titel",
            "omschrijving",
            "trekker",
            "gemeenten",
            "startdatum",
            "einddatum",
            "begroting",
            "financieringsbron",
            "bron",
            "mijlpalen",
        ]

    def get_gemeenten(self, project) -> list[str]:
        return sorted(g.cbs_code for g in project.gemeenten.all())


class ActielijnSerializer(serializers.ModelSerializer):
    projecten = ProjectSerializer(many=True, read_only=True)

    class Meta:
        model = Actielijn
        fields = ["nummer", "titel", "beoogd_effect", "omschrijving", "projecten"]


class RegioaanpakSerializer(serializers.ModelSerializer):
    regio = serializers.CharField(source="regio_id")
    actielijnen = ActielijnSerializer(many=True, read_only=True)

    class Meta:
        model = Regioaanpak
        fields = [
            "id",
            "regio",
            "titel",
            "looptijd_van",
            "looptijd_tot",
            "vastgesteld_op",
            "omschrijving",
            "bron",
            "actielijnen",
        ]


class MijlpaalStandSerializer(serializers.ModelSerializer):
    mijlpaal = serializers.IntegerField(source="mijlpaal_id")
    titel = serializers.CharField(source="mijlpaal.titel")

    class Meta:
        model = MijlpaalStand
        fields = ["mijlpaal", "titel", "stand", "toelichting"]


class VoortgangSerializer(serializers.ModelSerializer):
    project = serializers.IntegerField(source="project_id")
    project_titel = serializers.CharField(source="project.titel")
    actielijn = serializers.IntegerField(source="project.actielijn.nummer")
    regio = serializers.CharField(source="project.actielijn.regioaanpak.regio_id")
    periode = serializers.CharField(source="periode_id")
    uitgaven_tm_kwartaal = ExactGetal(allow_null=True)
    goedgekeurd_op = serializers.DateTimeField(source="beoordeeld_op", allow_null=True)
    mijlpalen = MijlpaalStandSerializer(source="mijlpaalstanden", many=True, read_only=True)

    class Meta:
        model = Voortgangsupdate
        fields = [
            "id",
            "project",
            "project_titel",
            "actielijn",
            "regio",
            "periode",
            "status",
            "toelichting",
            "resultaten",
            "knelpunten",
            "volgende_stappen",
            "uitgaven_tm_kwartaal",
            "fase",
            "fase_toelichting",
            "goedgekeurd_op",
            "mijlpalen",
        ]
