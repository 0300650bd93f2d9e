from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegioaanpakConfig(AppConfig):
    name = "regioaanpak"
    verbose_name = _("Regio's, gemeenten en perioden")
