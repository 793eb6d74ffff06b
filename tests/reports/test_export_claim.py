"""A report export is claimed with one conditional UPDATE (queued -> running): two workers
starting it at once build it once; a finished or running export is not built again (issue #17)."""

import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections, connections
from django.utils import timezone

from reports import services
from reports.models import ReportExport
from servicedesk.roles import Role
from tests.factories import make_staff


def _counting_builder(monkeypatch, calls):
    def build(export, progress):
        calls.append(threading.get_ident())
        return "rollup.xlsx", b"PK\x03\x04 workbook"

    monkeypatch.setattr(services, "build_weekly_rollup", build)


def test_only_a_queued_export_is_built(db, monkeypatch):
    calls = []
    _counting_builder(monkeypatch, calls)
    export = ReportExport.objects.create(requested_by=make_staff(Role.HEAD_OFFICE), period_key="2026-W47")
    assert services.export_build(export.pk).state == ReportExport.State.DONE
    assert services.export_build(export.pk).state == ReportExport.State.DONE
    running = ReportExport.objects.create(
        requested_by=export.requested_by, period_key="2026-W47", state=ReportExport.State.RUNNING
    )
    assert services.export_build(running.pk).state == ReportExport.State.RUNNING
    assert len(calls) == 1


@pytest.mark.concurrency
# every alias: under the topology run the export reads on the replica (reports/services.py)
@pytest.mark.django_db(transaction=True, databases="__all__")
def test_two_starts_at_once_build_the_export_once(postgres, monkeypatch):
    calls = []
    _counting_builder(monkeypatch, calls)
    export = ReportExport.objects.create(requested_by=make_staff(Role.HEAD_OFFICE), period_key="2026-W47")
    start = threading.Barrier(2)

    def worker():
        try:
            start.wait()
            services.export_build(export.pk)
        finally:
            close_old_connections()
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    export.refresh_from_db()
    assert export.state == ReportExport.State.DONE and export.file.name.endswith(".xlsx")


# --- A worker that died mid-build (issue #17): the sweep takes the export back ---------------


def _running(export, started_at, attempts=1):
    ReportExport.objects.filter(pk=export.pk).update(
        state=ReportExport.State.RUNNING, started_at=started_at, attempts=attempts, progress=40
    )


def test_a_claim_records_when_and_how_often(db, monkeypatch):
    _counting_builder(monkeypatch, [])
    export = ReportExport.objects.create(requested_by=make_staff(Role.HEAD_OFFICE), period_key="2026-W47")
    before = timezone.now()
    built = services.export_build(export.pk)
    assert built.state == ReportExport.State.DONE and built.attempts == 1
    assert before <= built.started_at <= timezone.now()


@pytest.mark.parametrize(
    ("claimed_minutes_ago", "swept"),
    [(29, False), (31, True)],  # REPORT_EXPORT_TIMEOUT = 30 minutes (the setting, below)
)
def test_a_running_export_older_than_the_timeout_is_queued_again_and_built(
    db, monkeypatch, settings, claimed_minutes_ago, swept
):
    settings.REPORT_EXPORT_TIMEOUT = timedelta(minutes=30)
    settings.REPORT_EXPORT_MAX_ATTEMPTS = 3
    calls, sent = [], []
    _counting_builder(monkeypatch, calls)
    monkeypatch.setattr(services, "enqueue", lambda task, export_id: sent.append(export_id))
    now = timezone.now()
    export = ReportExport.objects.create(requested_by=make_staff(Role.HEAD_OFFICE), period_key="2026-W47")
    ReportExport.objects.filter(pk=export.pk).update(created_at=now - timedelta(hours=1))
    _running(export, now - timedelta(minutes=claimed_minutes_ago))

    assert services.exports_resume_queued(now) == (1 if swept else 0)
    export.refresh_from_db()
    if not swept:
        assert export.state == ReportExport.State.RUNNING and sent == []
        return
    assert export.state == ReportExport.State.QUEUED and export.progress == 0 and sent == [export.pk]
    # The message sent by the sweep builds it, with the same conditional claim as the first time.
    assert services.export_build(export.pk).state == ReportExport.State.DONE
    export.refresh_from_db()
    assert export.attempts == 2 and len(calls) == 1


def test_the_sweep_gives_up_after_the_last_attempt(db, monkeypatch, settings):
    settings.REPORT_EXPORT_TIMEOUT = timedelta(minutes=30)
    settings.REPORT_EXPORT_MAX_ATTEMPTS = 3
    sent = []
    monkeypatch.setattr(services, "enqueue", lambda task, export_id: sent.append(export_id))
    now = timezone.now()
    user = make_staff(Role.HEAD_OFFICE)
    third = ReportExport.objects.create(requested_by=user, period_key="2026-W47")
    second = ReportExport.objects.create(requested_by=user, period_key="2026-W47")
    _running(third, now - timedelta(minutes=31), attempts=3)
    _running(second, now - timedelta(minutes=31), attempts=2)

    services.exports_resume_queued(now)
    third.refresh_from_db()
    second.refresh_from_db()
    assert third.state == ReportExport.State.FAILED and third.error == services.EXPORT_GAVE_UP
    assert third.finished_at == now
    assert second.state == ReportExport.State.QUEUED
    assert sent == [second.pk]
    # Swept twice: nothing more happens to either.
    sent.clear()
    services.exports_sweep_running(now + timedelta(minutes=5))
    third.refresh_from_db()
    assert third.state == ReportExport.State.FAILED and sent == []


def test_a_slow_worker_taken_over_by_the_sweep_does_not_overwrite_the_new_claim(db, monkeypatch, settings):
    """The first worker was only slow: by the time it finishes, the sweep queued the export and a
    second worker claimed it. The first worker's result is dropped; the second claim finishes it."""
    settings.REPORT_EXPORT_TIMEOUT = timedelta(minutes=30)
    export = ReportExport.objects.create(requested_by=make_staff(Role.HEAD_OFFICE), period_key="2026-W47")
    monkeypatch.setattr(services, "enqueue", lambda task, export_id: None)

    def slow_build(exp, progress):
        # While the first worker builds, the sweep (31 minutes later) takes it back and a second
        # worker claims it.
        ReportExport.objects.filter(pk=exp.pk).update(started_at=timezone.now() - timedelta(minutes=31))
        services.exports_sweep_running()
        monkeypatch.setattr(services, "build_weekly_rollup", lambda e, p: ("second.xlsx", b"second"))
        services.export_build(exp.pk)
        return "first.xlsx", b"first"

    monkeypatch.setattr(services, "build_weekly_rollup", slow_build)
    services.export_build(export.pk)
    export.refresh_from_db()
    assert export.state == ReportExport.State.DONE and export.attempts == 2
    assert export.file.read() == b"second"
