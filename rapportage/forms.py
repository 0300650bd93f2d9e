from django import forms
from django.utils.translation import gettext_lazy as _

from rapportage.choices import RapportSoort


class PublicerenForm(forms.Form):
    reden = forms.CharField(
        label=_("Reden van deze versie"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Verplicht als er al een versie is gepubliceerd."),
    )


class ConceptForm(forms.Form):
    periode = forms.CharField(
        label=_("Periode"), max_length=8, help_text=_("Bijvoorbeeld 2022KW03 of 2022HJ02.")
    )
    soort = forms.ChoiceField(label=_("Soort"), choices=RapportSoort.choices)
