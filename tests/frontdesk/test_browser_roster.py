"""In a real browser: the supervisor draws up the month's duty roster, publishes it, and the front
desk sees who is on duty on the handover page."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from frontdesk.models import DutyRoster, RosterEntry, RosterStatus
from tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MONDAY_MORNING = datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_supervisor_draws_up_and_publishes_the_roster(demo, page, screenshot):
    with time_machine.travel(MONDAY_MORNING, tick=True):
        login(page, "supervisor")
        page.get_by_role("link", name="总台").first.click()
        page.get_by_role("link", name="排班表").first.click()
        page.wait_for_url("**/frontdesk/roster/")
        page.locator("#id_month").fill("2026-03")
        page.locator("#draw-up").click()
        page.wait_for_url("**/frontdesk/roster/*/")
        assert page.locator("#roster-month").inner_text() == "2026-03"
        assert page.locator("#roster-status").inner_text() == "草稿"

        # The desk's three people on the first week: 王前台 mornings, 周主管 evenings, 吴经理 both
        # shifts on Monday 2 March.
        for day in range(2, 9):
            page.get_by_label(f"王前台 2026-03-0{day}").select_option("morning")
            page.get_by_label(f"周主管 2026-03-0{day}").select_option("evening")
        page.get_by_label("吴经理 2026-03-02").select_option("full")
        page.locator("#save-roster").click()
        page.wait_for_load_state()
        assert "修改了 15 格" in page.locator(".alert-success").inner_text()
        # One person a shift is below the default minimum of two: the gaps are listed.
        assert "人数不足" in page.locator("#roster-findings").inner_text()
        screenshot("roster-draft")

        page.locator("#publish-roster").click()
        page.wait_for_load_state()
        assert page.locator("#roster-status").inner_text() == "已发布"
        roster = DutyRoster.objects.get(mall__code="SH01")
        assert roster.status == RosterStatus.PUBLISHED and roster.published_by.username == "supervisor"
        assert RosterEntry.objects.filter(roster=roster).exclude(duty="off").count() == 15

        page.locator("#print-roster").click()
        page.wait_for_url("**/print/")
        assert "值班安排表" in page.locator("h1").inner_text()
        screenshot("roster-print")

        login(page, "frontdesk")
        page.goto("/frontdesk/handovers/")
        on_duty = page.locator("#on-duty")
        assert "按排班表值班" in on_duty.inner_text()
        morning = on_duty.locator("[data-shift=morning]").inner_text()
        evening = on_duty.locator("[data-shift=evening]").inner_text()
        assert "王前台" in morning and "吴经理" in morning and "周主管" in evening
        screenshot("roster-on-duty")
