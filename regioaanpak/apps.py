from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegioaanpakConfig(AppConfig):
    name = "regioaanpak"
    verbose_name = _("Regio's, gemeenten en perioden")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from regioaanpak.middleware import onthoud_tweestaps

        # Whether the user has an authenticator app is looked up once, at login, and kept in
        # the session: the second-step check then costs no query per request.
        user_logged_in.connect(onthoud_tweestaps, dispatch_uid="regioaanpak_tweestaps")
