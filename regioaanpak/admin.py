from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regioaanpak.beheer import Referentiegegevens, RegioBeheer
from regioaanpak.models import (
    ApiToken,
    Gemeente,
    Inwonertal,
    Lidmaatschap,
    LokaalVeld,
    Organisatie,
    Periode,
    Regio,
    Rol,
)
from regioaanpak.services import (
    MAX_TOKEN_DAGEN,
    api_token_aanmaken,
    api_token_intrekken,
    organisatie_buiten_werkgebied,
)
from regioaanpak.toegang import rollen_per_regio


class InwonertalInline(Referentiegegevens, admin.TabularInline):
    model = Inwonertal
    extra = 0


class LidmaatschapInline(Referentiegegevens, admin.TabularInline):
    model = Lidmaatschap
    extra = 0
    autocomplete_fields = ["gemeente"]


@admin.register(Gemeente)
class GemeenteAdmin(Referentiegegevens, admin.ModelAdmin):
    list_display = ["cbs_code", "naam", "geldig_van", "geldig_tot", "opgevolgd_door"]
    search_fields = ["cbs_code", "naam"]
    list_filter = [
        ("geldig_tot", admin.EmptyFieldListFilter),
        ("opgevolgd_door", admin.EmptyFieldListFilter),
    ]
    autocomplete_fields = ["opgevolgd_door"]
    inlines = [InwonertalInline]


@admin.register(Inwonertal)
class InwonertalAdmin(Referentiegegevens, admin.ModelAdmin):
    list_display = ["gemeente", "jaar", "aantal", "bron"]
    list_filter = ["jaar"]
    search_fields = ["gemeente__naam", "gemeente__cbs_code"]
    autocomplete_fields = ["gemeente"]


@admin.register(Regio)
class RegioAdmin(Referentiegegevens, admin.ModelAdmin):
    list_display = ["code", "naam", "soort", "cbs_code", "centrumgemeente", "bovenliggende"]
    list_filter = ["soort"]
    search_fields = ["code", "naam", "cbs_code"]
    autocomplete_fields = ["centrumgemeente", "bovenliggende"]
    inlines = [LidmaatschapInline]


@admin.register(Lidmaatschap)
class LidmaatschapAdmin(Referentiegegevens, admin.ModelAdmin):
    list_display = ["gemeente", "regio", "geldig_van", "geldig_tot"]
    list_filter = ["regio__soort", "regio"]
    search_fields = ["gemeente__naam", "gemeente__cbs_code", "regio__naam", "regio__code"]
    autocomplete_fields = ["gemeente", "regio"]


@admin.register(Periode)
class PeriodeAdmin(Referentiegegevens, admin.ModelAdmin):
    list_display = ["code", "soort", "jaar", "begindatum", "einddatum"]
    list_filter = ["soort", "jaar"]
    search_fields = ["code"]
    readonly_fields = ["soort", "jaar", "nummer", "begindatum", "einddatum"]


@admin.register(Rol)
class RolAdmin(RegioBeheer, admin.ModelAdmin):
    list_display = ["gebruiker", "rol", "regio", "gemeente"]
    list_filter = ["rol", "regio"]
    search_fields = ["gebruiker__username", "gebruiker__email", "regio__naam", "gemeente__naam"]
    autocomplete_fields = ["gebruiker", "regio", "gemeente"]

    @admin.display(description=_("gebruiker"))
    def gebruiker_naam(self, obj):
        return obj.gebruiker.get_full_name() or obj.gebruiker.username


class ApiTokenForm(forms.ModelForm):
    """Adding a token: owner, scope, regions and days; the token itself is made on save."""

    dagen = forms.IntegerField(
        label=_("geldig (dagen)"),
        initial=90,
        min_value=1,
        max_value=MAX_TOKEN_DAGEN,
        help_text=_("Na deze termijn weigert de API het token; maak dan een nieuw token."),
    )

    class Meta:
        model = ApiToken
        fields = ["gebruiker", "naam", "scope", "organisatie", "regios"]

    def clean(self):
        schoon = super().clean()
        gebruiker, regios = schoon.get("gebruiker"), schoon.get("regios")
        buiten = organisatie_buiten_werkgebied(schoon.get("organisatie"), list(regios or []))
        if buiten:
            self.add_error("organisatie", buiten)
        if gebruiker is not None and regios and not gebruiker.is_superuser:
            eigen = rollen_per_regio(gebruiker)
            zonder = [r for r in regios if r.code not in eigen]
            if zonder:
                self.add_error(
                    "regios",
                    _("%(gebruiker)s heeft geen rol in %(regios)s.")
                    % {
                        "gebruiker": gebruiker.get_username(),
                        "regios": ", ".join(r.naam for r in zonder),
                    },
                )
        return schoon


