"""Throttling per token (or per logged-in user), rate from settings (API_LIMIET)."""

from rest_framework.throttling import SimpleRateThrottle

from regioaanpak.models import ApiToken


class TokenThrottle(SimpleRateThrottle):
    scope = "api"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"gebruiker-{request.user.pk}"
        else:
            ident = f"adres-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
