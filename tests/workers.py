"""A real Celery worker for a test: its own process, on a queue of its own, against Redis and
the test database. Used where a test must show that a task runs outside the test process."""

import os
import subprocess
import sys
import time
import uuid
import warnings
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from celery.exceptions import AlwaysEagerIgnored
from django.db import connection

from servicedesk.celery import app

ROOT = Path(__file__).resolve().parent.parent


def database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    def __init__(self, process, queue, redis_url):
        self.process, self.queue, self.redis_url = process, queue, redis_url

    def send(self, task_name, **kwargs):
        # send_task always goes to the broker (the test settings' eager mode does not apply).
        with warnings.catch_warnings(), app.connection_for_write(self.redis_url) as conn:
            warnings.simplefilter("ignore", AlwaysEagerIgnored)
            app.send_task(task_name, kwargs=kwargs, queue=self.queue, connection=conn)

    def wait_for(self, condition, seconds=60):
        """Poll the database until `condition()` holds; fail with the worker's log if it dies."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if condition():
                return True
            assert self.process.poll() is None, self.process.stdout.read()
            time.sleep(0.3)
        return False


@contextmanager
def real_worker(redis_url, queues=()):
    """A worker on a queue of its own; with `queues`, on those (the project's real ones); with
    queues=None, on every queue of the settings, as `make run`'s worker (no -Q)."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    listen = ["-Q", ",".join(queues or [queue])] if queues is not None else []
    env = dict(
        os.environ, DATABASE_URL=database_url(), REDIS_URL=redis_url, DJANGO_SETTINGS_MODULE="servicedesk.settings"
    )
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    runner = ["celery"]
    if os.environ.get("PIN_CLOCK"):  # the worker keeps the test's (pinned) time, not the real one
        env["WORKER_CLOCK"] = datetime.now(UTC).isoformat()
        runner = ["tests.pinned_worker"]
    command = [
        sys.executable,
        "-m",
        *runner,
        "-A",
        "servicedesk",
        "worker",
        *listen,
        "-n",
        f"{queue}@%h",
        "--pool",
        "solo",
        "--loglevel",
        "INFO",
        "--without-mingle",
        "--without-gossip",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        yield Worker(process, queue, redis_url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
