"""The risk profile of a region in the API: one row per municipality, with the signalling
columns when a period is given. Meldingen come through the figure selector with the caller's
reach, so partners get the disclosure-controlled rate (a suppressed rate is left out)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, viewsets

from monitoring.api.serializers import ExactGetal
from monitoring.selectors.risicoprofiel import meldingen_uit_cijfers, risicoprofiel, signalering
from regioaanpak.api.basis import ApiBasis, csv_antwoord, is_csv
from regioaanpak.api.paginering import LijstCursor
from regioaanpak.api.renderers import csv_tekst
from regioaanpak.models import Regio
from regioaanpak.perioden import OngeldigePeriode, PeriodeCode

KOLOMMEN = [
    "gemeente",
    "naam",
    "score",
    "aantal_factoren",
    "rang",
    "klasse",
    "meldingen_per_1000",
    "verwacht",
    "residu",
    "oordeel",
]


class RisicoprofielVraagSerializer(serializers.Serializer):
    regio = serializers.CharField(help_text="Regiocode, zoals VT18.")
    periode = serializers.CharField(
        required=False,
        help_text="Met een periode (bijv. 2022JJ00) ook de signalering: meldingen per 1.000 "
        "inwoners (goedgekeurde cijfers) tegenover de risicoscore.",
    )

    def validate_regio(self, code: str) -> Regio:
        regio = Regio.objects.filter(code=code.strip().upper()).first()
        if regio is None:
            raise serializers.ValidationError(f"Onbekende regio: {code}.")
        return regio

    def validate_periode(self, tekst: str) -> PeriodeCode:
        try:
            return PeriodeCode.invoer(tekst)
        except OngeldigePeriode as exc:
            raise serializers.ValidationError(exc.messages) from None


class RisicoprofielRijSerializer(serializers.Serializer):
    gemeente = serializers.CharField()
    naam = serializers.CharField()
    score = ExactGetal(help_text="Som van de beschikbare z-scores.")
    aantal_factoren = serializers.IntegerField()
    rang = serializers.IntegerField(allow_null=True, help_text="1 is het hoogste risico.")
    klasse = serializers.ChoiceField(choices=["hoog", "gemiddeld", "laag", "onvoldoende gegevens"])
    meldingen_per_1000 = ExactGetal(allow_null=True)
    verwacht = ExactGetal(allow_null=True)
    residu = ExactGetal(allow_null=True, help_text="Gestandaardiseerd residu van de trendlijn.")
    oordeel = serializers.CharField(allow_blank=True)


def _getal(waarde):
    return None if waarde is None else Decimal(str(waarde))


@extend_schema_view(
    list=extend_schema(
        summary="Risicoprofiel van een regio",
        tags=["risicoprofiel"],
        parameters=[RisicoprofielVraagSerializer],
        responses=RisicoprofielRijSerializer(many=True),
    )
)
class RisicoprofielViewSet(ApiBasis, viewsets.GenericViewSet):
    """Per gemeente de risicoscore (som van z-scores tegenover de regio), het aantal factoren,
    de rang en de klasse; met `periode` ook meldingen per 1.000, de verwachte waarde volgens de
    trendlijn, het gestandaardiseerde residu en het oordeel."""

    serializer_class = RisicoprofielRijSerializer
    csv_naam = "risicoprofiel"
    weergavenaam = "Risicoprofiel"

    def get_queryset(self):  # for the schema generator
        return Regio.objects.none()

    def list(self, request, *args, **kwargs):
        vraag = RisicoprofielVraagSerializer(data=request.query_params)
        vraag.is_valid(raise_exception=True)
        regio = vraag.validated_data["regio"]
        if not self.inzage.mag_lezen(regio.code):
            raise exceptions.PermissionDenied(
                _("U heeft geen toegang tot de cijfers van %(regio)s.") % {"regio": regio.code}
            )
        profiel = risicoprofiel(regio)
        signalen = None
        periode = vraag.validated_data.get("periode")
        if periode is not None and profiel.gemeenten:
            signalen = signalering(profiel, meldingen_uit_cijfers(profiel, periode, self.inzage))
        rijen = []
        for score in profiel.scores:
            signaal = signalen.signaal(score.gemeente) if signalen else None
            rijen.append(
                {
                    "gemeente": score.gemeente,
                    "naam": score.naam,
                    "score": _getal(score.score),
                    "aantal_factoren": score.aantal_factoren,
                    "rang": score.rang,
                    "klasse": score.klasse,
                    "meldingen_per_1000": signaal.meldingen_per_1000 if signaal else None,
                    "verwacht": _getal(signaal.verwacht) if signaal else None,
                    "residu": _getal(signaal.residu) if signaal else None,
                    "oordeel": signaal.oordeel if signaal else "",
                }
            )
        if is_csv(request):
            return csv_antwoord(
                f"{self.csv_naam}_{regio.code}",
                KOLOMMEN,
                ([csv_tekst(r[k]) for k in KOLOMMEN] for r in rijen),
            )
        return LijstCursor().response(request, rijen)
