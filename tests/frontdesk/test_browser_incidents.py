"""In a real browser: the front desk logs a lost child, follows it up and closes it; the month's
emergency record prints it."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from frontdesk.models import DeskIncident
from tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MONDAY_AFTERNOON = datetime(2026, 3, 2, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_front_desk_logs_an_emergency_and_closes_it(demo, page, screenshot):
    with time_machine.travel(MONDAY_AFTERNOON, tick=True):
        login(page, "frontdesk")
        page.goto("/frontdesk/incidents/")
        page.locator("a.new-incident", has_text="突发事件").click()
        page.wait_for_url("**/frontdesk/incidents/new/?kind=emergency")
        page.locator("#save-incident").click()  # nothing filled in: every missing field named at once
        page.wait_for_load_state()
        assert page.locator(".invalid-feedback").count() >= 4
        page.locator("#id_emergency_type").select_option("lost_child")
        page.locator("#id_severity").select_option("minor")
        page.locator("#id_place").fill("二楼儿童家具区")
        page.locator("#id_summary").fill("5岁男孩与家长走散，穿红色外套")
        page.locator("#id_acted_by").fill("王前台广播寻人，保安在各出口等候")
        page.locator("#save-incident").click()
        page.wait_for_url("**/frontdesk/incidents/*/")
        assert "TF-SH01-20260302-0001" in page.locator("h1").inner_text()
        page.locator("#follow-up-form textarea").fill("15:10 家长在服务台找到孩子")
        page.locator("#add-follow-up").click()
        page.wait_for_load_state()
        page.locator("#close-form textarea").fill("孩子已交还家长，家长签字确认")
        page.locator("#close-incident").click()
        page.wait_for_load_state()
        assert page.locator("#incident-status").inner_text() == "已结案"
        screenshot("incident-closed")
        incident = DeskIncident.objects.get()
        assert incident.status == "closed" and incident.notes.count() == 1

        page.goto("/frontdesk/incidents/register/?kind=emergency&month=2026-03")
        assert "突发事件记录表" in page.locator("h1").inner_text()
        assert "孩子已交还家长" in page.locator("#incident-register").inner_text()
        screenshot("incident-register")
