"""Finding 14 of issue #14: the callbacks register export was built in the request whatever its
length (82,521 rows took 63 s, past the proxy's 60 s). A long one is now built by a worker with
the report exports' progress page; a short one still downloads at once."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from followups.models import CallbackStatus
from reports.models import ReportExport
from servicedesk.roles import Role
from tests.followups.factories import CallbackFactory, SaleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def callbacks(mall):
    made = [CallbackFactory(sale=SaleFactory(mall=mall)) for _ in range(5)]
    type(made[0]).objects.filter(pk=made[0].pk).update(status=CallbackStatus.DONE)
    return made


def rows_of(content):
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


def test_a_long_register_is_built_by_a_worker_with_a_progress_page(
    client, mall, staff, callbacks, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("followups.views.registers.CALLBACK_EXPORT_INLINE_ROWS", 3)
    officer = staff(Role.COMPLAINT_OFFICER)
    client.force_login(officer)
    url = f"{reverse('followups:register')}?status={CallbackStatus.OPEN}&format=xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url)
    export = ReportExport.objects.get()
    assert response.status_code == 302 and response.url == reverse("reports:export", args=[export.pk])
    assert (export.kind, export.requested_by, export.state) == ("callback_register", officer, "done")

    page = client.get(response.url)
    assert page.status_code == 200 and "回访登记" in page.content.decode()
    status = client.get(reverse("reports:export_status", args=[export.pk])).json()
    assert status["progress"] == 100 and status["download"]
    download = client.get(status["download"])
    assert download["Content-Disposition"].startswith("attachment")
    rows = rows_of(b"".join(download.streaming_content))
    assert len(rows) == 1 + 4, "the header and the four open callbacks: the filter is kept"
    assert all("****" in row[3] for row in rows[1:]), "numbers masked as in the page's export"

    client.force_login(staff(Role.COMPLAINT_OFFICER))  # a colleague: not theirs
    assert client.get(reverse("reports:export", args=[export.pk])).status_code == 404


def test_a_short_register_downloads_at_once(client, mall, staff, callbacks):
    client.force_login(staff(Role.COMPLAINT_OFFICER))
    response = client.get(f"{reverse('followups:register')}?format=xlsx")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert len(rows_of(response.content)) == 1 + 5
    assert not ReportExport.objects.exists()
