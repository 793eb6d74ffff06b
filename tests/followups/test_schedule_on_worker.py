"""The daily scheduling task, run by a real Celery worker through Redis against the test
database (pattern of tests/servicedesk/test_celery_worker.py)."""

import os
import subprocess
import sys
import time
import uuid
import warnings
from datetime import timedelta

import pytest
from celery.exceptions import AlwaysEagerIgnored
from django.utils import timezone

from followups.models import Callback, CallbackKind
from servicedesk.celery import app
from tests.followups.factories import SaleFactory
from tests.servicedesk.test_celery_worker import ROOT, database_url


@pytest.mark.django_db(transaction=True)
def test_daily_scheduling_runs_on_a_real_worker(postgres, redis_url, mall, staff):
    officer = staff("complaint_officer")
    sale = SaleFactory(mall=mall, delivery_date=timezone.localdate() - timedelta(days=1))
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = dict(
        os.environ, DATABASE_URL=database_url(), REDIS_URL=redis_url, DJANGO_SETTINGS_MODULE="servicedesk.settings"
    )
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "servicedesk",
            "worker",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--pool",
            "solo",
            "--loglevel",
            "INFO",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        with warnings.catch_warnings(), app.connection_for_write(redis_url) as conn:
            warnings.simplefilter("ignore", AlwaysEagerIgnored)
            for _ in range(2):  # twice: the second run must create nothing
                app.send_task("followups.schedule_callbacks", queue=queue, connection=conn)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not Callback.objects.filter(sale=sale).exists():
            assert worker.poll() is None, worker.stdout.read()
            time.sleep(0.3)
        time.sleep(1)  # let the second message finish too
        callback = Callback.objects.get(sale=sale)
        assert callback.kind == CallbackKind.AFTER_SALE and callback.assignee == officer
        assert Callback.objects.count() == 1
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
