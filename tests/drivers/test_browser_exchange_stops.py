"""In a real browser: the clerk puts an exchange's pick-up and delivery on today's run and prints
the run sheet; the driver, on a 390x844 phone, picks up the old goods and delivers the new, each
with a photo; the exchange's page then shows the pick-up (with the driver) and the delivery."""

import re

import pytest
from django.contrib.auth import get_user_model

from drivers.models import RunStop, StopStatus
from exchanges.models import ExchangeStatus
from servicedesk.models import StaffMembership
from servicedesk.roles import Role
from tests.browser import login
from tests.drivers.factories import JPEG, settled_exchange

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def mark(page, position, action, photo):
    stop = page.locator(f"#stop-{position}")
    stop.locator(f"input[value={action}]").check()
    stop.locator("input[type=file]").set_input_files(str(photo))
    with page.expect_navigation():
        stop.locator("button[type=submit]").click()


def test_the_driver_picks_up_the_old_goods_and_delivers_the_new(demo, page, screenshot, tmp_path):
    clerk = get_user_model().objects.get(username="clerk")
    driver = get_user_model().objects.get(username="driver")
    mall = StaffMembership.objects.filter(user=clerk, role=Role.CLERK).first().mall
    e = settled_exchange(mall, customer__name="陈女士", customer__mobile="13912345678", goods="布艺三人沙发")

    login(page, "clerk")
    page.goto("/drivers/new/")
    page.locator("#id_driver").select_option(str(driver.pk))
    page.locator("#id_vehicle").fill("沪A·12345 厢式货车")
    page.locator("#save-run").click()
    page.wait_for_url(re.compile(r".*/drivers/\d+/$"))
    # The delivery first: refused next to the field, the old goods are not yet on the run.
    page.locator("#id_case").select_option(f"d{e.pk}")
    page.locator("#add-stop").click()
    page.locator("#id_case.is-invalid").wait_for()
    assert "先取回旧货" in page.locator("#stop-form").inner_text()
    for key in (f"x{e.pk}", f"d{e.pk}"):
        page.locator("#id_case").select_option(key)
        with page.expect_navigation():
            page.locator("#add-stop").click()
    stops = page.locator("#stop-list").inner_text()
    assert "换货取旧货" in stops and "换货送新货" in stops and "139****5678" in stops
    page.locator("#print-sheet").click()
    page.wait_for_url("**/sheet/")
    sheet = page.locator("#run-sheet").inner_text()
    assert e.number in sheet and "灰色布艺沙发 GS-3 ×1" in sheet and "13912345678" in sheet  # the clerk calls
    screenshot("driver-run-sheet-exchange")

    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "driver")
    page.goto("/drivers/")
    page.wait_for_url("**/drivers/today/")
    assert "139****5678" in page.locator("#stop-1").inner_text()
    photo = tmp_path / "sofa.jpg"
    photo.write_bytes(JPEG)
    mark(page, 1, "picked_up", photo)
    assert page.locator("#stop-1 .stop-status").inner_text() == "已取货"
    screenshot("driver-today-exchange-phone")
    mark(page, 2, "delivered", photo)
    assert page.locator("#stop-2 .stop-status").inner_text() == "已送达"

    e.refresh_from_db()
    assert e.status == ExchangeStatus.DELIVERED and e.driver == "钱师傅"
    assert set(e.history.values_list("history_user__username", flat=True)[:2]) == {"driver"}
    assert list(RunStop.objects.order_by("position").values_list("status", flat=True)) == [
        StopStatus.PICKED_UP,
        StopStatus.DELIVERED,
    ]

    login(page, "frontdesk")
    page.goto(f"/exchanges/{e.pk}/")
    assert page.locator("#exchange-status").inner_text().strip() == "新货已送达"
    details = page.locator("main").inner_text()
    day = e.picked_up_on.isoformat()
    assert f"{day} 钱师傅" in details and e.delivered_on.isoformat() in details
    screenshot("exchange-delivered-by-driver")
