"""/odata/: the OData v4 feed (views.py) and StatLine-shaped tables for cbsodata (statline.py)."""

from django.urls import include, path, re_path

from regioaanpak.odata import statline, views

app_name = "odata"

urlpatterns = [
    path("", views.Dienst.as_view(), name="dienst"),
    path("$metadata", views.Metadata.as_view(), name="metadata"),
    re_path(r"^(?P<naam>[A-Za-z]+)/?$", views.Verzameling.as_view(), name="verzameling"),
    re_path(r"^(?P<naam>[A-Za-z]+)/(?P<tellen>\$count)$", views.Verzameling.as_view()),
    re_path(r"^(?P<naam>[A-Za-z]+)\((?P<entiteit>[^/]{1,120})\)$", views.Verzameling.as_view()),
]

# cbsodata: catalog_url "<server>/odata/statline/<token>" (or without token, with a header).
_statline = [
    path("ODataCatalog/Tables", statline.Catalogus.as_view()),
    re_path(
        r"^OData(?:Feed|Api)/odata/(?P<tabel>[A-Za-z0-9_-]{1,20})/?$", statline.Tabel.as_view()
    ),
    re_path(
        r"^OData(?:Feed|Api)/odata/(?P<tabel>[A-Za-z0-9_-]{1,20})/(?P<naam>[A-Za-z]{1,40})$",
        statline.Tabel.as_view(),
    ),
]
urlpatterns = [
    path("statline/", include(_statline)),
    path("statline/<str:sleutel>/", include(_statline)),
    *urlpatterns,
]
