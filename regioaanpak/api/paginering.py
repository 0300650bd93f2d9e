"""Cursor pagination with a stable order, for querysets and for computed lists."""

from __future__ import annotations

import base64
import binascii
from collections import OrderedDict

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

MAX_PER_PAGINA = 1000


class Cursor(CursorPagination):
    """Pages of at most 1.000, in order of the primary key: new rows never shift a page."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = MAX_PER_PAGINA
    ordering = "pk"
    invalid_cursor_message = _("Ongeldige cursor; gebruik de links 'next' en 'previous'.")
    cursor_query_description = _("Cursor van de pagina: volg de links 'next' en 'previous'.")
    page_size_query_description = _("Aantal resultaten per pagina (standaard 100, hoogstens 1000).")

    def decode_cursor(self, request):
        """DRF's cursor, with its position checked: the order is the primary key, so a position
        is a whole number; anything else ('p=', a text) is an invalid cursor, not a 500."""
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            positie = str(cursor.position)
            if not positie.isdigit() or len(positie) > 19:
                raise NotFound(self.invalid_cursor_message)
        return cursor


class LijstCursor:
    """Cursor pagination over a computed, deterministically ordered list.

    The list of the figure selector is the same grid (indicator x area x period) for the same
    question, so a position in it is a stable cursor.
    """

    cursor_query_param = "cursor"
    page_size = Cursor.page_size
    max_page_size = MAX_PER_PAGINA

    def _positie(self, request) -> int:
        ruw = request.query_params.get(self.cursor_query_param)
        if not ruw:
            return 0
        try:
            positie = int(base64.urlsafe_b64decode(ruw.encode("ascii")).decode("ascii"))
        except (ValueError, binascii.Error, UnicodeError):
            raise NotFound(Cursor.invalid_cursor_message) from None
        if positie < 0:
            raise NotFound(Cursor.invalid_cursor_message)
        return positie

    def _grootte(self, request) -> int:
        try:
            grootte = int(request.query_params.get("page_size", self.page_size))
        except ValueError:
            return self.page_size
        return max(1, min(grootte, self.max_page_size))

    def _link(self, request, positie: int | None) -> str | None:
        if positie is None:
            return None
        url = request.build_absolute_uri()
        if positie == 0:
            return remove_query_param(url, self.cursor_query_param)
        code = base64.urlsafe_b64encode(str(positie).encode("ascii")).decode("ascii")
        return replace_query_param(url, self.cursor_query_param, code)

    def response(self, request, items: list) -> Response:
        positie = self._positie(request)
        grootte = self._grootte(request)
        pagina = items[positie : positie + grootte]
        volgende = positie + grootte if positie + grootte < len(items) else None
        vorige = max(0, positie - grootte) if positie > 0 else None
        return Response(
            OrderedDict(
                [
                    ("next", self._link(request, volgende)),
                    ("previous", self._link(request, vorige)),
                    ("results", pagina),
                ]
            )
        )
