from django.urls import path

from monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("regio/<str:regio>/cijfers/", views.gegevensgrid_start, name="gegevensgrid_start"),
    path(
        "regio/<str:regio>/cijfers/<str:periode>/",
        views.gegevensgrid_pagina,
        name="gegevensgrid",
    ),
    path(
        "regio/<str:regio>/cijfers/<str:periode>/upload/",
        views.gegevens_upload,
        name="gegevens_upload",
    ),
    path(
        "regio/<str:regio>/cijfers/<str:periode>/upload/bevestigen/",
        views.gegevens_upload_bevestigen,
        name="gegevens_upload_bevestigen",
    ),
    path(
        "regio/<str:regio>/cijfers/<str:periode>/overgang/",
        views.gegevens_overgang,
        name="gegevens_overgang",
    ),
]
