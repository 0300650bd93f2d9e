from django.urls import path

from monitoring import dashboard_views, views

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
    # Dashboards for aldermen; filters in the query string (periode, indicator, ingediend).
    path(
        "regio/<str:regio>/dashboard/",
        dashboard_views.regiodashboard_pagina,
        name="regiodashboard",
    ),
    path(
        "gemeente/<str:gemeente>/dashboard/",
        dashboard_views.gemeentedashboard_pagina,
        name="gemeentedashboard",
    ),
]
