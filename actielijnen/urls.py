from django.urls import path

from actielijnen import doel_views, views

app_name = "actielijnen"

urlpatterns = [
    path("regio/<str:regio>/doelbereik/", doel_views.doelbereik_pagina, name="doelbereik"),
    path(
        "regio/<str:regio>/doelbereik/doel/<int:doel>/oordeel/",
        doel_views.oordeel_opslaan,
        name="oordeel_opslaan",
    ),
    path(
        "regio/<str:regio>/doelbereik/oordeel/<int:oordeel>/overgang/",
        doel_views.oordeel_overgang,
        name="oordeel_overgang",
    ),
    path(
        "regio/<str:regio>/voortgang/<str:periode>/",
        views.voortgang_overzicht,
        name="voortgang_overzicht",
    ),
    path(
        "projecten/<int:project>/voortgang/<str:periode>/",
        views.voortgang_update,
        name="voortgang_update",
    ),
    path(
        "projecten/<int:project>/voortgang/<str:periode>/overgang/",
        views.voortgang_overgang,
        name="voortgang_overgang",
    ),
]
