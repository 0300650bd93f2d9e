from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from regioaanpak import views

admin.site.site_header = "Regioaanpak monitor — beheer"
admin.site.site_title = "Regioaanpak monitor"
admin.site.index_title = "Beheer"

urlpatterns = [
    path("", views.home, name="home"),
    path("regio/<str:regio>/", views.regio, name="regio"),
    path(
        "regio/<str:regio>/volledigheid/<str:periode>/",
        views.volledigheid_pagina,
        name="volledigheid",
    ),
    path("regio/<str:regio>/vier-ogen/", views.vier_ogen, name="vier_ogen"),
    path("inloggen/", auth_views.LoginView.as_view(), name="login"),
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
    path("beheer/", admin.site.urls),
]
