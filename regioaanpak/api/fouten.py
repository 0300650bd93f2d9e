"""Errors of the API: always JSON, with a Dutch message."""

from __future__ import annotations

import math

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, exceptions.Throttled):
        wacht = math.ceil(exc.wait) if exc.wait is not None else None
        exc.detail = (
            _("Te veel verzoeken; probeer het over %(sec)s seconden opnieuw.") % {"sec": wacht}
            if wacht is not None
            else _("Te veel verzoeken; probeer het later opnieuw.")
        )
    elif isinstance(exc, exceptions.NotAuthenticated):
        exc.detail = _(
            "Niet ingelogd. Stuur een API-token mee ('Authorization: Token <uw token>') of log in."
        )
    return drf_exception_handler(exc, context)
