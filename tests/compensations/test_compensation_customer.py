"""The customer's side of an advance compensation (issue #18 §1-3): a status link whose page
shows the review, the approved amount and the payout and nothing of the mall's business with the
merchant; SMS on the decision and the payout, once each; the receipt the customer signs,
printed with the amount in capitals and a status link as a QR code."""

from decimal import Decimal

import pytest
from django.urls import reverse

from compensations.models import Status
from compensations.services import compensation_reject, compensation_write_off
from portal.models import CaseLink
from portal.services import link_issue
from servicedesk.roles import Role
from sms.models import SmsMessage
from tests.compensations.factories import approve_all, escalated_complaint, pay, propose

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.RATELIMIT_ENABLE = False


def page(client, case):
    response = client.get(reverse("portal:case", args=[link_issue(case=case, purpose="test")]))
    assert response.status_code == 200
    return response.content.decode()


def test_under_review_the_customer_sees_the_review_and_nothing_internal(client, mall, officer):
    compensation = propose(escalated_complaint(mall, deposit="10000.00"), officer, "3000.00")
    html = page(client, compensation)
    assert compensation.number in html and "审核中" in html and "先行赔偿" in html
    for internal in ("商户拒绝退货", "经检测属质量问题", "10,000", "10000", officer.username, "68,000", "68000"):
        assert internal not in html, internal
    assert 'id="message-text"' in html, "the customer may still write while it is open"


def test_approved_says_how_much_and_by_when_to_come(client, mall, officer, manager):
    compensation = approve_all(propose(escalated_complaint(mall), officer, "3000.00"), [manager])
    html = page(client, compensation)
    assert "3,000.00 元" in html and compensation.payment_due_on.isoformat() in html
    assert manager.username not in html and manager.get_full_name() not in html
    sms = SmsMessage.objects.get(key=f"compensation:{compensation.pk}:approved")
    assert sms.event == "compensation_approved" and "3,000.00元" in sms.text
    assert compensation.payment_due_on.isoformat() in sms.text and compensation.number in sms.text


def test_paid_reads_paid_even_while_the_mall_recovers_from_the_merchant(client, mall, officer, manager, clerk):
    compensation = approve_all(propose(escalated_complaint(mall, deposit="1000.00"), officer, "3000.00"), [manager])
    compensation = pay(compensation, clerk)
    assert compensation.status == Status.PARTLY_RECOVERED
    html = page(client, compensation)
    assert 'id="case-status">已赔付' in html and "已向您支付" in html
    assert "追偿" not in html and "应收" not in html and "2,000" not in html
    assert 'id="message-text"' not in html, "paid is over for the customer"
    sms = SmsMessage.objects.get(key=f"compensation:{compensation.pk}:paid")
    assert sms.event == "case_resolved" and "3,000.00" in sms.text
    compensation_write_off(compensation=compensation, actor=manager, reason="商户失联")
    assert 'id="case-status">已赔付' in page(client, compensation)
    assert SmsMessage.objects.filter(key__startswith=f"compensation:{compensation.pk}:").count() == 2


def test_a_rejection_is_told_without_the_approvers_comment(client, mall, officer, manager):
    compensation = propose(escalated_complaint(mall), officer, "3000.00")
    compensation_reject(compensation=compensation, actor=manager, comment="INTERNAL-REJECTION-COMMENT")
    html = page(client, compensation)
    assert "未获批准" in html and "INTERNAL-REJECTION-COMMENT" not in html
    assert SmsMessage.objects.get(key=f"compensation:{compensation.pk}:rejected").event == "compensation_rejected"


def test_the_complaints_own_link_follows_the_compensation(client, mall, officer, manager):
    compensation = approve_all(propose(escalated_complaint(mall), officer, "3000.00"), [manager])
    html = page(client, compensation.complaint)
    assert "先行赔偿已批准" in html and "3,000.00 元" in html
    assert compensation.payment_due_on.isoformat() in html, "the next step is the compensation's"


def approved(mall, officer, manager):
    return approve_all(propose(escalated_complaint(mall), officer, "12345.67"), [manager, *extra_approvers(mall)])


def extra_approvers(mall):
    from tests.factories import make_staff

    return [make_staff(Role.HEAD_OFFICE, mall)]


def test_the_customer_receipt_prints_capitals_and_a_fresh_qr_link(client, mall, officer, manager, clerk):
    compensation = approved(mall, officer, manager)
    assert compensation.status == Status.APPROVED
    client.force_login(clerk)
    url = reverse("compensations:customer_receipt", args=[compensation.pk])
    assert client.get(url).status_code == 405, "printing issues a link: never on a GET"
    html = client.post(url).content.decode()
    assert "壹万贰仟叁佰肆拾伍元陆角柒分" in html and "12,345.67" in html
    assert 'id="slip-qr"' in html and 'src="data:image/svg+xml' in html
    assert compensation.complaint.number in html and "转让" in html
    assert CaseLink.objects.filter(case_type="compensation", case_id=compensation.pk, purpose="print").count() == 1


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.COMPLAINT_OFFICER, Role.SUPERVISOR, Role.HEAD_OFFICE])
def test_only_those_who_pay_print_the_receipt(client, mall, officer, manager, staff, role):
    compensation = approved(mall, officer, manager)
    client.force_login(staff(role))
    response = client.post(reverse("compensations:customer_receipt", args=[compensation.pk]))
    assert response.status_code in (403, 404)
    assert not CaseLink.objects.filter(case_type="compensation", purpose="print").exists()


def test_before_approval_or_after_payout_there_is_no_receipt_to_print(client, mall, officer, manager, clerk):
    compensation = propose(escalated_complaint(mall), officer, "3000.00")
    client.force_login(clerk)
    url = reverse("compensations:customer_receipt", args=[compensation.pk])
    response = client.post(url, follow=True)
    assert "终审" in response.content.decode()
    pay(approve_all(compensation, [manager]), clerk)
    client.post(url)
    assert not CaseLink.objects.filter(case_type="compensation", purpose="print").exists()


def test_another_malls_compensation_is_404(client, mall, other_mall, officer, manager, staff):
    compensation = approved(mall, officer, manager)
    from tests.factories import make_staff

    client.force_login(make_staff(Role.CLERK, other_mall))
    assert client.post(reverse("compensations:customer_receipt", args=[compensation.pk])).status_code == 404


def test_amounts_on_the_page_are_the_compensations(client, mall, officer, manager):
    compensation = approve_all(propose(escalated_complaint(mall), officer, "999.50"), [manager])
    assert compensation.amount == Decimal("999.50")
    assert "999.50 元" in page(client, compensation)
