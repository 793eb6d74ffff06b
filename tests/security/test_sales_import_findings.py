"""Findings 5, 8 and 9 of issue #14 on the sales import.

5. A worker killed mid-import left the run "running" for ever; `manage.py import_sales` killed
   just after starting left a "queued" run with no file, on which the sweep failed at every
   tick, so every later queued import waited for ever.
8. One NUL byte in a customer name failed the whole run (a finished run marked "failed" with a
   raw SQL error); UTF-16 CSVs (Excel's "Unicode text") failed with a raw codec error; no upload
   size limit.
9. After a redelivered import the progress read "58000 / 40000": each row must count once.
"""

import csv
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DataError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from followups.models import ImportStatus, Sale, SalesImport
from followups.services import sales_import as importer
from followups.services import sales_import_file
from followups.tasks import import_sales
from servicedesk.roles import Role
from tests.followups.factories import HEADERS, sale_row, write_csv
from tests.merchants.factories import BoothFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def booth(mall):
    with time_machine.travel("2026-01-01 10:00 +0800"):
        return BoothFactory(merchant__mall=mall, number="2F-A-001", merchant__brand="顾家家居")


class WorkerKilled(BaseException):
    """What SIGKILL does to the import: it stops between two batches, nothing runs after."""


def test_a_killed_import_is_resumed_by_the_sweep_and_counts_each_row_once(mall, booth, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "IMPORT_BATCH_ROWS", 10)
    path = write_csv(tmp_path / "sales.csv", [sale_row(n) for n in range(1, 46)])
    real_batch = importer._import_batch
    calls = []

    def dying_batch(run, batch, directory):
        calls.append(len(batch))
        if len(calls) == 3:
            raise WorkerKilled
        return real_batch(run, batch, directory)

    monkeypatch.setattr(importer, "_import_batch", dying_batch)
    run = SalesImport.objects.create(mall=mall, file_name="sales.csv", source_path=str(path))
    with pytest.raises(WorkerKilled):
        importer.sales_import_run(run=run)
    run.refresh_from_db()
    assert (run.status, run.rows_done, run.total_rows) == (ImportStatus.RUNNING, 20, 45)
    monkeypatch.setattr(importer, "_import_batch", real_batch)

    # The message redelivered while the run still looks alive: nothing happens twice.
    import_sales(run.pk)
    assert SalesImport.objects.get(pk=run.pk).rows_done == 20
    assert importer.resume_stalled_imports() == []

    # A few minutes of silence: the sweep goes on from the checkpoint.
    with time_machine.travel(timezone.now() + timedelta(minutes=4)):
        assert importer.resume_stalled_imports() == [run.pk]
    run.refresh_from_db()
    assert run.status == ImportStatus.DONE
    assert (run.rows_done, run.total_rows, run.created, run.rejected) == (45, 45, 45, 0)
    assert Sale.objects.filter(mall=mall).count() == 45
    assert run.percent == 100

    # The late redelivery after the visibility timeout: the run is finished, nothing is counted.
    import_sales(run.pk)
    assert SalesImport.objects.get(pk=run.pk).rows_done == 45


def test_a_run_without_its_file_fails_clearly_and_does_not_block_the_others(mall, booth, tmp_path):
    with time_machine.travel(timezone.now() - timedelta(minutes=10)):
        # What a command killed just after starting left behind (the old code kept no path).
        orphan = SalesImport.objects.create(mall=mall, file_name="/srv/exports/gone.csv")
        gone = SalesImport.objects.create(mall=mall, file_name="x.csv", source_path=str(tmp_path / "deleted.csv"))
        good = SalesImport.objects.create(
            mall=mall, file_name="ok.csv", source_path=str(write_csv(tmp_path / "ok.csv", [sale_row(1), sale_row(2)]))
        )
    assert importer.resume_stalled_imports() == [orphan.pk, gone.pk, good.pk]
    for bad in (orphan, gone):
        bad.refresh_from_db()
        assert bad.status == ImportStatus.FAILED and "上传" in bad.error
    good.refresh_from_db()
    assert good.status == ImportStatus.DONE and good.created == 2
    assert importer.resume_stalled_imports() == []  # failed runs are not tried at every tick


