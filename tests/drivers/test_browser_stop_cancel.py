"""In a real browser: the clerk cancels a planned stop (the customer asked for another day), the
reason is asked for next to its field, and the driver's phone shows the stop cancelled."""

import pytest
from django.contrib.auth import get_user_model

from drivers import services
from drivers.models import RunStop, StopStatus, StopTask
from servicedesk.models import StaffMembership
from servicedesk.roles import Role
from tests.browser import DEMO_PASSWORD, login
from tests.drivers.factories import approved_return, run_for
from tests.factories import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_cancels_a_stop_and_the_driver_sees_it_on_the_phone(demo, page, screenshot):
    clerk = get_user_model().objects.get(username="clerk")
    mall = StaffMembership.objects.filter(user=clerk, role=Role.CLERK).first().mall
    driver = make_staff(Role.DRIVER, mall, username="driver-zhao", first_name="赵师傅")
    driver.set_password(DEMO_PASSWORD)
    driver.save()
    run = run_for(mall, driver=driver, planner=clerk)
    stop = services.stop_add(run=run, actor=clerk, task=StopTask.PICK_UP, return_request=approved_return(mall))

    login(page, "clerk")
    page.goto(f"/drivers/{run.pk}/")
    page.locator("#stop-list .stop-cancel").click()
    page.wait_for_url(f"**/drivers/stops/{stop.pk}/cancel/")
    page.locator("#cancel-stop").click()  # no reason given
    page.wait_for_load_state()
    assert "请说明取消站点的原因" in page.locator("#stop-cancel-form").inner_text()
    screenshot("driver-stop-cancel")
    page.locator("#id_reason").fill("顾客改约下周二")
    page.locator("#cancel-stop").click()
    page.wait_for_url(f"**/drivers/{run.pk}/")
    assert page.locator("#stop-list .stop-status").first.inner_text() == "已取消"
    assert "顾客改约下周二" in page.locator("#stop-list").inner_text()

    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "driver-zhao")
    page.goto("/drivers/today/")
    card = page.locator("#stop-1")
    assert card.locator(".stop-status").inner_text() == "已取消"
    assert "顾客改约下周二" in card.inner_text()
    assert card.locator("form").count() == 0
    screenshot("driver-today-cancelled-phone")
    assert RunStop.objects.get(pk=stop.pk).status == StopStatus.CANCELLED
