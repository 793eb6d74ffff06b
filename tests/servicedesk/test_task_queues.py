"""Two Celery queues: heavy jobs (imports, exports, report builds, the daily scheduling) on
"heavy", everything else (reminders, notifications, SLA scans, heartbeat) on "celery", so a long
import never holds up a reminder. `make run`'s single worker consumes both."""

import warnings

import pytest
import redis
from celery.exceptions import AlwaysEagerIgnored

from reports.models import ReportExport
from servicedesk import status
from servicedesk.celery import app
from servicedesk.models import Heartbeat
from servicedesk.roles import Role
from tests.workers import real_worker

# From the issue: imports, exports, report builds, daily scheduling.
HEAVY = {
    "followups.import_sales",  # the sales import
    "followups.resume_queued_imports",  # runs imports whose message was lost
    "reports.build_export",  # the rollup export
    "reports.weekly_reports",  # Monday's report build for every mall
    "followups.schedule_callbacks",  # the daily scheduling over every sale
}
QUICK = {
    "servicedesk.heartbeat",
    "servicedesk.email_notifications",
    "servicedesk.send_unsent_notifications",
    "compensations.remind",
    "complaints.scan_deadlines",
    "returns.refund_reminder_scan",
    "exchanges.delay_scan",
}


def queue_of(name):
    return app.amqp.router.route({}, name)["queue"].name


def test_heavy_jobs_have_their_own_queue_and_everything_else_stays_quick():
    app.loader.import_default_modules()
    ours = {name for name in app.tasks if not name.startswith("celery.")}
    assert ours >= HEAVY | QUICK
    for name in sorted(ours):
        assert queue_of(name) == ("heavy" if name in HEAVY else "celery"), name


def test_the_two_queues_are_declared_so_a_worker_without_q_consumes_both():
    assert set(app.conf.task_queues) == {"celery", "heavy"}
    assert app.conf.task_default_queue == "celery"


@pytest.mark.django_db(transaction=True)
def test_a_quick_worker_never_waits_behind_a_heavy_job(postgres, redis_url, staff, tmp_path, monkeypatch):
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path))
    broker = redis.Redis.from_url(redis_url)
    broker.delete("celery", "heavy")
    export = ReportExport.objects.create(requested_by=staff(Role.HEAD_OFFICE), period_key="2026-W47")
    with real_worker(redis_url, queues=["celery"]) as quick:  # production's quick worker
        with warnings.catch_warnings(), app.connection_for_write(redis_url) as conn:  # routed by the settings
            warnings.simplefilter("ignore", AlwaysEagerIgnored)  # the test settings' eager mode does not apply
            app.send_task("reports.build_export", args=[export.pk], connection=conn)
            app.send_task("servicedesk.heartbeat", kwargs={"source": "beat"}, connection=conn)
        assert quick.wait_for(lambda: Heartbeat.objects.filter(name="beat").exists()), "the quick job did not run"
        assert broker.llen("heavy") == 1  # the export waits on its own queue
        export.refresh_from_db()
        assert export.state == ReportExport.State.QUEUED
    with real_worker(redis_url, queues=None) as both:  # `make run`: one worker, both queues
        assert both.wait_for(lambda: ReportExport.objects.get(pk=export.pk).state == ReportExport.State.DONE)
    assert broker.llen("heavy") == 0


@pytest.mark.django_db
def test_status_names_a_queue_that_no_worker_consumes(client, staff, monkeypatch):
    monkeypatch.setattr(status, "ping_workers", lambda timeout=1.0: ["quick@desk1"])
    monkeypatch.setattr(status, "worker_queues", lambda timeout=1.0: {"quick@desk1": ["celery"]})
    client.force_login(staff(Role.ADMIN))
    response = client.get("/status/")
    check = next(c for c in response.context["checks"] if c.name == "Celery 队列")
    assert not check.ok and "heavy: 没有工作进程" in check.detail and "celery: quick@desk1" in check.detail
    assert response.status_code == 503

    monkeypatch.setattr(
        status, "worker_queues", lambda timeout=1.0: {"quick@desk1": ["celery"], "heavy@desk2": ["heavy"]}
    )
    check = next(c for c in client.get("/status/").context["checks"] if c.name == "Celery 队列")
    assert check.ok and "heavy: heavy@desk2" in check.detail
