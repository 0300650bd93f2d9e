from django.urls import path

from rapportage import views

app_name = "rapportage"

urlpatterns = [path("", views.index, name="index")]
