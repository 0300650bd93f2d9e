"""/api/v1/regioaanpakken/{id}/doelbereik/: the goal tree with the state of every effect, as the
doelbereik page and the dashboard show it (the same selector, the same viewer policy)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from actielijnen.doelbereik import Doelbereik
from monitoring.api.serializers import ExactGetal


@extend_schema_field(OpenApiTypes.NUMBER)
class Getal(ExactGetal):
    pass


class CijferSerializer(serializers.Serializer):
    periode = serializers.CharField()
    waarde = Getal(allow_null=True)
    status = serializers.CharField(allow_null=True)
    geheimhouding = serializers.CharField(allow_null=True)


class EffectSerializer(serializers.Serializer):
    beoogd_effect = serializers.CharField()
    indicator = serializers.CharField()
    richting = serializers.CharField()
    nulmeting_periode = serializers.CharField(allow_null=True)
    nulmeting = Getal(allow_null=True, help_text="Leeg: nog te bepalen of geen gegevens.")
    laatste = CijferSerializer(allow_null=True)
    streefwaarde = Getal(allow_null=True)
    streef_periode = serializers.CharField(allow_null=True)
    drempel = Getal(
        allow_null=True, help_text="Voldoende bereikt vanaf (bij lager is beter: tot en met)."
    )
    oordeel = serializers.CharField(
        help_text="bereikt, op_weg, nog_niet, niet_op_koers, geen_drempel, geheim of geen_gegevens"
    )
    oordeel_tekst = serializers.CharField()
    verloop = CijferSerializer(many=True)


class OordeelSerializer(serializers.Serializer):
    jaar = serializers.IntegerField()
    oordeel = serializers.CharField()
    motivering = serializers.CharField()
    status = serializers.CharField()


class DoelSerializer(serializers.Serializer):
    nummer = serializers.IntegerField()
    titel = serializers.CharField()
    actielijnen = serializers.ListField(child=serializers.IntegerField(), help_text="Nummers.")
    effecten = EffectSerializer(many=True)
    oordelen = OordeelSerializer(many=True)


class ImpactSerializer(serializers.Serializer):
    nummer = serializers.IntegerField()
    titel = serializers.CharField()
    doelen = DoelSerializer(many=True)


class DoelbereikSerializer(serializers.Serializer):
    regioaanpak = serializers.IntegerField()
    tot = serializers.CharField(help_text="Cijfers tot en met deze periode.")
    impacts = ImpactSerializer(many=True)


def _cijfer(periode, cijfer) -> dict | None:
    if cijfer is None:
        return None
    return {
        "periode": periode.code,
        "waarde": cijfer.waarde,
        "status": cijfer.status,
        "geheimhouding": cijfer.geheimhouding,
    }


def doelbereik_gegevens(stand: Doelbereik) -> dict:
    return {
        "regioaanpak": stand.regioaanpak.pk,
        "tot": stand.tot.code,
        "impacts": [
            {
                "nummer": i.impact.nummer,
                "titel": i.impact.titel,
                "doelen": [
                    {
                        "nummer": d.doel.nummer,
                        "titel": d.doel.titel,
                        "actielijnen": [a.nummer for a in d.doel.actielijnen.all()],
                        "effecten": [
                            {
                                "beoogd_effect": e.effect.beoogd_effect,
                                "indicator": e.effect.indicator_id,
                                "richting": e.effect.richting,
                                "nulmeting_periode": e.effect.nulmeting_periode_id,
                                "nulmeting": e.nulmeting,
                                "laatste": _cijfer(e.laatste_periode, e.laatste),
                                "streefwaarde": e.effect.streefwaarde,
                                "streef_periode": e.effect.streef_periode_id,
                                "drempel": e.effect.drempel,
                                "oordeel": e.verdict.code,
                                "oordeel_tekst": e.verdict.tekst,
                                "verloop": [_cijfer(p, c) for p, c in e.verloop],
                            }
                            for e in d.effecten
                        ],
                        "oordelen": [
                            {
                                "jaar": o.jaar,
                                "oordeel": o.oordeel,
                                "motivering": o.motivering,
                                "status": o.workflow_status,
                            }
                            for o in d.oordelen
                        ],
                    }
                    for d in i.doelen
                ],
            }
            for i in stand.impacts
        ],
    }
