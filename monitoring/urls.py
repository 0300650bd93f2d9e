from django.urls import path

from monitoring import cbs_views, dashboard_views, risicoprofiel_views, views

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
    path("regio/<str:regio>/cbs/", cbs_views.cbs_vergelijking_pagina, name="cbs_vergelijking"),
    path(
        "regio/<str:regio>/risicoprofiel/",
        risicoprofiel_views.risicoprofiel_pagina,
        name="risicoprofiel",
    ),
    path(
        "regio/<str:regio>/risicoprofiel/meldingen/",
        risicoprofiel_views.risicoprofiel_meldingen,
        name="risicoprofiel_meldingen",
    ),
    path(
        "regio/<str:regio>/risicoprofiel/upload/",
        risicoprofiel_views.risicofactoren_upload,
        name="risicofactoren_upload",
    ),
    path(
        "regio/<str:regio>/risicoprofiel/upload/bevestigen/",
        risicoprofiel_views.risicofactoren_bevestigen,
        name="risicofactoren_bevestigen",
    ),
    path(
        "gemeente/<str:gemeente>/dashboard/",
        dashboard_views.gemeentedashboard_pagina,
        name="gemeentedashboard",
    ),
]
