"""Forms of the progress pages: plain HTML forms that work without JavaScript."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actielijnen.choices import Fase, MijlpaalStandKeuze, ProjectStatus
from actielijnen.models import Mijlpaal, MijlpaalStand, Voortgangsupdate
from actielijnen.services import VOORTGANG_VELDEN, mijlpaal_veld
from regioaanpak.choices import WorkflowStatus
from regioaanpak.validators import begrensde_tekst
from regioaanpak.workflow import OVERGANGEN_VOORTGANG

_DUIZENDTALLEN = re.compile(r"-?\d{1,3}(\.\d{3})+")


def lees_bedrag(tekst: str) -> Decimal:
    """Read an amount as Dutch people type it: '12.500,00', '€ 12500', '12.500,-', '12500.50'.

    Raises ValueError when the text is not an amount.
    """
    schoon = re.sub(r"[€\s\u00a0]", "", tekst)
    schoon = re.sub(r"[.,]-$", "", schoon)  # '12.500,-' means whole euros
    if "," in schoon and "." in schoon:
        if schoon.rfind(",") > schoon.rfind("."):
            schoon = schoon.replace(".", "").replace(",", ".")
        else:
            schoon = schoon.replace(",", "")
    elif "," in schoon:
        schoon = schoon.replace(",", "") if schoon.count(",") > 1 else schoon.replace(",", ".")
    elif schoon.count(".") > 1 or _DUIZENDTALLEN.fullmatch(schoon):
        schoon = schoon.replace(".", "")  # '12.500' is twelve thousand five hundred
    try:
        bedrag = Decimal(schoon)
    except InvalidOperation:
        raise ValueError(tekst) from None
    if not bedrag.is_finite():
        raise ValueError(tekst)
    return bedrag


class EuroVeld(forms.DecimalField):
    """An amount in euros, typed with a decimal comma and optional thousands dots."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        )
        super().__init__(localize=True, **kwargs)
        self.error_messages.update(
            {
                "invalid": _("Vul een bedrag in euro in, bijvoorbeeld 12.500,00."),
                "min_value": _("Uitgaven kunnen niet negatief zijn."),
                "max_decimal_places": _("Gebruik hoogstens twee cijfers achter de komma."),
                "max_digits": _("Dit bedrag is te groot."),
                "max_whole_digits": _("Dit bedrag is te groot."),
            }
        )

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return lees_bedrag(str(value))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


def _label(veld: str) -> str:
    return capfirst(Voortgangsupdate._meta.get_field(veld).verbose_name)


def _hulp(veld: str) -> str:
    return Voortgangsupdate._meta.get_field(veld).help_text


def _tekstvak(veld: str, rijen: int = 4) -> forms.CharField:
    # The ceiling is the model's validator (INVOER_MAX_TEKST); the browser shows it as maxlength.
    return forms.CharField(
        label=_label(veld),
        required=False,
        widget=forms.Textarea(attrs={"rows": rijen}),
        validators=[begrensde_tekst],
    )


LEEG_KEUZE = ("", gettext_lazy("— niet ingevuld —"))


