"""Warm-up of a production process before it forks its workers (deploy/gunicorn.conf.py).

A fresh worker spent 0,6-1 s on its first requests: importing the view modules (plotly, pandas,
the API), compiling the templates and loading the Dutch catalogue. With `preload_app` the
master does that once, before forking, so every worker (also one renewed after
GUNICORN_MAX_REQUESTS) starts warm and shares those pages of memory.

Nothing here touches the database or the cache: connections opened before a fork would be
shared by every worker. Whatever was opened anyway is closed at the end.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

logger = logging.getLogger(__name__)


def _sjablonen() -> list[str]:
    """The names of the project's own templates (not those of installed packages)."""
    from django.conf import settings

    basis = Path(settings.BASE_DIR)
    mappen = [Path(m) for m in settings.TEMPLATES[0]["DIRS"]]
    mappen += [p for p in basis.glob("*/templates") if ".venv" not in p.parts]
    namen = set()
    for map_ in mappen:
        for bestand in map_.rglob("*.html"):
            namen.add(bestand.relative_to(map_).as_posix())
    return sorted(namen)


def _adressen(resolver) -> None:
    """The resolver's reverse tables, of every namespace (Django fills them on first use)."""
    resolver.reverse_dict  # noqa: B018
    for _prefix, onder in resolver.namespace_dict.values():
        _adressen(onder)


def opwarmen() -> dict:
    """Import, compile and load what a request needs; returns what was done (for the log)."""
    from django.db import connections
    from django.template import TemplateDoesNotExist, TemplateSyntaxError
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import translation

    begin = time.perf_counter()
    _adressen(get_resolver())  # imports every view module and prepares reverse()
    translation.activate("nl")
    translation.gettext("Inloggen")
    sjablonen = 0
    for naam in _sjablonen():
        try:
            get_template(naam)
        except (TemplateDoesNotExist, TemplateSyntaxError):  # a fragment for another engine
            continue
        sjablonen += 1
    translation.deactivate()
    connections.close_all()
    uitkomst = {"sjablonen": sjablonen, "seconden": round(time.perf_counter() - begin, 2)}
    logger.info("opgewarmd", extra=uitkomst)
    return uitkomst
