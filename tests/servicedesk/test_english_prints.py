"""English mode prints English (issue 15 §2): every paper form, register, summary and Excel sheet
renders in English for a reader working in English, with no Chinese character outside the data
itself (names, goods, typed notes), while Chinese keeps the paper forms' exact wording."""

import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from complaints.services import staff_complaint_register
from frontdesk import services as desk_services
from frontdesk.models import BroadcastScript, PlayStatus
from merchants.services import merchant_notice_exit
from servicedesk.roles import Role
from tests.compensations.factories import approve_all, escalated_complaint, propose
from tests.complaints.factories import register
from tests.followups.factories import CallbackFactory
from tests.frontdesk.conftest import MONDAY_AFTERNOON
from tests.merchants.factories import BoothFactory, MerchantFactory
from tests.returns.factories import ReturnFactory

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
TAG = re.compile(r"<[^>]+>")
XLSX = {"format": "xlsx"}


def leaks(html, *data):
    """Chinese left in the page's title and main part once the data shown on it is taken out."""
    parts = re.findall(r"<title>(.*?)</title>", html, re.S) + re.findall(r"<main.*?</main>", html, re.S)
    text = TAG.sub(" ", " ".join(parts) or html)
    for value in sorted({str(v) for v in data if v}, key=len, reverse=True):
        text = text.replace(value, " ")
    return [text[max(0, m.start() - 30) : m.end() + 30] for m in CJK.finditer(text)]


def sheet_leaks(content, *data):
    workbook = load_workbook(io.BytesIO(content))
    cells = [workbook.sheetnames]
    for sheet in workbook.worksheets:
        cells += [cell for row in sheet.iter_rows(values_only=True) for cell in row if isinstance(cell, str)]
    return leaks(" | ".join(map(str, cells)), *data)


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY_AFTERNOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def english(client):
    def use(user):
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return use


@pytest.fixture
def chinese(client):
    def use(user):
        client.force_login(user)
        client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
        return client

    return use


def test_the_complaint_slip(english, chinese, mall, staff):
    desk = staff(Role.FRONT_DESK, first_name="Wang", last_name="")
    booth = BoothFactory(merchant__mall=mall, merchant__brand="Acme Sofas")
    complaint = register(mall, desk, booth=booth, customer_name="Ms Zhang", paid_via_unified_cashier=False)
    page = english(desk).get(reverse("complaints:slip", args=[complaint.pk])).text
    assert "Complaint Acknowledgement" in page and "Customer's signature:" in page
    assert "not paid through the mall's unified cashier" in page
    assert leaks(page, mall.name) == []
    page = chinese(desk).get(reverse("complaints:slip", args=[complaint.pk])).text
    for words in ("投诉受理回执", "投诉编号", "受理人：", "顾客签字：", "我们已受理您的投诉", "不适用商场先行赔偿"):
        assert words in page


def test_the_return_slip_and_the_returns_summary(english, chinese, mall, staff):
    desk = staff(Role.FRONT_DESK)
    merchant = MerchantFactory(mall=mall, brand="Acme Sofas", company_name="Acme Ltd")
    r = ReturnFactory(merchant=merchant, goods="Sofa", customer__name="Ms Zhang", gifts="")
    page = english(desk).get(reverse("returns:slip", args=[r.pk])).text
    assert "No-Reason Return Form" in page and "counted from the day after" in page
    assert leaks(page, mall.name, merchant, r.customer.name) == []
    period = {"start": "2026-11-16", "end": "2026-11-22"}
    summary = english(desk).get(reverse("returns:summary"), period).text
    assert "No-Reason Returns Summary" in summary and "Average days to refund" in summary
    assert leaks(summary, mall.name) == []
    sheet = english(desk).get(reverse("returns:summary"), {**period, "format": "xlsx"}).content
    assert sheet_leaks(sheet, mall.name, mall.code) == []
    page = chinese(desk).get(reverse("returns:slip", args=[r.pk])).text
    for words in (
        "无理由退货处理单",
        "单号：",
        "统一收银凭证号",
        "资格审核",
        "顾客承担费用（元）",
        "商户签字：",
        "说明：无理由退货期限为",
    ):
        assert words in page
    summary = chinese(desk).get(reverse("returns:summary"), period).text
    for words in ("无理由退货处理汇总表", "申请总数", "平均退款天数", "制表："):
        assert words in summary
    workbook = load_workbook(
        io.BytesIO(chinese(desk).get(reverse("returns:summary"), {**period, "format": "xlsx"}).content)
    )
    assert workbook.sheetnames == ["无理由退货处理汇总表"]
    assert [c.value for c in workbook.active[2]][:3] == ["单号", "商场", "申请日期"]


