"""Health endpoints for a load balancer or an orchestrator; no login, nothing sensitive.

- /gezond/ (liveness): the process answers. No database, so a database outage does not make
  the orchestrator restart every app process.
- /gezond/gereed/ (readiness): the database, the shared cache (with REDIS_URL), the broker (with
  CELERY_BROKER_URL) and the file storage each answer; 200 or 503 with one word per part
  ("ok", "storing" or "niet ingesteld"). Never error texts: they could name hosts or users.
"""

from __future__ import annotations

import functools
import inspect
import logging

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


@never_cache
def gereed(request):
    uitkomst = {
        naam: (_controleer(controle()) if _ingesteld(naam) else "niet ingesteld")
        for naam, controle in onderdelen().items()
    }
    goed = all(w != "storing" for w in uitkomst.values())
    return JsonResponse(
        {"status": "ok" if goed else "storing", "onderdelen": uitkomst},
        status=200 if goed else 503,
    )


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
