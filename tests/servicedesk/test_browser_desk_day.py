"""One desk day walked in a real browser, through the real forms, by the real roles (issue 15):

Wednesday: a customer phones; the front desk finds her with the navbar's phone search (the last
4 digits match two customers: a short choice), opens her page and registers the complaint from
it, picking her purchase instead of typing it. The supervisor assigns it; the officer forwards
it to the merchant and prints the notice for the merchant to sign, records the merchant's reply,
proposes and resolves. The price-tag officer fails a booth and prints the correction notice. A
lost wallet is announced and marked played on the broadcast desk.
Thursday: the 06:00 scheduling puts her callbacks on the officer's worklist: one row, one call
settles the after-sale and the service callback. The supervisor closes the complaint. She comes
back to return the sofa: a return from her purchase, registered by the front desk and approved
by the supervisor. On Monday head office opens last week's report and finds all of it counted.

The clock is the real one moved to this week's Wednesday, Thursday and next Monday (Asia/Shanghai),
so the week's figures hold whatever day the suite runs; every wait is for something on the page.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from complaints.models import Complaint, Status
from followups.models import Callback, CallbackStatus, Sale
from followups.services import callbacks_schedule
from frontdesk.models import BroadcastPlay, PlayStatus
from merchants.models import Booth, PriceTagInspection
from returns.models import ReturnRequest, ReturnStatus
from servicedesk.models import Customer, Mall
from tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def this_weeks(weekday, hour):
    """This week's `weekday` (0 = Monday) at `hour`, Shanghai time."""
    today = timezone.localdate()
    day = today - timedelta(days=today.weekday()) + timedelta(days=weekday)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def act(page, button, fill=None):
    """A complaint action: its button on the complaint page, its form, 确认."""
    page.locator("#actions").get_by_role("link", name=button, exact=True).click()
    page.wait_for_selector("#action-form")
    if fill:
        fill()
    page.get_by_role("button", name="确认").click()
    page.wait_for_selector("#complaint-status")


def return_act(page, form_id, **fields):
    form = page.locator(f"#{form_id}")
    for label, value in fields.items():
        form.get_by_label(label).fill(value)
    with page.expect_navigation():
        form.get_by_role("button").click()


def weekly_figure(page, key):
    return page.locator(f"#weekly-figures [data-key='{key}']").inner_text().strip()