def test_the_merchant_file_and_the_exit_checklist(english, chinese, mall, staff):
    clerk = staff(Role.CLERK)
    merchant = MerchantFactory(mall=mall, brand="Acme Sofas", company_name="Acme Ltd")
    BoothFactory(merchant=merchant, number="2F-A-001")
    merchant_notice_exit(
        merchant=merchant,
        actor=clerk,
        notice_date=timezone.localdate(),
        planned_exit_date=timezone.localdate() + timedelta(days=30),
        after_sales_agent="Acme Service",
        after_sales_phone="400-820-1234",
    )
    for name in ("merchants:print_file", "merchants:print_exit_checklist"):
        page = english(clerk).get(reverse(name, args=[merchant.pk])).text
        assert leaks(page, mall.name, merchant.get_category_display()) == [], name
    assert "Shop Tenant File" in english(clerk).get(reverse("merchants:print_file", args=[merchant.pk])).text
    page = chinese(clerk).get(reverse("merchants:print_file", args=[merchant.pk])).text
    for words in ("商铺经营户档案", "统一社会信用代码", "撤场后售后服务单位", "内勤：", "客服中心经理："):
        assert words in page
    page = chinese(clerk).get(reverse("merchants:print_exit_checklist", args=[merchant.pk])).text
    for words in (
        "商户撤场交接清单",
        "撤场通知日期",
        "未结案件（撤场后由商场继续跟进）",
        "商户签字：",
        "说明：商户撤场后",
    ):
        assert words in page


def test_the_registers_printed_and_in_excel(english, chinese, mall, staff):
    manager = staff(Role.MANAGER, first_name="Li", last_name="")
    desk = staff(Role.FRONT_DESK, first_name="Wang", last_name="")
    booth = BoothFactory(merchant__mall=mall, merchant__brand="Acme Sofas")
    complaint = register(mall, desk, booth=booth, customer_name="Ms Zhang", goods="Sofa", facts="Torn seat.")
    staff_complaint_register(
        mall=mall,
        actor=desk,
        caller_name="Mr Li",
        caller_phone="13812345678",
        staff_name="Xiao Wang",
        issue="attitude",
        description="Rude.",
    )
    case = escalated_complaint(mall, customer__name="Ms Zhao", booth__merchant__brand="Best Beds")
    propose(case, staff(Role.COMPLAINT_OFFICER))
    CallbackFactory(sale__mall=mall, sale__customer__name="Ms Qian", sale__goods="Bed")
    data = (mall.name, mall.code, complaint.customer.address, case.goods, case.facts, "布艺沙发")
    client = english(manager)
    for name in ("complaints:register_print", "complaints:staff_print"):
        page = client.get(reverse(name)).text
        assert leaks(page, *data) == [], name
    assert "Consumer Complaint Register" in client.get(reverse("complaints:register_print")).text
    exports = {"complaints:register_export": {}, "compensations:register_export": {}, "followups:register": XLSX}
    for name, query in exports.items():
        response = client.get(reverse(name), query)
        assert response.status_code == 200, name
        assert sheet_leaks(response.content, *data) == [], name
    client = chinese(manager)
    page = client.get(reverse("complaints:register_print")).text
    for words in ("消费者投诉处理登记表", "序号", "投诉编号", "受理时间", "登记人：", "打印日期："):
        assert words in page
    page = client.get(reverse("complaints:staff_print")).text
    for words in ("顾客电话投诉员工登记表", "被投诉员工/导购", "答复顾客时间", "经理签字"):
        assert words in page
    sheets = {
        "complaints:register_export": ("投诉登记", ["投诉编号", "商场", "受理时间"]),
        "compensations:register_export": ("先行赔偿登记", ["赔偿编号", "商场", "申请时间"]),
        "followups:register": ("回访登记", ["商场", "回访类型", "顾客"]),
    }
    for name, (title, headers) in sheets.items():
        workbook = load_workbook(io.BytesIO(client.get(reverse(name), exports[name]).content))
        assert workbook.sheetnames == [title]
        assert [c.value for c in workbook.active[1]][:3] == headers


