"""A report export is claimed with one conditional UPDATE (queued -> running): two workers
starting it at once build it once; a finished or running export is not built again (issue #17)."""

import threading

import pytest
from django.db import close_old_connections, connections

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
