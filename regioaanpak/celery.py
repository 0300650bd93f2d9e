"""The Celery app: configuration from the Django settings (CELERY_*), tasks from every app.

A task carries the request id of the request that started it (header `verzoek_id`), so the log
lines of a batch report in the worker can be found with the request id of the click that
started it.
"""

import os

from celery import Celery
from celery.signals import before_task_publish, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "regioaanpak.settings")

app = Celery("regioaanpak")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@before_task_publish.connect
def _geef_verzoek_id_mee(headers=None, **kwargs):
    from regioaanpak.logboek import huidig_verzoek_id

    if headers is not None and (verzoek_id := huidig_verzoek_id()) != "-":
        headers.setdefault("verzoek_id", verzoek_id)


@task_prerun.connect
def _neem_verzoek_id_over(task=None, **kwargs):
    from regioaanpak.logboek import zet_verzoek_id

    if task is None or task.request.is_eager:
        return  # in-process (no broker): the task runs inside the request and keeps its id
    zet_verzoek_id(getattr(task.request, "verzoek_id", None))
