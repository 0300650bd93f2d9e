from django.urls import path

from rapportage import views

app_name = "rapportage"

urlpatterns = [
    path("", views.index, name="index"),
    path("<str:regio>/", views.archief, name="archief"),
    # Published versions before the concept paths: "versie" is not a period code.
    path("<str:regio>/versie/<int:pk>/", views.gepubliceerd, name="gepubliceerd"),
    path("<str:regio>/versie/<int:pk>/pdf/", views.download, name="download"),
    path("<str:regio>/<str:periode>/<str:soort>/", views.concept, name="concept"),
    path("<str:regio>/<str:periode>/<str:soort>/pdf/", views.concept_pdf, name="concept_pdf"),
    path("<str:regio>/<str:periode>/<str:soort>/publiceren/", views.publiceren, name="publiceren"),
]