class VoortgangForm(forms.Form):
    """The project leader's update for one quarter, with one state per milestone."""

    status = forms.ChoiceField(
        label=_label("status"),
        choices=[("", gettext_lazy("— kies de status —")), *ProjectStatus.choices],
        error_messages={
            "required": gettext_lazy("Kies de status van het project."),
            "invalid_choice": gettext_lazy("Kies een status uit de lijst."),
        },
    )
    toelichting = _tekstvak("toelichting", 3)
    resultaten = _tekstvak("resultaten")
    knelpunten = _tekstvak("knelpunten")
    volgende_stappen = _tekstvak("volgende_stappen")
    uitgaven_tm_kwartaal = EuroVeld(
        label=_label("uitgaven_tm_kwartaal"),
        help_text=_hulp("uitgaven_tm_kwartaal"),
        required=False,
    )
    fase = forms.ChoiceField(
        label=_label("fase"),
        choices=[LEEG_KEUZE, *Fase.choices],
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Kies een fase uit de lijst.")},
    )
    fase_toelichting = forms.CharField(
        label=_label("fase_toelichting"), max_length=300, required=False
    )
    versie = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, mijlpalen: list[Mijlpaal] = (), **kwargs):
        super().__init__(*args, **kwargs)
        for veld in ("toelichting", "resultaten", "knelpunten", "volgende_stappen"):
            self.fields[veld].widget.attrs["maxlength"] = settings.INVOER_MAX_TEKST
        self.mijlpalen = list(mijlpalen)
        for mijlpaal in self.mijlpalen:
            self.fields[mijlpaal_veld(mijlpaal.pk, "stand")] = forms.ChoiceField(
                label=_("Stand"),
                choices=[LEEG_KEUZE, *MijlpaalStandKeuze.choices],
                required=False,
                error_messages={"invalid_choice": _("Kies een stand uit de lijst.")},
            )
            self.fields[mijlpaal_veld(mijlpaal.pk, "toelichting")] = forms.CharField(
                label=_("Toelichting"), max_length=300, required=False
            )

    @staticmethod
    def beginwaarden(update: Voortgangsupdate | None, standen: dict[int, MijlpaalStand]) -> dict:
        """Initial values from an update (this quarter's, or the previous one as a start)."""
        if update is None:
            return {}
        waarden = {veld: getattr(update, veld) for veld in VOORTGANG_VELDEN}
        for mijlpaal_id, stand in standen.items():
            waarden[mijlpaal_veld(mijlpaal_id, "stand")] = stand.stand
            waarden[mijlpaal_veld(mijlpaal_id, "toelichting")] = stand.toelichting
        return waarden

    def clean(self):
        gegevens = super().clean()
        for mijlpaal in self.mijlpalen:
            stand = gegevens.get(mijlpaal_veld(mijlpaal.pk, "stand"))
            if gegevens.get(mijlpaal_veld(mijlpaal.pk, "toelichting")) and not stand:
                self.add_error(
                    mijlpaal_veld(mijlpaal.pk, "stand"),
                    _("Kies de stand van deze mijlpaal bij de toelichting."),
                )
        return gegevens

    def mijlpaalvelden(self) -> list[tuple[Mijlpaal, forms.BoundField, forms.BoundField]]:
        return [
            (
                mijlpaal,
                self[mijlpaal_veld(mijlpaal.pk, "stand")],
                self[mijlpaal_veld(mijlpaal.pk, "toelichting")],
            )
            for mijlpaal in self.mijlpalen
        ]

    def gegevens(self) -> dict:
        return {veld: self.cleaned_data.get(veld) for veld in VOORTGANG_VELDEN}

    def mijlpaalstanden(self) -> dict[int, tuple[str, str]]:
        return {
            mijlpaal.pk: (
                self.cleaned_data.get(mijlpaal_veld(mijlpaal.pk, "stand")) or "",
                self.cleaned_data.get(mijlpaal_veld(mijlpaal.pk, "toelichting")) or "",
            )
            for mijlpaal in self.mijlpalen
        }

    def fouten_overnemen(self, fout: forms.ValidationError) -> None:
        """Show a service's validation errors at the fields they name."""
        if not hasattr(fout, "error_dict"):
            self.add_error(None, fout)
            return
        for veld, meldingen in fout.message_dict.items():
            self.add_error(veld if veld in self.fields else None, meldingen)


_REDEN_VERPLICHT = {
    naar: overgang
    for (_van, naar), overgang in OVERGANGEN_VOORTGANG.items()
    if overgang.reden_verplicht
}


class OvergangForm(forms.Form):
    naar = forms.ChoiceField(
        choices=WorkflowStatus.choices,
        error_messages={
            "required": gettext_lazy("Kies wat er met de update moet gebeuren."),
            "invalid_choice": gettext_lazy("Deze statuswijziging bestaat niet."),
        },
    )
    reden = forms.CharField(
        label=gettext_lazy("Reden"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        gegevens = super().clean()
        overgang = _REDEN_VERPLICHT.get(gegevens.get("naar"))
        if overgang is not None and not gegevens.get("reden"):
            self.add_error(
                "reden",
                _("Geef een reden op als u de update wilt %(actie)s.") % {"actie": overgang.actie},
            )
        return gegevens
