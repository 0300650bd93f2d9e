"""Health endpoints for a load balancer or an orchestrator; no login, nothing sensitive.

- /gezond/ (liveness): the process answers. No database, so a database outage does not make
  the orchestrator restart every app process.
- /gezond/gereed/ (readiness): the database, the shared cache (with REDIS_URL), the broker (with
  CELERY_BROKER_URL) and the file storage each answer, one word per part ("ok", "storing" or
  "niet ingesteld"); 503 when the database or the storage fails, 200 with status "beperkt" when
  only the cache or the broker does. Never error texts: they could name hosts or users.
"""

from __future__ import annotations

import functools
import inspect
import logging
import threading
import time

from asgiref.sync import async_to_sync
from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


class Broker:
    """The Celery broker accepts a connection (a worker need not be running)."""

    def run(self):
        from kombu import Connection

        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as verbinding:
            verbinding.ensure_connection(max_retries=1, timeout=2)


@functools.cache
def onderdelen() -> dict:
    """The checks, imported on the first probe: this module is middleware, loaded on every
    process start, and django-health-check pulls in the Redis client."""
    from health_check.checks import Cache, Database, Storage

    return {"database": Database, "cache": Cache, "broker": Broker, "opslag": Storage}


def _ingesteld(naam: str) -> bool:
    if naam == "cache":
        return bool(settings.REDIS_URL)
    if naam == "broker":
        return bool(settings.CELERY_BROKER_URL)
    return True


@never_cache
def leeft(request):
    return JsonResponse({"status": "ok"})


def _controleer(onderdeel) -> str:
    """One check, run in this thread (a sync view: gunicorn's threads, no event loop)."""
    try:
        if inspect.iscoroutinefunction(onderdeel.run):
            async_to_sync(onderdeel.run)()
        else:
            onderdeel.run()
    except Exception:
        logger.warning("Gereedheidscontrole %s faalt", type(onderdeel).__name__, exc_info=True)
        return "storing"
    return "ok"


# Without these the monitor cannot answer: the machine is taken out of rotation (503). Without
# the cache or the broker it goes on, slower or with batches waiting: "beperkt", still 200, so a
# Redis outage does not make the load balancer drop every machine at once.
ONMISBAAR = ("database", "opslag")
_laatste: tuple[float, dict] | None = None
_slot = threading.Lock()


def _uitkomst() -> dict:
    uitkomst = {
        naam: (_controleer(controle()) if _ingesteld(naam) else "niet ingesteld")
        for naam, controle in onderdelen().items()
    }
    if any(uitkomst[naam] == "storing" for naam in ONMISBAAR):
        status = "storing"
    elif "storing" in uitkomst.values():
        status = "beperkt"
    else:
        status = "ok"
    return {"status": status, "onderdelen": uitkomst}


@never_cache
def gereed(request):
    """The checks run at most once per GEZONDHEID_GELDIG_SECONDEN per process: a flood of
    probes does not become a flood of database writes and broker connections."""
    global _laatste
    geldig = settings.GEZONDHEID_GELDIG_SECONDEN
    with _slot:
        if _laatste is None or time.monotonic() - _laatste[0] >= geldig:
            _laatste = (time.monotonic(), _uitkomst())
        inhoud = _laatste[1]
    return JsonResponse(inhoud, status=503 if inhoud["status"] == "storing" else 200)


PADEN = {"/gezond/": leeft, "/gezond/gereed/": gereed}


class GezondheidMiddleware:
    """Answers the health paths first: before the host check (a load balancer probes an app
    machine by its address, not by the site's name), sessions, login and logging."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = PADEN.get(request.path_info)
        if view is not None and request.method in ("GET", "HEAD"):
            return view(request)
        return self.get_response(request)
