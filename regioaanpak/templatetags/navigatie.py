"""The navigation of a region's pages: a breadcrumb whose parts link, and the region's menu
with only what the viewer's roles can use ({% load navigatie %}{% regionav regio "dashboard" %})."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils import timezone

from regioaanpak.choices import RolSoort
from regioaanpak.inzage import inzage
from regioaanpak.overzicht import standaard_kwartaal
from regioaanpak.toegang import heeft_rol

register = template.Library()


@register.inclusion_tag("regioaanpak/_regionav.html", takes_context=True)
def regionav(context, regio, actief: str = "", kruimel: str = ""):
    request = context["request"]
    beleid = inzage(request)
    code = regio.code
    kwartaal = standaard_kwartaal(regio, timezone.localdate()).code
    links = [("dashboard", "Dashboard", reverse("monitoring:regiodashboard", args=[code]))]
    if beleid.mag_onvoltooid(code):  # who enters or reviews
        links += [
            ("volledigheid", "Volledigheid", reverse("volledigheid", args=[code, kwartaal])),
            (
                "voortgang",
                "Voortgang",
                reverse("actielijnen:voortgang_overzicht", args=[code, kwartaal]),
            ),
            (
                "cijfers",
                "Cijfers invoeren" if beleid.mag_schrijven(code) else "Cijfers beoordelen",
                reverse("monitoring:gegevensgrid_start", args=[code]),
            ),
        ]
    links += [
        ("doelbereik", "Doelbereik", reverse("actielijnen:doelbereik", args=[code])),
        ("rapportages", "Rapportages", reverse("rapportage:archief", args=[code])),
        ("risicoprofiel", "Risicoprofiel", reverse("monitoring:risicoprofiel", args=[code])),
        ("cbs", "Eigen cijfers en CBS", reverse("monitoring:cbs_vergelijking", args=[code])),
    ]
    if heeft_rol(request.user, code, RolSoort.BEHEERDER):
        links.append(("vier_ogen", "Vier ogen", reverse("vier_ogen", args=[code])))
    if heeft_rol(request.user, code, RolSoort.PARTNER):
        links.append(("api", "API", reverse("api:docs")))
    return {
        "regio": regio,
        "links": [{"naam": n, "tekst": t, "url": u, "actief": n == actief} for n, t, u in links],
        "kruimel": kruimel,
        "actief_tekst": next((t for n, t, _u in links if n == actief), ""),
    }
