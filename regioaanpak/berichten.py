"""E-mails of the workflow that go to one person: returned work goes back to who submitted it."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def _naam(gebruiker) -> str:
    return (gebruiker.get_full_name() or gebruiker.get_username()) if gebruiker else _("iemand")


def mail_teruggestuurd(obj, *, wat: str, pad: str, basis_url: str = "") -> None:
    """Tell the submitter that `obj` (an update or a delivery) was returned, why and where to
    fix it. Called after the commit; a mail server hiccup is logged, never an error page."""
    ontvanger = obj.ingediend_door
    if ontvanger is None or not ontvanger.email:
        return
    basis = (basis_url or settings.SITE_URL).rstrip("/")
    onderwerp = _("Teruggestuurd: %(wat)s") % {"wat": wat}
    tekst = _(
        "Beste %(naam)s,\n\n"
        "%(door)s heeft %(wat)s teruggestuurd met deze reden:\n\n  %(reden)s\n\n"
        "Pas het aan en dien het opnieuw in:\n%(link)s\n\n"
        "Met vriendelijke groet,\nRegioaanpak monitor"
    ) % {
        "naam": _naam(ontvanger),
        "door": _naam(obj.beoordeeld_door),
        "wat": wat,
        "reden": obj.reden or _("(geen reden opgegeven)"),
        "link": f"{basis}{pad}",
    }
    try:
        send_mail(onderwerp, tekst, None, [ontvanger.email], fail_silently=False)
    except Exception:
        logger.exception("E-mail over teruggestuurd %s niet verstuurd", wat)
