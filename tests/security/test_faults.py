"""Faults with the real services: Redis stopped, a task delivered twice, a dropped database
connection. Marked `faults`; CI runs them (CI=true), a developer with FAULTS=1.

The Redis here is a private redis-server this test starts on a spare port and stops, so the
outage hits nobody else on the machine (other sessions share 127.0.0.1:6379). Database outages
are simulated by terminating this test's own PostgreSQL backend, not by restarting the shared
cluster: from the app's side both look the same (its connection is gone).
"""

import os
import shutil
import socket
import subprocess
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from compensations.models import Compensation
from servicedesk.celery import app
from servicedesk.models import Notification
from servicedesk.notifications import send_notification_emails, send_unsent_notifications
from servicedesk.roles import Role
from tests.compensations.factories import escalated_complaint, proposal
from tests.conftest import IN_CI

pytestmark = [
    pytest.mark.faults,
    pytest.mark.skipif(not (IN_CI or os.environ.get("FAULTS")), reason="fault drills: set FAULTS=1 (CI runs them)"),
]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    def __init__(self):
        if shutil.which("redis-server") is None:
            pytest.fail("redis-server is not installed")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(50):
            if subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True).stdout == b"PONG\n":
                return
            time.sleep(0.1)
        pytest.fail("private redis-server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def broker():
    """Celery publishes to a private Redis for the test (not eager), restored afterwards."""
    redis = PrivateRedis()
    redis.start()
    saved = {key: app.conf[key] for key in ("broker_url", "broker_write_url", "task_always_eager")}
    app.conf.update(broker_url=redis.url, broker_write_url=redis.url, task_always_eager=False)
    app._pool = None
    try:
        yield redis
    finally:
        redis.stop()
        app.conf.update(saved)
        app._pool = None


@pytest.mark.django_db
def test_redis_down_desk_work_saves_and_the_notifications_go_out_when_it_is_back(broker, client, mall, staff):
    officer, manager = staff(Role.COMPLAINT_OFFICER), staff(Role.MANAGER, email="manager@example.com")
    complaint = escalated_complaint(mall)
    broker.stop()  # Redis is down from here on

    client.force_login(officer)
    response = client.post(reverse("compensations:propose", args=[complaint.pk]), proposal("3000.00"))
    assert response.status_code == 302, response.context and response.context["form"].errors
    case = Compensation.objects.get()
    client.force_login(manager)
    response = client.post(reverse("compensations:decide", args=[case.pk]), {"decision": "approved", "step": 1})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.approvals.count() == 1, "the approval is saved with Redis down"
    unsent = Notification.objects.filter(emailed_at__isnull=True)
    assert unsent.exists() and not mail.outbox, "nothing e-mailed yet, nothing lost either"
    waiting = unsent.count()

    broker.start()  # Redis is back; beat's sweep runs within five minutes
    sent = send_unsent_notifications(now=timezone.now() + timedelta(minutes=5))
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    assert sent == len(mail.outbox) and sent <= waiting
    assert any(manager.email in message.to for message in mail.outbox)
    assert send_unsent_notifications(now=timezone.now() + timedelta(minutes=10)) == 0, "nobody gets it twice"


@pytest.mark.django_db
def test_a_task_delivered_twice_has_its_effect_once(mall, staff):
    """acks_late redelivers a task whose worker died; the e-mail task claims its rows, so the
    second delivery (or the sweep) sends nothing again."""
    user = staff(Role.MANAGER, email="m@example.com")
    notification = Notification.objects.create(recipient=user, mall=mall, key="drill", title="演练")
    assert send_notification_emails([notification.pk]) == 1
    assert send_notification_emails([notification.pk]) == 0
    assert send_unsent_notifications(now=timezone.now() + timedelta(hours=1)) == 0
    assert len(mail.outbox) == 1


def test_celery_is_configured_to_redeliver_a_killed_workers_task():
    from django.conf import settings

    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1


@pytest.mark.django_db
def test_a_dropped_database_connection_is_replaced_on_the_next_request(postgres):
    """What a PostgreSQL restart does to the app: its connection is gone. With health checks
    (CONN_HEALTH_CHECKS, settings/base.py) the next request opens a fresh one instead of failing.

    The app's connection here is a second connection made like the web process's; the test's
    own connection terminates it, as a restart would.
    """
    from django.conf import settings
    from django.db import connections

    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"]
    web = connections.create_connection("default")
    web.settings_dict = {**web.settings_dict, "CONN_HEALTH_CHECKS": True, "CONN_MAX_AGE": 60}
    try:
        with web.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        web.close_if_unusable_or_obsolete()  # what request_started does before every request
        with web.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            assert cursor.fetchone()[0] != pid
    finally:
        web.close()


@pytest.mark.django_db
def test_redis_down_an_export_request_still_succeeds_and_the_sweep_sends_it_later(
    broker, client, mall, staff, monkeypatch, django_capture_on_commit_callbacks
):
    """Issue 17: report exports were published with .delay(), so with Redis down the request
    failed after its row was saved, and a lost message left the export queued for ever."""
    from reports import views
    from reports.models import ReportExport
    from reports.services import exports_resume_queued

    monkeypatch.setattr(views, "EXPORT_INLINE_LIMIT", 0)
    client.force_login(staff(Role.HEAD_OFFICE))
    broker.stop()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("reports:rollup"), {"week": "2026-W47", "format": "xlsx"})
    export = ReportExport.objects.get()
    assert response.status_code == 302 and response.url == reverse("reports:export", args=[export.pk])
    assert export.state == ReportExport.State.QUEUED

    broker.start()
    assert exports_resume_queued(now=timezone.now()) == 0, "a fresh export's message may still arrive"

    # Beat's sweep (every 5 minutes) hands a lost export to a worker again; a second sweep
    # while it is still queued sends it again (the build claims the row once).
    assert exports_resume_queued(now=timezone.now() + timedelta(minutes=5)) == 1
    assert exports_resume_queued(now=timezone.now() + timedelta(minutes=10)) == 1
