from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from actielijnen.selectors import regioaanpakken_overzicht
from regioaanpak.selectors import regios_van_gebruiker


@login_required
def home(request: HttpRequest) -> HttpResponse:
    regios = regios_van_gebruiker(request.user)
    return render(
        request,
        "regioaanpak/home.html",
        {"overzicht": regioaanpakken_overzicht(regios=regios), "regios": regios},
    )
