from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from regioaanpak import inloggen, views

admin.site.site_header = "Regioaanpak monitor — beheer"
admin.site.site_title = "Regioaanpak monitor"
admin.site.index_title = "Beheer"

urlpatterns = [
    path("", views.home, name="home"),
    # Browsers ask for /favicon.ico on every page: the app's own icon, not a 404.
    path("favicon.ico", views.favicon),
    path("regio/<str:regio>/", views.regio, name="regio"),
    path(
        "regio/<str:regio>/volledigheid/<str:periode>/",
        views.volledigheid_pagina,
        name="volledigheid",
    ),
    path("regio/<str:regio>/vier-ogen/", views.vier_ogen, name="vier_ogen"),
    path("inloggen/", auth_views.LoginView.as_view(), name="login"),
    path("inloggen/code/", inloggen.tweestaps_code, name="tweestaps_code"),
    path("inloggen/tweestaps/", inloggen.tweestaps_instellen, name="tweestaps_instellen"),
    path("inloggen/tweestaps/uitzetten/", inloggen.tweestaps_uitzetten, name="tweestaps_uitzetten"),
    path(
        "wachtwoord/herstel/",
        auth_views.PasswordResetView.as_view(
            extra_context={"geldig_uren": settings.PASSWORD_RESET_TIMEOUT // 3600}
        ),
        name="password_reset",
    ),
    path(
        "wachtwoord/herstel/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "wachtwoord/herstel/klaar/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "wachtwoord/herstel/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "wachtwoord/wijzigen/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "wachtwoord/gewijzigd/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("", include("actielijnen.urls")),
    path("", include("monitoring.urls")),
    path("rapportage/", include("rapportage.urls")),
    path("api/v1/", include("regioaanpak.api.urls")),
    path("odata/", include("regioaanpak.odata.urls")),
    path("beheer/", admin.site.urls),
]

urlpatterns.append(path("metriek/", views.metriek))

handler400 = "regioaanpak.foutpaginas.onjuist_verzoek"
handler403 = "regioaanpak.foutpaginas.geen_toegang"
handler404 = "regioaanpak.foutpaginas.niet_gevonden"
handler500 = "regioaanpak.foutpaginas.serverfout"
