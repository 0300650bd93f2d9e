from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegioaanpakConfig(AppConfig):
    name = "regioaanpak"
    verbose_name = _("Regio's, gemeenten en perioden")

    def ready(self) -> None:
        from django.contrib.auth.models import update_last_login
        from django.contrib.auth.signals import user_logged_in

        from regioaanpak.middleware import onthoud_tweestaps
        from regioaanpak.paginacache import koppel_signalen
        from regioaanpak.werklijst import onthoud_vorig_bezoek

        # Whether the user has an authenticator app is looked up once, at login, and kept in
        # the session: the second-step check then costs no query per request.
        user_logged_in.connect(onthoud_tweestaps, dispatch_uid="regioaanpak_tweestaps")
        # Cached dashboard parts are keyed on the data's version: every write raises it.
        koppel_signalen()
        # The previous visit ("new since your last visit") is read before Django stamps the new
        # last_login: its receiver is moved behind ours.
        if user_logged_in.disconnect(dispatch_uid="update_last_login"):
            user_logged_in.connect(onthoud_vorig_bezoek, dispatch_uid="regioaanpak_vorig_bezoek")
            user_logged_in.connect(update_last_login, dispatch_uid="update_last_login")
