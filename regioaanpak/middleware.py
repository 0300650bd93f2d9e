"""A question for an area outside the viewer's reach is a refusal, never a server error.

The figure selector refuses such areas (`BuitenBereik`); views check access before they ask, so
this is the safety net for a page that asks more than it should: a Dutch 403 (JSON under /api/)
and a warning in the log, so the page gets fixed."""

from __future__ import annotations

import logging

from django.http import JsonResponse
from django.shortcuts import render

from monitoring.selectors.cijfers import BuitenBereik

logger = logging.getLogger(__name__)


class BuitenBereikMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, BuitenBereik):
            return None
        logger.warning("Buiten bereik op %s: %s", request.path, exception)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": str(exception)}, status=403)
        return render(request, "buiten_bereik.html", {"melding": str(exception)}, status=403)
