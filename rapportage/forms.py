from django import forms
from django.utils.translation import gettext_lazy as _

from rapportage.choices import RapportSoort
from regioaanpak.perioden import HALFJAAR, JAAR, KWARTAAL, PeriodeCode, laatste_volledige_kwartaal


class PublicerenForm(forms.Form):
    reden = forms.CharField(
        label=_("Reden van deze versie"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Verplicht als er al een versie is gepubliceerd."),
    )


class ConceptForm(forms.Form):
    """Which concept: a choice among the quarters and half-years the region reports on (its
    approaches' terms up to the quarter that just ended), never a typed code."""

    rapport = forms.ChoiceField(label=_("Rapportage"))

    def __init__(self, *args, perioden: list[PeriodeCode] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rapport"].choices = [
            (p.code, f"{SOORT_PER_PERIODE[p.soort].label.capitalize()} {p.label}") for p in perioden
        ]
        if not perioden:
            self.fields["rapport"].help_text = _("Er is nog geen periode om over te rapporteren.")

    def clean(self):
        gegevens = super().clean()
        code = gegevens.get("rapport")
        if code:
            periode = PeriodeCode.parse(code)
            gegevens["periode"] = periode.code
            gegevens["soort"] = SOORT_PER_PERIODE[periode.soort]
        return gegevens


SOORT_PER_PERIODE = {
    KWARTAAL: RapportSoort.KWARTAAL,
    HALFJAAR: RapportSoort.HALFJAAR,
    JAAR: RapportSoort.JAAR,
}


def rapportperioden(regio) -> list[PeriodeCode]:
    """Quarters, half-years and years from the start of the region's first approach up to the
    quarter that just ended (or the end of its last approach), newest first."""
    import datetime as dt

    from actielijnen.models import Regioaanpak

    termijnen = list(
        Regioaanpak.objects.filter(regio=regio).values_list("looptijd_van", "looptijd_tot")
    )
    if not termijnen:
        return []
    laatst = laatste_volledige_kwartaal(dt.date.today())
    begin = PeriodeCode.van_datum(min(v for v, _t in termijnen))
    einde = min(PeriodeCode.van_datum(max(t for _v, t in termijnen)), laatst)
    if einde < begin:
        return []
    kwartalen = PeriodeCode.reeks(begin, einde)
    # A half-year or year once its last quarter lies within the term (the yearly evaluation).
    langer = sorted(
        {
            p
            for k in kwartalen
            for p in k.bovenliggende()
            if (p.soort == HALFJAAR and k.nummer in (2, 4)) or (p.soort == JAAR and k.nummer == 4)
        }
    )
    return sorted(
        [*kwartalen, *langer],
        key=lambda p: (p.einddatum, p.soort != JAAR, p.soort == KWARTAAL),
        reverse=True,
    )
