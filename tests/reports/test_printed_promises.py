"""Every number a printed form or screen promises comes from the mall's settings in force
(issue #16 item 7): the complaint receipt, the return slip (screen and PDF read back), the
weekly report's labels, the appraisal, the inspection form and the approval form."""

import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from complaints.models import ComplaintPolicy
from merchants.models import MerchantPolicy
from returns.models import ReturnPolicy
from servicedesk.models import POLICY_EPOCH
from servicedesk.roles import Role
from tests.complaints.factories import ComplaintFactory
from tests.returns.factories import ReturnFactory

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def flat(text):
    """Page or PDF text without tags and white space, for reading sentences back."""
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", text))


@pytest.fixture
def slow_mall(mall):
    """The mall promises 48 h / 10 days, a 30-day return window from payment and 5% repackaging."""
    ComplaintPolicy.objects.create(mall=mall, effective_from=POLICY_EPOCH, first_contact_hours=48, resolution_days=10)
    ReturnPolicy.objects.create(
        mall=mall,
        effective_from=POLICY_EPOCH,
        window_days=30,
        count_from="payment",
        max_repackaging_percent=Decimal("5.00"),
        refund_days=10,
    )
    return mall


def test_the_complaint_receipt_states_the_malls_clocks(client, staff, slow_mall, pdf_text):
    complaint = ComplaintFactory(mall=slow_mall, paid_via_unified_cashier=False)
    client.force_login(staff(Role.FRONT_DESK))
    page = flat(client.get(reverse("complaints:slip", args=[complaint.pk])).content.decode())
    pdf = flat(pdf_text(client.get(reverse("complaints:slip_pdf", args=[complaint.pk])).content))
    for text in (page, pdf):
        assert "将在48小时内与您联系，10日内给出处理意见" in text
        assert "不适用商场先行赔偿及30天无理由退货承诺" in text
        assert "24小时" not in text and "7日内" not in text and "七天" not in text


def test_the_receipt_keeps_the_promise_made_on_the_day_of_receipt(client, staff, mall):
    complaint = ComplaintFactory(mall=mall, received_at=datetime(2026, 11, 20, 10, tzinfo=SH))
    # A change taking effect after the complaint was received does not rewrite its receipt.
    ComplaintPolicy.objects.create(mall=mall, effective_from=date(2026, 11, 21), first_contact_hours=12)
    client.force_login(staff(Role.FRONT_DESK))
    page = flat(client.get(reverse("complaints:slip", args=[complaint.pk])).content.decode())
    assert "将在24小时内与您联系，7日内给出处理意见" in page


def test_the_return_slip_states_the_malls_promise(client, staff, slow_mall, pdf_text):
    r = ReturnFactory(merchant__mall=slow_mall, goods_received_on=date(2026, 11, 25), status="goods_received")
    client.force_login(staff(Role.FRONT_DESK))
    page = flat(client.get(reverse("returns:slip", args=[r.pk])).content.decode())
    pdf = flat(pdf_text(client.get(reverse("returns:slip_pdf", args=[r.pk])).content))
    for text in (page, pdf):
        assert "无理由退货期限为30天，自付款次日起计算" in text
        assert "重新包装费不超过商品价格的5%" in text
        assert "退款于收回商品之日起10日内办理（本单应于2026年12月5日前退款）" in text
        assert "符合30天无理由退货条件" in text
        assert "七天" not in text and "3%" not in text and "送货签收次日" not in text


def test_the_default_slip_reads_the_domain_defaults(client, staff, mall):
    r = ReturnFactory(merchant__mall=mall)
    client.force_login(staff(Role.FRONT_DESK))
    page = flat(client.get(reverse("returns:slip", args=[r.pk])).content.decode())
    assert "无理由退货期限为7天，自送货签收次日起计算" in page and "不超过商品价格的3%" in page


def test_a_return_keeps_the_window_in_force_on_the_day_it_was_requested(client, staff, mall):
    r = ReturnFactory(merchant__mall=mall, requested_on=date(2026, 11, 20))
    ReturnPolicy.objects.create(mall=mall, effective_from=date(2026, 11, 21), window_days=3)
    assert r.policy().window_days == 7
    client.force_login(staff(Role.FRONT_DESK))
    page = flat(client.get(reverse("returns:slip", args=[r.pk])).content.decode())
    assert "无理由退货期限为7天" in page


def test_the_weekly_report_labels_state_the_malls_clocks(client, staff, slow_mall, pdf_text):
    ComplaintPolicy.objects.filter(mall=slow_mall).update(deliberate_delay_days=20)
    client.force_login(staff(Role.MANAGER))
    page = flat(client.get(reverse("reports:weekly"), {"week": "2026-W47"}).content.decode())
    pdf = flat(pdf_text(client.get(reverse("reports:weekly"), {"week": "2026-W47", "format": "pdf"}).content))
    for text in (page, pdf):
        assert "48小时内首次联系率" in text
        assert "按时办结率（10日内解决）" in text
        assert "超期未结（超过20天）" in text
        assert "24小时" not in text and "15天" not in text


def test_the_appraisal_states_the_malls_hours(client, staff, slow_mall):
    client.force_login(staff(Role.MANAGER))
    page = flat(client.get(reverse("reports:appraisal"), {"month": "2026-11"}).content.decode())
    assert "48小时内首次响应率" in page and "24小时" not in page


def test_the_inspection_form_states_the_malls_rules(client, staff, mall):
    MerchantPolicy.objects.create(
        mall=mall, effective_from=POLICY_EPOCH, price_tag_fix_hours=48, flag_failures=3, flag_window_days=60
    )
    client.force_login(staff(Role.PRICE_TAG_OFFICER))
    page = flat(client.get(reverse("merchants:inspection_new")).content.decode())
    assert "不合格须在48小时内整改；60天内3次不合格将标记该商户" in page


def test_the_approval_form_states_the_malls_payment_period(client, staff, mall):
    from compensations.models import CompensationPolicy
    from tests.compensations.factories import escalated_complaint, propose

    CompensationPolicy.objects.create(mall=mall, effective_from=POLICY_EPOCH, payment_working_days=5)
    officer = staff(Role.COMPLAINT_OFFICER)
    compensation = propose(escalated_complaint(mall), officer)
    client.force_login(officer)
    page = flat(client.get(reverse("compensations:compensation_approval", args=[compensation.pk])).content.decode())
    assert "应于终审后5个工作日内支付" in page