def test_the_desk_log_and_the_broadcast_programme(english, chinese, mall, staff, clock):
    desk = staff(Role.FRONT_DESK, first_name="Wang", last_name="")
    manager = staff(Role.MANAGER)
    desk_services.default_scripts(mall=mall, actor=manager)
    desk_services.programme_generate_default(mall=mall, actor=manager)
    day = MONDAY_AFTERNOON.date()
    plays = desk_services.programme_draw_up(mall=mall, day=day)
    plays.filter(pk=plays.first().pk).update(status=PlayStatus.MISSED)
    handover = desk_services.handover_record(mall=mall, actor=desk, shift="morning", keys_and_items="Keys", notes="n")
    desk_services.handover_confirm(
        handover=handover, actor=staff(Role.FRONT_DESK, first_name="Zhao", last_name=""), discrepancies="one radio"
    )
    desk_services.enquiry_record(
        mall=mall, actor=desk, channel="phone", topic="other", question="Parking?", answer="22:00"
    )
    titles = list(BroadcastScript.objects.filter(mall=mall).values_list("title", flat=True))
    client = english(desk)
    log = client.get(reverse("frontdesk:print_desk_log"), {"date": day.isoformat()}).text
    assert "Front Desk Log" in log and "1. Shift handovers" in log
    assert leaks(log, mall.name, *titles) == []
    programme = client.get(reverse("frontdesk:print_programme"), {"date": day.isoformat()}).text
    assert "Broadcast Programme" in programme and "Monday" in programme
    assert leaks(programme, mall.name, *titles) == []
    client = chinese(desk)
    log = client.get(reverse("frontdesk:print_desk_log"), {"date": day.isoformat()}).text
    for words in (
        "总台工作日志",
        "一、交接班记录",
        "二、咨询登记（共 1 件",
        "三、值班事项",
        "四、播音执行情况",
        "值班人：",
    ):
        assert words in log
    programme = client.get(reverse("frontdesk:print_programme"), {"date": day.isoformat()}).text
    for words in ("播音程序表", "日期：2026年3月2日（星期一）", "营业时间：", "播音内容以播音稿本为准"):
        assert words in programme


def test_the_weekly_report_workbook(english, chinese, mall, staff):
    head_office = staff(Role.HEAD_OFFICE, in_mall=None)
    week = {"week": "2026-W48", "format": "xlsx"}
    for language, title in ((english, "Weekly Report"), (chinese, "客服中心周报表")):
        response = language(head_office).get(reverse("reports:weekly"), {**week, "mall": mall.code})
        workbook = load_workbook(io.BytesIO(response.content))
        assert title in workbook.active["A1"].value
    response = english(head_office).get(reverse("reports:weekly"), {**week, "mall": mall.code})
    assert sheet_leaks(response.content, mall.name) == []
    assert date(2026, 11, 23).strftime("%B") in load_workbook(io.BytesIO(response.content)).active["A2"].value
    rollup = english(head_office).get(reverse("reports:rollup"), week)
    workbook = load_workbook(io.BytesIO(rollup.content))
    assert workbook.sheetnames[0] == "Summary"
    assert sheet_leaks(rollup.content, mall.name) == []
    workbook = load_workbook(io.BytesIO(chinese(head_office).get(reverse("reports:rollup"), week).content))
    assert workbook.sheetnames[0] == "汇总" and workbook.active["A1"].value == "商场客服中心周报表（集团汇总）"


# --- punctuation -----------------------------------------------------------------------------


def test_no_template_holds_chinese_or_full_width_punctuation_outside_its_tags():
    """A full-width colon or bracket typed into a template leaks into English pages ("Mall：SH01"):
    templates use {% colon %}, {% sep %}, {% lp %}/{% rp %} ... and |join_list instead."""
    tag = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S)
    found = []
    for path in sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html")):
        text = tag.sub("", path.read_text(encoding="utf-8"))
        found += [f"{path.name}: {text[max(0, m.start() - 20) : m.end() + 20]!r}" for m in CJK.finditer(text)]
    assert found == []


def test_the_home_page_headers_and_punctuation_follow_the_reader(english, chinese, mall, staff):
    manager = staff(Role.MANAGER, first_name="Wang", last_name="")
    page = english(manager).get(reverse("home")).text
    assert f"Mall: {mall.code}" in page and "Role: " in page and "Mall：" not in page
    assert leaks(page, mall.name, "(话术)") == []  # the desk's own word for canned replies, given on purpose
    page = chinese(manager).get(reverse("home")).text
    assert f"商场：{mall.code}" in page and "角色：" in page


def test_a_category_other_reads_in_the_readers_punctuation(english, chinese, mall, staff):
    desk = staff(Role.FRONT_DESK)
    complaint = register(mall, desk, category="O", category_other="Smell")
    assert "Other: Smell" in english(desk).get(reverse("complaints:slip", args=[complaint.pk])).text
    assert "：Smell" in chinese(desk).get(reverse("complaints:slip", args=[complaint.pk])).text


def test_the_customers_compensation_receipt(english, chinese, mall, staff):
    complaint = escalated_complaint(mall, customer__name="Ms Zhang", goods="Sofa")
    compensation = approve_all(propose(complaint, staff(Role.COMPLAINT_OFFICER), "3000.00"), [staff(Role.MANAGER)])
    clerk = staff(Role.CLERK)
    url = reverse("compensations:customer_receipt", args=[compensation.pk])
    page = english(clerk).post(url).text
    assert "Advance Compensation Receipt" in page and "I assign to" in page and "RMB 3,000.00 yuan" in page
    assert leaks(page, mall.name, compensation.merchant.brand, "Ms Zhang", "Sofa", complaint.goods_model) == []
    page = chinese(clerk).post(url).text
    for words in ("先行赔偿确认书", "叁仟元整", "顾客签字：", "身份证号："):
        assert words in page