def test_a_whole_desk_day(demo, page, screenshot):
    wednesday = this_weeks(2, 10)
    with time_machine.travel(wednesday, tick=True) as clock:
        mall = Mall.objects.get(code="SH01")
        booth = Booth.objects.select_related("merchant").get(mall=mall, number="1F-A-008")
        # Yesterday's unified-cashier import brought her sofa; another customer shares the last digits.
        customer = Customer.objects.create(
            mall=mall, name="赵女士", mobile="13788885678", address="上海市普陀区真北路1108弄3号"
        )
        Customer.objects.create(mall=mall, name="钱先生", mobile="13600005678", address="上海市长宁区")
        sale = Sale.objects.create(
            mall=mall,
            customer=customer,
            order_number="XS2026120301",
            paid_at=wednesday - timedelta(days=8),
            merchant=booth.merchant,
            booth=booth,
            goods="布艺三人沙发",
            model="FJ-3021",
            amount=Decimal("6800.00"),
            delivery_date=timezone.localdate(wednesday) - timedelta(days=4),
            warranty_months=12,
        )

        # --- Front desk: the phone rings --------------------------------------------------------
        login(page, "frontdesk")
        search = page.locator("#phone-search input[name=q]")
        page.keyboard.press("/")
        assert page.evaluate("document.activeElement.name") == "q", "/ puts the cursor in the phone search"
        search.fill("5678")
        search.press("Enter")
        page.wait_for_selector("#find-choices")
        choices = page.locator("#find-choices").inner_text()
        assert "赵女士" in choices and "钱先生" in choices and "137****5678" in choices
        assert "13788885678" not in choices, "the choice list masks numbers"
        screenshot("customer-find-choice")
        page.locator("#find-choices").get_by_role("link", name="赵女士").click()
        page.wait_for_selector("#customer-timeline")
        assert "13788885678" in page.locator("#customer-card").inner_text(), "the desk calls her: full number"
        assert sale.order_number in page.locator("#customer-timeline").inner_text()

        page.locator("#customer-actions [data-action=complaint]").click()
        page.wait_for_url("**/complaints/new/?customer=*")
        assert page.get_by_label("顾客姓名").input_value() == "赵女士"
        assert page.evaluate("document.activeElement.name") == "channel", "a known customer: start at the channel"
        purchase = page.locator("#history-purchases li", has_text=sale.order_number)
        purchase.get_by_role("button", name="用这笔购买").click()
        assert page.get_by_label("统一收银单号").input_value() == sale.order_number
        page.get_by_label("受理渠道").select_option(label="来电")
        page.get_by_label("投诉类别").select_option(label="Q 产品质量")
        page.get_by_label("顾客诉求").select_option(label="维修")
        page.get_by_label("投诉内容").fill("沙发送货四天，坐垫接缝开线，要求上门维修。")
        screenshot("complaint-intake-from-customer")
        page.get_by_role("button", name="登记", exact=True).click()
        page.wait_for_selector("#complaint-status")
        complaint = Complaint.objects.get()
        assert complaint.channel == "phone" and complaint.voucher_number == sale.order_number
        assert complaint.booth == booth and complaint.customer == customer
        assert page.locator("#complaint-status").inner_text() == "已登记"

        # --- Supervisor assigns ----------------------------------------------------------------
        login(page, "supervisor")
        page.goto(f"/complaints/{complaint.pk}/")
        act(page, "派单", lambda: page.get_by_label("派给").select_option(label="李专员"))
        assert page.locator("#complaint-status").inner_text() == "已派单"

        # --- Officer: merchant, notice, reply, proposal, resolution ----------------------------
        login(page, "officer")
        page.goto(f"/complaints/{complaint.pk}/")
        act(page, "转交商户", lambda: page.get_by_label("备注").fill("已电话通知梵居沙发店长，请三日内答复"))
        page.locator("#print-forward-notice").click()
        page.wait_for_selector("#forward-notice")
        notice = page.locator("#forward-notice").inner_text()
        assert complaint.number in notice and "梵居沙发" in notice and "137****5678" in notice
        assert "签字" in notice and "请三日内答复" in notice
        page.emulate_media(media="print")
        screenshot("complaint-forward-notice-print")
        page.emulate_media(media="screen")
        page.goto(f"/complaints/{complaint.pk}/")

        def merchant_reply():
            page.get_by_label("同意处理").check()
            page.get_by_label("商户答复内容").fill("同意三日内上门重新缝合坐垫")

        act(page, "记录商户答复", merchant_reply)
        act(page, "提出处理方案", lambda: page.get_by_label("处理方案").fill("商户三日内上门维修坐垫，费用商户承担"))

        def customer_agrees():
            page.get_by_label("已维修").check()
            page.get_by_label("顾客同意情况").fill("赵女士电话确认同意上门维修")

        act(page, "顾客同意，办结", customer_agrees)
        assert page.locator("#complaint-status").inner_text() == "已解决"

        # --- Price-tag officer fails a booth and prints the notice ------------------------------
        login(page, "pricetag")
        page.goto("/merchants/inspections/new/")
        page.locator("#id_booth").select_option(label=f"{booth.number} {booth.merchant}")
        page.get_by_label("抽查商品数").fill("15")
        page.get_by_label("虚构原价").check()
        page.get_by_label("涉及商品").fill("真皮沙发")
        page.locator("main form button[type=submit]").click()
        page.wait_for_selector("#inspection-notice")
        assert "真皮沙发" in page.locator("#notice-failures").inner_text()
        page.emulate_media(media="print")
        screenshot("price-tag-notice-print")
        page.emulate_media(media="screen")

        # --- Broadcast desk: a lost wallet --------------------------------------------------------
        login(page, "frontdesk")
        page.goto("/frontdesk/broadcast/")
        page.locator("#announce summary").click()
        page.get_by_label("播音内容").fill("寻物：一位顾客在二楼电梯旁遗失黑色钱包，拾到者请交总台。")
        page.get_by_role("button", name="加入今日播音程序").click()
        line = page.locator("#programme tr", has_text="黑色钱包")
        line.wait_for()
        assert "待播" in line.inner_text()
        line.get_by_role("button", name="标记已播").click()
        line = page.locator("#programme tr", has_text="黑色钱包")
        line.locator(".status-ok").wait_for()
        assert "已播" in line.inner_text()
        screenshot("broadcast-announcement-played")
        assert BroadcastPlay.objects.get(slot__text__contains="黑色钱包").status == PlayStatus.PLAYED

        # --- Thursday ------------------------------------------------------------------------------
        clock.move_to(this_weeks(3, 6))
        created = callbacks_schedule()  # what beat runs at 06:00
        assert created["after_sale"] == 1 and created["service"] == 1
        clock.move_to(this_weeks(3, 9))

        login(page, "officer")
        page.goto("/followups/")
        row = page.locator(f"#my-callbacks tr[data-customer='{customer.pk}']")
        assert row.count() == 1, "one row for the customer however many callbacks are due"
        assert "售后" in row.inner_text() and "服务回访" in row.inner_text()
        row.locator("a.call-customer").click()
        page.wait_for_selector("#call-form")
        for callback in Callback.objects.filter(customer=customer):
            page.locator(f"#call-item-{callback.pk}").get_by_label("满意", exact=True).check()
        screenshot("callbacks-one-call")
        page.get_by_role("button", name="记录本次通话").click()
        page.wait_for_url("**/followups/")
        assert page.locator(f"#my-callbacks tr[data-customer='{customer.pk}']").count() == 0
        assert set(Callback.objects.filter(customer=customer).values_list("status", flat=True)) == {CallbackStatus.DONE}

        login(page, "supervisor")
        page.goto(f"/complaints/{complaint.pk}/")
        assert page.locator("#complaint-status").inner_text() == "已回访"
        act(page, "结案")
        assert page.locator("#complaint-status").inner_text() == "已结案"

        # --- She returns the sofa: from her purchase, approved by someone else --------------------
        login(page, "frontdesk")
        search = page.locator("#phone-search input[name=q]")
        search.fill("13788885678")
        search.press("Enter")
        page.wait_for_selector("#customer-timeline")
        page.locator("#customer-timeline tr[data-kind=purchase]").get_by_role("link", name="申请退货").click()
        page.wait_for_url("**/returns/new/?sale=*")
        assert page.get_by_label("统一收银凭证号 / 定销货单号").input_value() == sale.order_number
        page.locator("#eligibility-panel").get_by_text("符合7天无理由退货条件").wait_for()
        page.get_by_role("button", name="登记", exact=True).click()
        page.wait_for_url("**/returns/*/")
        r = ReturnRequest.objects.get()
        return_act(page, "action-check")
        login(page, "supervisor")
        page.goto(f"/returns/{r.pk}/")
        return_act(page, "action-approve", **{"司机": "小刘"})
        r.refresh_from_db()
        assert r.status == ReturnStatus.APPROVED and r.decided_by.username == "supervisor"
        assert r.registered_by.username == "frontdesk"

        login(page, "frontdesk")
        page.goto(f"/customers/{customer.pk}/")
        timeline = page.locator("#customer-timeline").inner_text()
        assert complaint.number in timeline and r.number in timeline and sale.order_number in timeline
        screenshot("customer-page")

        # --- Next Monday: head office reads the week ---------------------------------------------------
        clock.move_to(this_weeks(7, 9))
        login(page, "headoffice")
        with page.expect_navigation():
            page.select_option("#mall-switcher select", label="SH01 上海真北商场")
        page.goto("/reports/weekly/")
        page.wait_for_selector("#weekly-figures")
        assert weekly_figure(page, "received") == "1"
        assert weekly_figure(page, "closed") == "1"
        assert weekly_figure(page, "returns_requested") == "1"
        assert weekly_figure(page, "returns_approved") == "1"
        assert weekly_figure(page, "callbacks_due") == "2"
        assert weekly_figure(page, "callbacks_done") == "2"
        assert weekly_figure(page, "callbacks_reached") == "2"
        assert weekly_figure(page, "tags_checked") == "1"
        assert weekly_figure(page, "tags_failed") == "1"
        screenshot("weekly-report-after-the-day")
        assert PriceTagInspection.objects.get().passed is False
        assert Complaint.objects.get().status == Status.CLOSED
