"""In a real browser: the clerk plans today's run with a return's pick-up and prints the run
sheet; the driver, on a 390x844 phone, marks the stop picked up with a photo and the return
shows the goods received."""

import re

import pytest
from django.contrib.auth import get_user_model

from drivers.models import RunStop, StopStatus
from returns.models import ReturnStatus
from servicedesk.models import StaffMembership
from servicedesk.roles import Role
from tests.browser import DEMO_PASSWORD, login
from tests.drivers.factories import JPEG, approved_return
from tests.factories import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_plans_a_run_and_the_driver_marks_a_pick_up_on_a_phone(demo, page, screenshot, tmp_path):
    clerk = get_user_model().objects.get(username="clerk")
    mall = StaffMembership.objects.filter(user=clerk, role=Role.CLERK).first().mall
    driver = make_staff(Role.DRIVER, mall, username="driver-li", first_name="李师傅")
    driver.set_password(DEMO_PASSWORD)
    driver.save()
    r = approved_return(mall, customer__mobile="13812345678")

    login(page, "clerk")
    page.goto("/drivers/")
    page.locator("#plan-run").click()
    page.locator("#id_driver").select_option(str(driver.pk))
    page.locator("#id_vehicle").fill("沪A·12345 厢式货车")
    page.locator("#save-run").click()
    page.wait_for_url(re.compile(r".*/drivers/\d+/$"))
    page.locator("#id_case").select_option(f"r{r.pk}")
    page.locator("#add-stop").click()
    page.wait_for_load_state()
    assert "138****5678" in page.locator("#stop-list").inner_text()
    page.locator("#print-sheet").click()
    page.wait_for_url("**/sheet/")
    assert "司机出车单" in page.locator("#run-sheet h1").inner_text()
    assert r.number in page.locator("#run-sheet").inner_text()
    screenshot("driver-run-sheet")

    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "driver-li")
    page.goto("/drivers/")
    page.wait_for_url("**/drivers/today/")
    stop = page.locator("#stop-1")
    stop.locator("button[type=submit]").click()  # nothing chosen: both the action and the photo are asked for
    page.wait_for_load_state()
    assert "请选择完成情况" in page.locator(".alert").first.inner_text()
    assert "请拍一张照片" in page.locator(".alert").first.inner_text()
    photo = tmp_path / "sofa.jpg"
    photo.write_bytes(JPEG)
    stop = page.locator("#stop-1")
    stop.locator("input[value=picked_up]").check()
    stop.locator("input[type=file]").set_input_files(str(photo))
    stop.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#stop-1 .stop-status").inner_text() == "已取货"
    screenshot("driver-today-phone")

    assert RunStop.objects.get().status == StopStatus.PICKED_UP
    r.refresh_from_db()
    assert r.status == ReturnStatus.GOODS_RECEIVED
