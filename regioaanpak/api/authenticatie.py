"""`Authorization: Token <token>`: personal API tokens, with a Dutch reason when refused."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from regioaanpak import opmaak
from regioaanpak.models import ApiToken, token_hash

# Recording every use would write on every request; once a minute is enough to see use.
GEBRUIK_BIJHOUDEN_NA = dt.timedelta(minutes=1)


def _datum(moment: dt.datetime) -> str:
    return opmaak.tijdstip(moment)


class TokenAuthenticatie(BaseAuthentication):
    sleutelwoord = "Token"

    def authenticate(self, request):
        kop = get_authorization_header(request).split()
        if not kop or kop[0].lower() != self.sleutelwoord.lower().encode():
            return None
        if len(kop) != 2:
            raise AuthenticationFailed(
                _("Ongeldige Authorization-kop; gebruik 'Authorization: Token <uw token>'.")
            )
        try:
            tekst = kop[1].decode("ascii")
        except UnicodeError as exc:
            raise AuthenticationFailed(_("Het token bevat tekens die er niet in horen.")) from exc
        token = (
            ApiToken.objects.select_related("gebruiker")
            .filter(sleutel_hash=token_hash(tekst))
            .first()
        )
        if token is None:
            raise AuthenticationFailed(_("Onbekend API-token."))
        if token.is_ingetrokken:
            raise AuthenticationFailed(
                _("Dit API-token is ingetrokken op %(datum)s.")
                % {"datum": _datum(token.ingetrokken_op)}
            )
        if token.is_verlopen:
            raise AuthenticationFailed(
                _("Dit API-token is verlopen op %(datum)s; vraag een beheerder om een nieuw token.")
                % {"datum": _datum(token.verloopt_op)}
            )
        if not token.gebruiker.is_active:
            raise AuthenticationFailed(_("Het account waarbij dit token hoort is niet actief."))
        nu = timezone.now()
        if token.laatst_gebruikt_op is None or nu - token.laatst_gebruikt_op > GEBRUIK_BIJHOUDEN_NA:
            ApiToken.objects.filter(pk=token.pk).update(laatst_gebruikt_op=nu)
            token.laatst_gebruikt_op = nu
        return token.gebruiker, token

    def authenticate_header(self, request) -> str:
        return self.sleutelwoord
