"""Logging in beyond the password: the second step (TOTP, django-otp) and its set-up.

The password is checked by Django's LoginView, guarded by django-axes (lockout after repeated
failures per user name and per address). TweeStapsMiddleware then sends a user who has an
authenticator app, or must have one (beheerders and staff with TWEESTAPS_VERPLICHT), here
before anything else. Resetting a forgotten password is Django's own flow (urls.py).
"""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from regioaanpak.middleware import TWEESTAPS_SESSIE, tweestaps_verplicht

NIEUW = "nieuwe authenticator-app"


def _volgende(request: HttpRequest) -> str:
    doel = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        doel, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return doel
    return "/"


def _code(request: HttpRequest) -> str:
    return "".join(ch for ch in request.POST.get("code", "") if ch.isdigit())[:8]


TE_SNEL = (
    "Na een foute code wacht de monitor steeds langer (1, 2, 4 ... seconden) voor hij een nieuwe "
    "code aanneemt. Wacht even en typ dan de code die de app op dat moment toont."
)


def _reden(te_snel: bool) -> str:
    """Why a code was refused: throttled after earlier wrong codes, or simply wrong."""
    if te_snel:
        return TE_SNEL
    return "De code klopt niet of is verlopen. Typ de code die de app nu toont."


def _te_snel(apparaten) -> bool:
    return any(not a.verify_is_allowed()[0] for a in apparaten)


@login_required
def tweestaps_code(request: HttpRequest) -> HttpResponse:
    """The six digits of the authenticator app, after the password."""
    apparaten = list(devices_for_user(request.user, confirmed=True))
    if not apparaten:
        request.session.pop(TWEESTAPS_SESSIE, None)
        return redirect(_volgende(request))
    fout = ""
    if request.method == "POST":
        code = _code(request)
        te_snel = _te_snel(apparaten)
        for apparaat in apparaten:
            if code and apparaat.verify_token(code):
                otp_login(request, apparaat)
                return redirect(_volgende(request))
        fout = _reden(te_snel)
    return render(
        request,
        "registration/tweestaps_code.html",
        {"next": _volgende(request), "fout": fout},
        status=400 if fout else 200,
    )


@login_required
def tweestaps_instellen(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), confirm one code."""
    apparaat = TOTPDevice.objects.filter(user=request.user, confirmed=False, name=NIEUW).first()
    if apparaat is None:
        apparaat = TOTPDevice.objects.create(user=request.user, name=NIEUW, confirmed=False)
    fout = ""
    if request.method == "POST":
        code = _code(request)
        te_snel = _te_snel([apparaat])
        if code and apparaat.verify_token(code):
            apparaat.confirmed = True
            apparaat.name = "authenticator-app"
            apparaat.save(update_fields=["confirmed", "name"])
            request.session[TWEESTAPS_SESSIE] = True
            otp_login(request, apparaat)
            messages.success(
                request,
                "Tweestapsverificatie staat aan: voortaan vraagt de monitor na uw wachtwoord de "
                "code uit de app.",
            )
            return redirect(_volgende(request))
        fout = _reden(te_snel)
    sleutel = apparaat.config_url.split("secret=", 1)[1].split("&", 1)[0]
    return render(
        request,
        "registration/tweestaps_instellen.html",
        {
            "qr": segno.make(apparaat.config_url, error="m").svg_data_uri(scale=5, border=2),
            "sleutel": " ".join(sleutel[i : i + 4] for i in range(0, len(sleutel), 4)),
            "verplicht": tweestaps_verplicht(request.user),
            "heeft_al": any(True for _a in devices_for_user(request.user, confirmed=True)),
            "next": _volgende(request),
            "fout": fout,
        },
        status=400 if fout else 200,
    )


@login_required
@require_POST
def tweestaps_uitzetten(request: HttpRequest) -> HttpResponse:
    """Remove one's own authenticator app: only for those who need no second step."""
    if tweestaps_verplicht(request.user):
        messages.error(request, "Voor uw rol is tweestapsverificatie verplicht.")
        return redirect("tweestaps_instellen")
    TOTPDevice.objects.filter(user=request.user).delete()
    request.session[TWEESTAPS_SESSIE] = False
    messages.success(request, "Tweestapsverificatie staat uit.")
    return redirect("home")
