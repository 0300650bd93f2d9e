"""Structured logs: every line of a request carries its request id, the user and the region.

`VerzoekLogMiddleware` takes the request id from X-Request-ID (from the reverse proxy or the
load balancer) or makes one, keeps it for the request (contextvars, so threads and async views
keep them apart), returns it in the answer's X-Request-ID, and writes one line per request:
method, path, status, duration. `VerzoekFilter` adds the request id, the user and the region to
every log record. Never figures, query strings, free text or secrets: a path holds codes, not
values, and the password-reset link is logged as its route.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid

logger = logging.getLogger("regioaanpak.verzoek")

_verzoek_id: contextvars.ContextVar[str] = contextvars.ContextVar("verzoek_id", default="-")
_gebruiker: contextvars.ContextVar[str] = contextvars.ContextVar("gebruiker", default="-")
_regio: contextvars.ContextVar[str] = contextvars.ContextVar("regio", default="-")
GELDIG_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# Path parameters that are secrets (the password-reset link, an OData key in the path): the
# route is logged instead.
GEHEIME_PARAMETERS = frozenset({"token", "uidb64", "sleutel"})
# Control characters and spaces of a (percent-decoded) path: never a new log line.
STUURTEKENS = re.compile(r"[\x00-\x20\x7f]")


# The OData feed's key in the path (/odata/statline/<token>/...), also where no route matched.
SLEUTEL_IN_PAD = re.compile(r"^(.*?/odata/statline/)(?!OData)[^/]+")


def zonder_sleutel(pad: str) -> str:
    return SLEUTEL_IN_PAD.sub(r"\1<sleutel>", pad)


def gelogd_pad(request) -> str:
    """The path as logged: without query string, secrets or control characters."""
    match = getattr(request, "resolver_match", None)
    if match is not None and GEHEIME_PARAMETERS & set(match.kwargs):
        return f"/{match.route}"
    return STUURTEKENS.sub("?", zonder_sleutel(request.path))[:200]


class VerzoekFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        verzoek = getattr(record, "request", None)
        if verzoek is not None and isinstance(record.args, tuple):
            # Django's own lines ("Not Found: /pad") carry the path: logged as ours, without a
            # key or reset link in it.
            pad = getattr(verzoek, "path", None)
            record.args = tuple(gelogd_pad(verzoek) if a == pad else a for a in record.args)
        record.verzoek_id = _verzoek_id.get()
        record.gebruiker = _gebruiker.get()
        record.regio = _regio.get()
        return True


def huidig_verzoek_id() -> str:
    return _verzoek_id.get()


def zet_verzoek_id(waarde: str | None) -> str:
    """The request id for what follows (a request, a Celery task): the given one when it is a
    plain token, else a new one."""
    verzoek_id = waarde if waarde and GELDIG_ID.match(waarde) else uuid.uuid4().hex
    _verzoek_id.set(verzoek_id)
    _gebruiker.set("-")
    _regio.set("-")
    return verzoek_id


class VerzoekLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        begin = time.monotonic()
        verzoek_id = zet_verzoek_id(request.META.get("HTTP_X_REQUEST_ID"))
        request.verzoek_id = verzoek_id
        antwoord = self.get_response(request)
        antwoord["X-Request-ID"] = verzoek_id
        gebruiker = getattr(request, "user", None)
        if gebruiker is not None and getattr(gebruiker, "is_authenticated", False):
            _gebruiker.set(gebruiker.get_username())
        logger.info(
            "verzoek",
            extra={
                "methode": request.method,
                "pad": gelogd_pad(request),
                "status": antwoord.status_code,
                "duur_ms": round((time.monotonic() - begin) * 1000, 1),
            },
        )
        return antwoord

    def process_view(self, request, view_func, view_args, view_kwargs):
        gebruiker = getattr(request, "user", None)
        if gebruiker is not None and getattr(gebruiker, "is_authenticated", False):
            _gebruiker.set(gebruiker.get_username())
        regio = view_kwargs.get("regio")
        if isinstance(regio, str) and len(regio) <= 20:
            _regio.set(regio)
        return None


def sentry_zonder_persoon(event: dict, hint: dict) -> dict:
    """Sentry's before_send: no user name in an error report (the log record's extras carry
    it) and no API token from the address; the request id stays, so the report can be found
    in the logs."""
    event.pop("user", None)
    verzoek = event.get("request")
    if isinstance(verzoek, dict):
        # No token: not the query string (?sleutel=), not a key in the path.
        verzoek.pop("query_string", None)
        if isinstance(verzoek.get("url"), str):
            verzoek["url"] = zonder_sleutel(verzoek["url"].split("?", 1)[0])
    extra = event.get("extra")
    if isinstance(extra, dict):
        extra.pop("gebruiker", None)
    return event
