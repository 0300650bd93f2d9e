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
