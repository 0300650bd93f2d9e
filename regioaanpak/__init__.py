# Load the Celery app with Django, so @shared_task functions bind to it.
from regioaanpak.celery import app as celery_app

__all__ = ("celery_app",)
