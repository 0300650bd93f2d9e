from django.urls import path

from actielijnen import views

app_name = "actielijnen"

urlpatterns = [
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
