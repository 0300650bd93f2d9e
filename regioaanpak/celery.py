"""The Celery app: configuration from the Django settings (CELERY_*), tasks from every app."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regioaanpak.settings")

app = Celery("regioaanpak")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
