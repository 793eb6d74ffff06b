"""A real Celery worker, started as its own process against Redis and the test database,
picks up a task and its effect lands in PostgreSQL."""

import os
import subprocess
import sys
import time
import uuid
import warnings
from pathlib import Path

import pytest
from celery.exceptions import AlwaysEagerIgnored
from django.db import connection

from servicedesk.celery import app
from servicedesk.models import Heartbeat

ROOT = Path(__file__).resolve().parents[2]


def database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_worker_round_trip_through_redis(postgres, redis_url):
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
        # send_task always goes to the broker (the test settings' eager mode does not apply).
        with warnings.catch_warnings(), app.connection_for_write(redis_url) as conn:
            warnings.simplefilter("ignore", AlwaysEagerIgnored)
            app.send_task("servicedesk.heartbeat", kwargs={"source": "roundtrip"}, queue=queue, connection=conn)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not Heartbeat.objects.filter(name="roundtrip").exists():
            assert worker.poll() is None, worker.stdout.read()
            time.sleep(0.3)
        beat = Heartbeat.objects.filter(name="roundtrip").first()
        assert beat is not None, "the worker did not run the task within 60 s"
        assert queue in beat.detail, "recorded by the worker we started"
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
