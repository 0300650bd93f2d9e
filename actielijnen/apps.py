from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActielijnenConfig(AppConfig):
    name = "actielijnen"
    verbose_name = _("Regioaanpak: actielijnen en projecten")
