from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from regioaanpak.perioden import PERIODE_REGEX

CBS_GEMEENTECODE_REGEX = r"^GM[0-9]{4}$"

cbs_gemeentecode_validator = RegexValidator(
    regex=CBS_GEMEENTECODE_REGEX,
    message=_(
        "'%(value)s' is geen geldige CBS-gemeentecode: gebruik 'GM' gevolgd door vier cijfers, "
        "bijvoorbeeld GM0505 (Dordrecht)."
    ),
    code="cbs_gemeentecode",
)

periodecode_validator = RegexValidator(
    regex=PERIODE_REGEX,
    message=_(
        "'%(value)s' is geen geldige periodecode: gebruik bijvoorbeeld 2021KW01, 2021HJ01 of "
        "2021JJ00."
    ),
    code="periodecode",
)

regiocode_validator = RegexValidator(
    regex=r"^[A-Z0-9][A-Z0-9-]{1,19}$",
    message=_(
        "'%(value)s' is geen geldige regiocode: gebruik hoofdletters, cijfers en streepjes, "
        "bijvoorbeeld VT24 of CG-ROT."
    ),
    code="regiocode",
)


def begrensde_tekst(waarde: str) -> None:
    """A text field of a report (a progress update) is at most INVOER_MAX_TEKST characters:
    the PDF of its quarter is rendered from it, so a text of megabytes would stall every
    report of the region."""
    from django.conf import settings
    from django.core.exceptions import ValidationError

    maximum = settings.INVOER_MAX_TEKST
    if waarde and len(waarde) > maximum:
        raise ValidationError(
            _(
                "Deze tekst heeft %(aantal)s tekens; ten hoogste %(max)s. Kort hem in of verwijs "
                "naar een bijlage."
            ),
            code="te_lang",
            params={
                "aantal": f"{len(waarde):,}".replace(",", "."),
                "max": f"{maximum:,}".replace(",", "."),
            },
        )


class MinimaleLengte:
    """Django's MinimumLengthValidator with its message in Dutch: Django 5.2 changed the message
    ('%d' instead of '%(min_length)d') and its Dutch catalogue has no translation of the new one
    yet, so users got English."""

    def __init__(self, min_length: int = 10):
        self.min_length = min_length

    def validate(self, password, user=None):
        from django.core.exceptions import ValidationError

        if len(password) < self.min_length:
            raise ValidationError(
                _("Dit wachtwoord is te kort: gebruik minstens %(min_length)d tekens."),
                code="password_too_short",
                params={"min_length": self.min_length},
            )

    def get_help_text(self):
        return _("Uw wachtwoord moet minstens %(min_length)d tekens lang zijn.") % {
            "min_length": self.min_length
        }
