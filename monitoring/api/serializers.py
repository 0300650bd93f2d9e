"""Indicators, figures, the question parameters of the figures list and the import summary."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from monitoring.choices import WaarnemingStatus
from monitoring.models import Indicator
from monitoring.selectors.api import NIVEAU_GEMEENTE, NIVEAU_REGIO, Vraag
from monitoring.selectors.geheimhouding import AFGEROND, ONDERDRUKT
from regioaanpak.choices import PeriodeSoort
from regioaanpak.getallen import exact_getal
from regioaanpak.models import Gemeente, Regio
from regioaanpak.perioden import OngeldigePeriode, PeriodeCode


@extend_schema_field({"type": "number", "nullable": True, "example": 412})
class ExactGetal(serializers.Field):
    """A decimal as an exact JSON number (412, 62.5), never through a float."""

    def to_representation(self, waarde):
        return exact_getal(waarde)


class IndicatorSerializer(serializers.ModelSerializer):
    afgeleid = serializers.BooleanField(
        source="is_afgeleid", read_only=True, help_text="Berekend uit teller en noemer."
    )
    teller = serializers.CharField(source="teller_id", allow_null=True)
    noemer = serializers.CharField(source="noemer_id", allow_null=True)
    norm_waarde = ExactGetal(allow_null=True)

    class Meta:
        model = Indicator
        fields = [
            "code",
            "naam",
            "definitie",
            "eenheid",
            "bron",
            "aggregatie",
            "richting",
            "frequentie",
            "afgeleid",
            "teller",
            "noemer",
            "norm_operator",
            "norm_waarde",
            "norm_omschrijving",
            "geheimhouding_drempel",
            "geheimhouding_afronding",
            "volgorde",
        ]


class WaarnemingSerializer(serializers.Serializer):
    """One figure. Documents the shape; the rows themselves are built by the selector."""

    id = serializers.IntegerField(
        allow_null=True, help_text="Id van het opgeslagen cijfer; leeg bij een berekend cijfer."
    )
    indicator = serializers.CharField(help_text="Code van de indicator, zoals vt_meldingen.")
    gebied = serializers.CharField(help_text="CBS-gemeentecode (GM0505) of regiocode (VT24).")
    gebied_soort = serializers.ChoiceField(choices=[NIVEAU_GEMEENTE, NIVEAU_REGIO])
    periode = serializers.CharField(help_text="CBS-periodecode, zoals 2021KW01.")
    waarde = ExactGetal(
        allow_null=True,
        help_text="Leeg als het cijfer ontbreekt of geheim/onderdrukt is (status geheim).",
    )
    status = serializers.ChoiceField(
        choices=WaarnemingStatus.values,
        allow_null=True,
        help_text="definitief, voorlopig (*) of geheim (.); leeg als het cijfer ontbreekt.",
    )
    geheimhouding = serializers.ChoiceField(
        choices=[AFGEROND, ONDERDRUKT],
        allow_null=True,
        help_text="Voor partners: 'afgerond' (op vijftallen, of berekend uit afgeronde "
        "aantallen) of 'onderdrukt' (minder dan 10, of een totaal waaruit zo'n aantal af te "
        "leiden is); leeg bij ruwe cijfers.",
    )
    samengesteld = serializers.BooleanField(
        help_text="Opgeteld uit kwartalen of gemeenten, of berekend uit teller en noemer."
    )
    bron = serializers.CharField(allow_blank=True)
    ontbreekt = serializers.ListField(
        child=serializers.CharField(), help_text="Welke delen ontbreken als de waarde leeg is."
    )
    gewijzigd_op = serializers.DateTimeField(allow_null=True)


def _codes(tekst: str) -> list[str]:
    return [c.strip() for c in tekst.split(",") if c.strip()]


class WaarnemingVraagSerializer(serializers.Serializer):
    """The question of the figures list. Lists of codes are separated by commas."""

    indicator = serializers.CharField(
        required=False, help_text="Indicatorcode(s), bijv. vt_meldingen,vt_adviezen."
    )
    gemeente = serializers.CharField(required=False, help_text="CBS-gemeentecode(s), bijv. GM0505.")
    regio = serializers.CharField(
        required=False,
        help_text="Regiocode(s), bijv. VT24: de cijfers van de gemeenten die in die periode lid "
        "waren (en van de regio zelf); met niveau=regio de optelling per regio.",
    )
    periode = serializers.CharField(required=False, help_text="CBS-periodecode(s), bijv. 2021KW01.")
    periode_van = serializers.CharField(required=False, help_text="Vanaf deze periode.")
    periode_tot = serializers.CharField(required=False, help_text="Tot en met deze periode.")
    periode_soort = serializers.ChoiceField(
        choices=PeriodeSoort.values, required=False, help_text="KW, HJ of JJ."
    )
    status = serializers.CharField(
        required=False, help_text="definitief, voorlopig en/of geheim (met komma's)."
    )
    niveau = serializers.ChoiceField(
        choices=[NIVEAU_GEMEENTE, NIVEAU_REGIO],
        required=False,
        help_text="Leeg: de opgeslagen cijfers zoals aangeleverd. 'gemeente' of 'regio': de "
        "cijferselector (optelling over perioden en gemeenten, afgeleide indicatoren), dezelfde "
        "cijfers als dashboards en rapportages.",
    )
    ingediend = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Ook ingediende, nog niet goedgekeurde cijfers (alleen voor projectleider, "
        "beleidsmedewerker of beheerder van de regio).",
    )

    @staticmethod
    def _bekend(codes: list[str], queryset, veld: str, bericht: str) -> list[str]:
        """The codes if all exist; otherwise a Dutch error naming the unknown ones."""
        bekend = set(queryset.filter(**{f"{veld}__in": codes}).values_list(veld, flat=True))
        onbekend = [c for c in codes if c not in bekend]
        if onbekend:
            raise serializers.ValidationError(bericht % {"codes": ", ".join(onbekend)})
        return codes

    def validate_indicator(self, tekst: str) -> list[str]:
        return self._bekend(
            [c.lower() for c in _codes(tekst)],
            Indicator.objects,
            "code",
            "Onbekende indicator: %(codes)s. Zie /api/v1/indicatoren/.",
        )

    def validate_gemeente(self, tekst: str) -> list[str]:
        return self._bekend(
            [c.upper() for c in _codes(tekst)],
            Gemeente.objects,
            "cbs_code",
            "Onbekende gemeente: %(codes)s. Gebruik de CBS-code, zoals GM0505.",
        )

    def validate_regio(self, tekst: str) -> list[str]:
        return self._bekend(
            [c.upper() for c in _codes(tekst)],
            Regio.objects,
            "code",
            "Onbekende regio: %(codes)s. Zie /api/v1/regios/.",
        )

    @staticmethod
    def _periode(tekst: str) -> PeriodeCode:
        try:
            return PeriodeCode.invoer(tekst)
        except OngeldigePeriode as exc:
            raise serializers.ValidationError(exc.messages) from None

    def validate_periode(self, tekst: str) -> list[PeriodeCode]:
        return [self._periode(c) for c in _codes(tekst)]

    def validate_periode_van(self, tekst: str) -> PeriodeCode:
        return self._periode(tekst)

    def validate_periode_tot(self, tekst: str) -> PeriodeCode:
        return self._periode(tekst)

    def validate_status(self, tekst: str) -> list[str]:
        statussen = [s.lower() for s in _codes(tekst)]
        onbekend = [s for s in statussen if s not in WaarnemingStatus.values]
        if onbekend:
            raise serializers.ValidationError(
                f"Onbekende status: {', '.join(onbekend)}; kies definitief, voorlopig of geheim."
            )
        return statussen

    def vraag(self) -> Vraag:
        d = self.validated_data
        return Vraag(
            indicatoren=tuple(d.get("indicator", ())),
            gemeenten=tuple(d.get("gemeente", ())),
            regios=tuple(d.get("regio", ())),
            perioden=tuple(d.get("periode", ())),
            van=d.get("periode_van"),
            tot=d.get("periode_tot"),
            soort=d.get("periode_soort"),
            statussen=tuple(d.get("status", ())),
            niveau=d.get("niveau"),
        )


class ImportRijSerializer(serializers.Serializer):
    """One figure to deliver (the columns of the CSV import)."""

    indicator = serializers.CharField(help_text="Code van een gemeten indicator.")
    gebied = serializers.CharField(help_text="CBS-gemeentecode (GM0505) of regiocode (VT24).")
    periode = serializers.CharField(help_text="CBS-periodecode, zoals 2021KW01.")
    waarde = serializers.JSONField(
        help_text="Getal (412, 62.5 of als tekst '62,5'); '.' of leeg met status geheim."
    )
    status = serializers.CharField(
        required=False, help_text="definitief (standaard), voorlopig of geheim."
    )
    bron = serializers.CharField(required=False)
    toelichting = serializers.CharField(required=False)


class ImportFoutSerializer(serializers.Serializer):
    regel = serializers.IntegerField(
        help_text="Regelnummer: in CSV de regel in het bestand (kop = 1), in JSON de positie in "
        "de lijst (eerste = 1)."
    )
    veld = serializers.CharField(allow_null=True)
    reden = serializers.CharField()


class ImportSamenvattingSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    opgeslagen = serializers.BooleanField(help_text="Alles opgeslagen; bij een fout niets.")
    regels = serializers.IntegerField()
    nieuw = serializers.IntegerField(
        allow_null=True,
        help_text="Leeg voor wie de opgeslagen cijfers niet mag zien (een partner): nieuw, "
        "gewijzigd of ongewijzigd zou de opgeslagen waarde verraden.",
    )
    gewijzigd = serializers.IntegerField(allow_null=True)
    ongewijzigd = serializers.IntegerField(allow_null=True)
    fouten_totaal = serializers.IntegerField()
    fouten = ImportFoutSerializer(many=True, help_text="Ten hoogste de eerste 1.000 fouten.")
    bericht = serializers.CharField()


@extend_schema_field(OpenApiTypes.BINARY)
class Bestand(serializers.FileField):
    pass


class ImportBestandSerializer(serializers.Serializer):
    bestand = Bestand(help_text="CSV- of Excelbestand (.xlsx) met de kolommen van de import.")
