from django.urls import path

from rapportage import views

app_name = "rapportage"

urlpatterns = [
    path("", views.index, name="index"),
    path("taken/<int:pk>/", views.taak, name="taak"),
    path("taken/<int:pk>/pdf/<str:regio>/", views.taak_pdf, name="taak_pdf"),
    path("<str:regio>/", views.archief, name="archief"),
    path("<str:regio>/genereren/", views.genereren, name="genereren"),
    # Published versions before the concept paths: "versie" is not a period code.
    path("<str:regio>/versie/<int:pk>/", views.gepubliceerd, name="gepubliceerd"),
    path("<str:regio>/versie/<int:pk>/pdf/", views.download, name="download"),
    path("<str:regio>/<str:periode>/<str:soort>/", views.concept, name="concept"),
    path("<str:regio>/<str:periode>/<str:soort>/pdf/", views.concept_pdf, name="concept_pdf"),
    path("<str:regio>/<str:periode>/<str:soort>/publiceren/", views.publiceren, name="publiceren"),
]