def test_the_command_records_its_file_so_a_killed_command_is_resumed(mall, booth, tmp_path):
    run = sales_import_file(mall=mall, path=write_csv(tmp_path / "sales.csv", [sale_row(1)]))
    assert run.source_path == str((tmp_path / "sales.csv").resolve())


def test_a_nul_byte_in_a_name_rejects_that_row_only(mall, booth, tmp_path):
    rows = [sale_row(n) for n in range(1, 2501)] + [sale_row(2501, 顾客姓名="王\x00五")]
    run = sales_import_file(mall=mall, path=write_csv(tmp_path / "sales.csv", rows))
    assert run.status == ImportStatus.DONE and not run.error
    assert (run.created, run.rejected) == (2500, 1)
    assert run.problems == [{"row": 2502, "column": "顾客姓名", "message": run.problems[0]["message"]}]
    assert "控制字符" in run.problems[0]["message"]


@override_settings(SALES_IMPORT_COPY=False)  # the COPY path's fallback to this: test_sales_import_copy.py
def test_a_row_the_database_refuses_is_reported_and_the_batch_still_saved(mall, booth, tmp_path, monkeypatch):
    real = importer._upsert_sales

    def picky(run, rows, customers, now):
        if any(row["order_number"] == "XS00000003" for row in rows):
            raise DataError("value too long")
        return real(run, rows, customers, now)

    monkeypatch.setattr(importer, "_upsert_sales", picky)
    run = sales_import_file(mall=mall, path=write_csv(tmp_path / "s.csv", [sale_row(n) for n in range(1, 6)]))
    assert run.status == ImportStatus.DONE
    assert (run.created, run.rejected) == (4, 1)
    assert run.problems[0]["row"] == 4 and "无法保存" in run.problems[0]["message"]


def test_excel_unicode_text_utf16_with_tabs_imports(mall, booth, tmp_path):
    path = tmp_path / "unicode.csv"
    with open(path, "w", newline="", encoding="utf-16") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADERS, delimiter="\t", extrasaction="ignore")
        writer.writeheader()
        for n in range(1, 4):
            writer.writerow(sale_row(n, 顾客姓名="上海顾客"))
    run = sales_import_file(mall=mall, path=path)
    assert run.status == ImportStatus.DONE, run.error
    assert (run.total_rows, run.created) == (3, 3)
    assert Sale.objects.filter(customer__name="上海顾客").count() == 3


def test_an_unreadable_file_fails_with_a_message_in_chinese(mall, booth, tmp_path):
    path = tmp_path / "broken.csv"
    path.write_bytes(b"\xff\xfe" + b"\x00\xd8" * 10)  # a UTF-16 mark, then broken surrogates
    run = sales_import_file(mall=mall, path=path)
    assert run.status == ImportStatus.FAILED
    assert "codec" not in run.error and "文件" in run.error


@override_settings(SALES_IMPORT_MAX_BYTES=1024)
def test_an_upload_over_the_limit_is_refused_next_to_the_field(client, mall, staff, tmp_path):
    path = write_csv(tmp_path / "big.csv", [sale_row(n) for n in range(1, 60)])
    assert path.stat().st_size > 1024
    client.force_login(staff(Role.CLERK))
    upload = SimpleUploadedFile("big.csv", path.read_bytes(), content_type="text/csv")
    response = client.post(reverse("followups:sales_import"), {"file": upload})
    assert response.status_code == 200
    assert "1.0 KB" in response.text or "1.0 KB" in response.text.replace("\xa0", " ")
    assert not SalesImport.objects.exists()