@admin.register(ApiToken)
class ApiTokenAdmin(RegioBeheer, admin.ModelAdmin):
    list_display = [
        "prefix",
        "gebruiker",
        "naam",
        "scope",
        "organisatie",
        "regio_codes",
        "verloopt_op",
        "toestand",
        "laatst_gebruikt_op",
    ]
    list_filter = ["scope", ("ingetrokken_op", admin.EmptyFieldListFilter)]
    search_fields = ["prefix", "naam", "gebruiker__username"]
    autocomplete_fields = ["gebruiker"]
    filter_horizontal = ["regios"]
    actions = ["intrekken"]
    readonly_fields = [
        "gebruiker",
        "naam",
        "scope",
        "organisatie",
        "regios",
        "prefix",
        "aangemaakt_op",
        "aangemaakt_door",
        "verloopt_op",
        "ingetrokken_op",
        "ingetrokken_door",
        "laatst_gebruikt_op",
    ]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["gebruiker", "naam", "scope", "regios", "dagen"]
        return self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    @admin.display(description=_("regio's"))
    def regio_codes(self, token) -> str:
        return ", ".join(sorted(r.code for r in token.regios.all()))

    @admin.display(description=_("toestand"))
    def toestand(self, token) -> str:
        return token.toestand

    def regio_filter(self, regios):
        # Only tokens that reach no region outside the staff user's own.
        elders = Regio.objects.exclude(code__in=sorted(regios))
        return Q(regios__in=sorted(regios)) & ~Q(
            pk__in=ApiToken.objects.filter(regios__in=elders).values("pk")
        )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("gebruiker").prefetch_related("regios")

    def save_model(self, request, obj, form, change):
        if change:
            return
        token, tekst = api_token_aanmaken(
            gebruiker=form.cleaned_data["gebruiker"],
            scope=form.cleaned_data["scope"],
            regios=list(form.cleaned_data["regios"]),
            organisatie=form.cleaned_data.get("organisatie"),
            dagen=form.cleaned_data["dagen"],
            naam=form.cleaned_data.get("naam", ""),
            aangemaakt_door=request.user,
        )
        obj.pk, obj.prefix = token.pk, token.prefix
        messages.warning(
            request,
            _(
                "Het nieuwe API-token is: %(token)s. Kopieer het nu en geef het veilig door: het "
                "wordt niet opnieuw getoond (alleen de SHA-256 wordt bewaard)."
            )
            % {"token": tekst},
        )

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    @admin.action(description=_("Geselecteerde tokens intrekken"))
    def intrekken(self, request, queryset):
        aantal = 0
        for token in queryset.filter(ingetrokken_op__isnull=True):
            api_token_intrekken(token=token, door=request.user)
            aantal += 1
        self.message_user(request, _("%(aantal)s token(s) ingetrokken.") % {"aantal": aantal})


class OrganisatieFormulier(forms.ModelForm):
    class Meta:
        model = Organisatie
        fields = ["code", "naam", "standaard", "werkgebied", "contact_email"]

    def clean(self):
        from monitoring.selectors.organisaties import dubbel_geleverd

        schoon = super().clean()
        code = schoon.get("code") or self.instance.code
        if "werkgebied" in schoon and code and not schoon.get("standaard"):
            for fout in dubbel_geleverd(
                organisatie=code, werkgebied=[r.code for r in schoon["werkgebied"]]
            ):
                self.add_error("werkgebied", fout)
        return schoon


@admin.register(Organisatie)
class OrganisatieAdmin(Referentiegegevens, admin.ModelAdmin):
    """Who delivers which indicators where; a superuser changes it (it moves figures between
    deliveries). The indicators are assigned on the indicator's page ('aangeleverd door')."""

    form = OrganisatieFormulier
    list_display = ["naam", "code", "standaard", "contact_email"]
    search_fields = ["naam", "code"]
    filter_horizontal = ["werkgebied"]
    readonly_fields = ["indicatoren_lijst"]

    @admin.display(description=_("indicatoren"))
    def indicatoren_lijst(self, obj) -> str:
        if obj.pk is None:
            return ""
        if obj.standaard:
            return str(_("alle indicatoren die geen andere organisatie in de regio levert"))
        return ", ".join(obj.indicatoren.values_list("naam", flat=True)) or "—"


@admin.register(LokaalVeld)
class LokaalVeldAdmin(Referentiegegevens, admin.ModelAdmin):
    """The organisation of each municipality's local field, context in the comparison report."""

    list_display = ["gemeente", "jaar", "vorm", "coordinatie", "bron"]
    list_filter = ["vorm", "jaar"]
    search_fields = ["gemeente__naam", "gemeente__cbs_code", "coordinatie"]
    autocomplete_fields = ["gemeente"]
