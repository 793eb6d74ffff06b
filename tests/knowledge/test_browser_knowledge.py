"""In a real browser: the intake's remedy advisor answers as the dates are typed; an officer
finds a canned reply, inserts it into the complaint's handling log, and the complaint shows the
reply among the knowledge it used."""

from datetime import timedelta

import pytest
from django.utils import timezone

from knowledge.models import ArticleKind, ArticleUse
from servicedesk.models import Mall
from tests.browser import login
from tests.complaints.factories import ComplaintFactory

from .factories import published

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_advisor_at_intake_and_a_canned_reply_on_a_complaint(demo, page, screenshot):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    mall = Mall.objects.get(code="SH01")
    supervisor = users.get(username="supervisor")
    published(
        supervisor,
        supervisor,
        mall,
        "安抚话术：等待检测",
        "您好，样品已送检，结果出来后我们第一时间联系您。",
        kind=ArticleKind.REPLY,
        category_name="接待话术",
    )

    login(page, "frontdesk")
    page.goto("/complaints/new/")
    today = timezone.localdate()
    page.get_by_label("购买日期").fill((today - timedelta(days=120)).isoformat())
    page.locator("#intake-more summary").click()
    page.get_by_label("送货日期").fill((today - timedelta(days=100)).isoformat())
    page.get_by_label("送货日期").blur()
    remedies = page.locator("#advisor-result #advice-remedies")
    remedies.wait_for()
    assert "换货" in remedies.inner_text() and "退货" not in remedies.inner_text()
    page.locator("#remedy-advisor").get_by_label("同一故障维修失败次数").fill("2")
    page.locator("#advisor-result [data-rule=failed_repairs]").wait_for()
    assert "退货" in remedies.inner_text()
    page.locator("#remedy-advisor").scroll_into_view_if_needed()
    screenshot("knowledge-intake-advisor")

    complaint = ComplaintFactory(
        mall=mall,
        registered_by=users.get(username="frontdesk"),
        delivery_date=today - timedelta(days=10),
        purchase_date=today - timedelta(days=12),
        number="TS-SH01-20261201-0001",
    )
    login(page, "officer")
    page.goto(f"/complaints/{complaint.pk}/")
    assert page.locator("#knowledge-panel [data-rule=within_full_remedy]").count() == 1
    log = page.locator("#handling-log")
    log.get_by_text("插入话术").click()
    log.get_by_placeholder("搜索话术，如：甲醛").fill("送检")
    with page.expect_response(lambda response: "/cite/" in response.url) as cited:
        log.get_by_role("button", name="安抚话术：等待检测").click()
    assert cited.value.ok
    assert "样品已送检" in log.locator("input[name=text]").input_value()
    page.reload()
    page.locator("#articles-used").get_by_text("安抚话术：等待检测").wait_for()
    assert ArticleUse.objects.filter(complaint=complaint).count() == 1
    page.locator("#knowledge-panel").scroll_into_view_if_needed()
    screenshot("knowledge-complaint-panel")

    page.goto("/knowledge/?q=送检")
    assert page.locator("#article-list").get_by_text("安抚话术：等待检测").is_visible()
    screenshot("knowledge-search")
