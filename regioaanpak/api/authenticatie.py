"""`Authorization: Token <token>`: personal API tokens, with a Dutch reason when refused."""

from __future__ import annotations

import base64
import binascii
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


def gebruiker_van_token(tekst: str):
    """(user, token) of a token's text, or AuthenticationFailed with the reason in Dutch."""
    token = (
        ApiToken.objects.select_related("gebruiker").filter(sleutel_hash=token_hash(tekst)).first()
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
        return gebruiker_van_token(tekst)

    def authenticate_header(self, request) -> str:
        return self.sleutelwoord


class SleutelAuthenticatie(BaseAuthentication):
    """The token as a query parameter (`?sleutel=...`) or in the path (`.../sleutel/<token>/`),
    for clients that cannot send a header: Power BI and Excel pass a "Web-API" key as the query
    parameter named by `ApiKeyName`, and `cbsodata` only takes a catalogue address. Only the OData
    feed accepts it; the request log never holds query strings, and a path key is logged as
    its route."""

    parameter = "sleutel"

    def authenticate(self, request):
        tekst = request.query_params.get(self.parameter)
        if tekst is None:
            match = getattr(request._request, "resolver_match", None)
            tekst = match.kwargs.get(self.parameter) if match is not None else None
        if tekst is None:
            return None
        if not tekst.isascii() or not tekst.strip():
            raise AuthenticationFailed(_("Het token bevat tekens die er niet in horen."))
        return gebruiker_van_token(tekst.strip())

    def authenticate_header(self, request) -> str:
        return 'Basic realm="Regioaanpak monitor"'


class BasisTokenAuthenticatie(BaseAuthentication):
    """HTTP Basic with the API token as the password (the user name is not used): what Excel's
    and Power BI's OData dialog offer as "Basis" without editing a query."""

    def authenticate(self, request):
        kop = get_authorization_header(request).split()
        if not kop or kop[0].lower() != b"basic":
            return None
        if len(kop) != 2:
            raise AuthenticationFailed(_("Ongeldige Authorization-kop voor Basic."))
        try:
            tekst = base64.b64decode(kop[1], validate=True).decode("ascii")
        except (binascii.Error, UnicodeError) as exc:
            raise AuthenticationFailed(
                _("Ongeldige Authorization-kop: gebruikersnaam en wachtwoord zijn niet te lezen.")
            ) from exc
        _naam, dubbelepunt, wachtwoord = tekst.partition(":")
        if not dubbelepunt or not wachtwoord:
            raise AuthenticationFailed(
                _(
                    "Vul bij 'Basis' uw API-token in als wachtwoord (de gebruikersnaam doet er "
                    "niet toe)."
                )
            )
        return gebruiker_van_token(wachtwoord)

    def authenticate_header(self, request) -> str:
        return 'Basic realm="Regioaanpak monitor"'
