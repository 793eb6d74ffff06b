import os
from pathlib import Path

from celery import Celery
from celery.signals import worker_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings")

app = Celery("servicedesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def ensure_broker_folders():
    """The filesystem transport does not create its folders; make them before first use."""
    from django.conf import settings

    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        for key in ("data_folder_in", "processed_folder", "control_folder"):
            Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS[key]).mkdir(parents=True, exist_ok=True)


@worker_init.connect
def _prepare_worker(**kwargs):
    ensure_broker_folders()


@worker_ready.connect
def _announce_worker(**kwargs):
    # /status/ shows the worker at once instead of after beat's first tick.
    app.send_task("servicedesk.heartbeat")
