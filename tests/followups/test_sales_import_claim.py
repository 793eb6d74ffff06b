"""A sales import run is claimed with one conditional UPDATE, so two workers starting the same
run at once (a redelivered message, the sweep and the task) import it once (issue #17)."""

import threading

import pytest
import time_machine
from django.db import close_old_connections, connection

from followups.models import ImportStatus, Sale, SalesImport
from followups.services import sales_import as importer
from tests.followups.factories import sale_row, write_csv
from tests.merchants.factories import BoothFactory


def test_a_run_being_worked_on_is_not_claimed_again(db, mall, tmp_path):
    run = SalesImport.objects.create(mall=mall, file_name="sales.csv", source_path=str(tmp_path / "x.csv"))
    assert importer._claim(run.pk) is not None
    assert importer._claim(run.pk) is None  # running, heartbeat fresh
    SalesImport.objects.filter(pk=run.pk).update(status=ImportStatus.DONE)
    assert importer._claim(run.pk) is None  # finished


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_starts_at_once_import_the_run_once(postgres, tmp_path, monkeypatch):
    from tests.factories import MallFactory

    mall = MallFactory(code="SH01")
    with time_machine.travel("2026-01-01 10:00 +0800"):
        BoothFactory(merchant__mall=mall, number="2F-A-001")
    path = write_csv(tmp_path / "sales.csv", [sale_row(n) for n in range(1, 31)])
    run = SalesImport.objects.create(mall=mall, file_name="sales.csv", source_path=str(path))
    real_batch = importer._import_batch
    workers = []

    def counted_batch(run, batch, directory):
        workers.append(threading.get_ident())
        return real_batch(run, batch, directory)

    monkeypatch.setattr(importer, "_import_batch", counted_batch)
    start = threading.Barrier(2)

    def worker():
        try:
            start.wait()
            importer.sales_import_run(run=run)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(workers)) == 1, "both workers imported batches"
    run.refresh_from_db()
    assert (run.status, run.rows_done, run.created) == (ImportStatus.DONE, 30, 30)
    assert Sale.objects.filter(mall=mall).count() == 30
