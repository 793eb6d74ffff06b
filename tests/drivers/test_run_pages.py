"""The drivers pages: fixed query counts, forms with every error at once, the run sheet in both
languages, the driver's mark through the page."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from drivers import services
from drivers.models import DeliveryRun, RunStop, StopStatus, StopTask
from returns.models import ReturnStatus
from servicedesk.roles import Role
from tests.drivers.factories import approved_return, photo, run_for
from tests.factories import make_staff
from tests.servicedesk.test_english_prints import leaks

pytestmark = pytest.mark.django_db


def _with_stops(mall, clerk, driver, n):
    run = run_for(mall, driver=driver, planner=clerk, vehicle="van 1")
    for _ in range(n):
        services.stop_add(run=run, actor=clerk, task=StopTask.PICK_UP, return_request=approved_return(mall))
    return run


def test_the_list_and_the_drivers_page_take_fixed_queries(client, mall):
    clerk, driver = make_staff(Role.CLERK, mall), make_staff(Role.DRIVER, mall)
    client.force_login(clerk)
    _with_stops(mall, clerk, driver, 1)
    client.get(reverse("drivers:index"))
    client.force_login(driver)
    client.get(reverse("drivers:today"))
    counts = []
    for extra in (0, 4):
        for _ in range(extra):
            _with_stops(mall, clerk, driver, 2)
        client.force_login(clerk)
        with CaptureQueriesContext(connection) as listed:
            assert client.get(reverse("drivers:index")).status_code == 200
        client.force_login(driver)
        with CaptureQueriesContext(connection) as today:
            assert client.get(reverse("drivers:today")).status_code == 200
        counts.append((len(listed), len(today)))
    assert counts[0] == counts[1]


def test_plan_form_gives_every_error_at_once_and_saves_nothing(client, mall):
    clerk = make_staff(Role.CLERK, mall)
    client.force_login(clerk)
    response = client.post(reverse("drivers:new"), {"run_on": "2000-01-01", "driver": ""})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"run_on", "driver"}
    assert not DeliveryRun.objects.exists()


def test_a_past_day_is_refused_next_to_its_field(client, mall):
    clerk, driver = make_staff(Role.CLERK, mall), make_staff(Role.DRIVER, mall)
    client.force_login(clerk)
    response = client.post(reverse("drivers:new"), {"run_on": "2000-01-01", "driver": driver.pk})
    assert list(response.context["form"].errors) == ["run_on"]
    response = client.post(
        reverse("drivers:new"), {"run_on": timezone.localdate().isoformat(), "driver": driver.pk, "vehicle": "沪A"}
    )
    run = DeliveryRun.objects.get()
    assert response.url == reverse("drivers:run", args=[run.pk]) and run.vehicle == "沪A"


def test_the_run_sheet_reads_in_english_and_in_chinese(client, mall):
    clerk, driver = make_staff(Role.CLERK, mall), make_staff(Role.DRIVER, mall)
    run = _with_stops(mall, clerk, driver, 1)
    stop = run.stops.get()
    client.force_login(clerk)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("drivers:sheet", args=[run.pk])).content.decode()
    assert "driver run sheet" in page
    names = (u.get_full_name() or u.username for u in (driver, clerk))
    assert leaks(page, mall.name, stop.customer_name, stop.address, stop.goods_label, *names) == []
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
    page = client.get(reverse("drivers:sheet", args=[run.pk])).content.decode()
    for words in ("司机出车单", "出车日期", "上门取货", "顾客签字", "司机签字"):
        assert words in page


def test_the_driver_marks_through_the_page_and_a_bad_photo_is_named(client, mall):
    clerk, driver = make_staff(Role.CLERK, mall), make_staff(Role.DRIVER, mall)
    run = _with_stops(mall, clerk, driver, 1)
    stop = run.stops.get()
    client.force_login(driver)
    url = reverse("drivers:stop_done", args=[stop.pk])
    response = client.post(url, {"action": "picked_up", "photo": photo("virus.exe", b"MZ")}, follow=True)
    assert "virus.exe" in response.content.decode()
    assert RunStop.objects.get().status == StopStatus.PLANNED
    client.post(url, {"action": "picked_up", "photo": photo()})
    stop.refresh_from_db()
    stop.return_request.refresh_from_db()
    assert stop.status == StopStatus.PICKED_UP and stop.return_request.status == ReturnStatus.GOODS_RECEIVED
    assert client.get(reverse("drivers:stop_photo", args=[stop.pk]))["Content-Type"] == "image/jpeg"
