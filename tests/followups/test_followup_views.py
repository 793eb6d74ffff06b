import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from openpyxl import load_workbook

from complaints.models import Status
from followups.models import Callback, CallbackKind, CallbackStatus, HomeVisit, Outcome, Sale
from tests.complaints.factories import ComplaintFactory
from tests.followups.factories import CallbackFactory, SaleFactory, sale_row, write_csv
from tests.merchants.factories import BoothFactory, photo_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(staff):
    return staff("complaint_officer")


def test_beat_schedules_are_registered():
    from tests.beat import seed_beat_schedules

    seed_beat_schedules()
    tasks = dict(PeriodicTask.objects.values_list("task", "enabled"))
    assert tasks["followups.schedule_callbacks"] is True
    assert tasks["followups.scan_overdue_callbacks"] is True
    daily = PeriodicTask.objects.get(task="followups.schedule_callbacks")
    assert daily.crontab.hour == "6" and daily.crontab.timezone.key == "Asia/Shanghai"


def test_worklist_shows_my_callbacks_today_with_the_full_phone(
    client, mall, officer, staff, django_assert_max_num_queries
):
    mine = [CallbackFactory(sale__mall=mall, assignee=officer) for _ in range(5)]
    CallbackFactory(sale__mall=mall, assignee=officer, due_on=timezone.localdate() + timedelta(days=1))
    CallbackFactory(sale__mall=mall, assignee=staff("complaint_officer"))
    CallbackFactory(sale__mall=mall, assignee=officer, status=CallbackStatus.DONE)
    client.force_login(officer)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("followups:index"))
    soonest_first = sorted(mine, key=lambda c: (c.deadline_on, c.pk))
    assert [c.pk for c in page.context["callbacks"]] == [c.pk for c in soonest_first]
    assert mine[0].customer.mobile in page.text


def test_recording_an_outcome_from_the_callback_page(client, mall, officer):
    callback = CallbackFactory(sale__mall=mall, assignee=officer)
    client.force_login(officer)
    page = client.get(reverse("followups:callback", args=[callback.pk]))
    assert "实木餐桌" in page.context["script"] and mall.name in page.context["script"]
    response = client.post(
        reverse("followups:callback", args=[callback.pk]), {"outcome": Outcome.SATISFIED, "note": "很满意"}
    )
    assert response.status_code == 302
    callback.refresh_from_db()
    assert callback.status == CallbackStatus.DONE


def test_unsatisfied_goes_to_the_complaint_intake_prefilled(client, mall, officer):
    callback = CallbackFactory(sale__mall=mall, assignee=officer)
    client.force_login(officer)
    response = client.post(
        reverse("followups:callback", args=[callback.pk]), {"outcome": Outcome.UNSATISFIED, "note": "腿松动"}
    )
    assert response.status_code == 302 and f"sale={callback.sale_id}" in response.url
    form = client.get(response.url).context["form"]
    assert form.initial["voucher_number"] == callback.sale.order_number


def test_another_malls_callback_is_404_and_other_roles_403(client, mall, other_mall, officer, staff):
    theirs = CallbackFactory(sale__mall=other_mall)
    client.force_login(officer)
    assert client.get(reverse("followups:callback", args=[theirs.pk])).status_code == 404
    client.force_login(staff("front_desk"))
    assert client.get(reverse("followups:index")).status_code == 403
    assert client.get(reverse("followups:callback", args=[CallbackFactory(sale__mall=mall).pk])).status_code == 403


def test_head_office_reads_but_records_nothing(client, mall, staff):
    callback = CallbackFactory(sale__mall=mall)
    client.force_login(staff("head_office"))
    page = client.get(reverse("followups:callback", args=[callback.pk]))
    assert page.status_code == 200 and page.context["form"] is None
    client.post(reverse("followups:callback", args=[callback.pk]), {"outcome": Outcome.SATISFIED})
    callback.refresh_from_db()
    assert callback.status == CallbackStatus.OPEN
    assert client.get(reverse("followups:register")).status_code == 200


def test_register_filters_and_exports_xlsx(client, mall, other_mall, staff, django_assert_max_num_queries):
    done = CallbackFactory(sale__mall=mall, status=CallbackStatus.DONE, outcome=Outcome.SATISFIED)
    CallbackFactory(sale__mall=mall)
    CallbackFactory(sale__mall=other_mall)
    client.force_login(staff("supervisor"))
    with django_assert_max_num_queries(15):
        page = client.get(reverse("followups:register"), {"status": "done"})
    assert list(page.context["page"]) == [done]
    assert page.context["figures"]["done"] == 1
    export = client.get(reverse("followups:register"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "商场" and len(rows) == 3, "header and this mall's two callbacks"
    assert "****" in rows[1][3], "phones masked in the export"


def test_sales_import_through_the_browser_form(client, mall, staff, tmp_path, django_capture_on_commit_callbacks):
    BoothFactory(merchant__mall=mall, number="2F-A-001")
    path = write_csv(
        tmp_path / "sales.csv", [sale_row(1, 付款时间="2025-03-01 10:00", 送货日期="2025-03-05"), sale_row(2, 手机="1")]
    )
    client.force_login(staff("clerk"))
    upload = SimpleUploadedFile("sales.csv", path.read_bytes(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("followups:sales_import"), {"file": upload})
    assert response.status_code == 302
    progress = client.get(response.url)
    run = progress.context["run"]
    assert run.finished and run.created == 1 and run.rejected == 1
    assert "import-problems" in progress.text
    status = client.get(reverse("followups:import_status", args=[run.pk])).json()
    assert status["percent"] == 100 and status["finished"]
    assert Sale.objects.filter(mall=mall).count() == 1


def test_sales_import_is_for_clerks_and_supervisors(client, officer):
    client.force_login(officer)
    assert client.get(reverse("followups:sales_import")).status_code == 403


def test_customer_page_lists_the_customers_sales(client, mall, staff):
    sale = SaleFactory(mall=mall)
    client.force_login(staff("front_desk"))
    page = client.get(reverse("customers:detail", args=[sale.customer.pk]))
    assert sale.order_number in page.text
    assert f"?sale={sale.pk}" in page.text


def test_home_visit_planned_and_recorded_with_photos(client, mall, officer):
    complaint = ComplaintFactory(mall=mall, status=Status.CALLED_BACK, resolved_at=timezone.now() - timedelta(days=2))
    callback = Callback.objects.create(
        mall=mall,
        kind=CallbackKind.HOME_VISIT,
        complaint=complaint,
        customer=complaint.customer,
        due_on=timezone.localdate(),
        deadline_on=timezone.localdate() + timedelta(days=5),
        assignee=officer,
    )
    client.force_login(officer)
    tomorrow = timezone.localdate() + timedelta(days=1)
    client.post(
        reverse("followups:visit_plan", args=[callback.pk]),
        {
            "visit_on": tomorrow.isoformat(),
            "address": "上海市普陀区金沙江路100号",
            "officer": officer.pk,
            "driver": "王师傅",
        },
    )
    visit = HomeVisit.objects.get(callback=callback)
    assert (visit.visit_on, visit.driver, visit.officer) == (tomorrow, "王师傅", officer)
    response = client.post(
        reverse("followups:visit_done", args=[callback.pk]),
        {
            "outcome": Outcome.SATISFIED,
            "report": "沙发已修好，顾客满意",
            "photos": [photo_file("a.png"), photo_file("b.png")],
        },
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    callback.refresh_from_db()
    assert visit.outcome == Outcome.SATISFIED and visit.photos.count() == 2
    assert callback.status == CallbackStatus.DONE
