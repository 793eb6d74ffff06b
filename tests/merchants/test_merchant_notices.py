"""Working with merchants on paper: the notice printed when a complaint is forwarded to the
merchant, the correction notice after a failed price-tag check (both for the merchant to sign),
and the way from a merchant's page to all of its complaints."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from complaints.models import Status
from complaints.services import complaint_forward_to_merchant
from merchants.models import FailureCode
from merchants.services import inspection_record
from servicedesk.roles import Role
from tests.complaints.factories import ComplaintFactory
from tests.merchants.factories import BoothFactory

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
# 23:30 in Shanghai is 15:30 UTC: a date taken in UTC would be a day early on the printout.
LATE = datetime(2026, 11, 26, 23, 30, tzinfo=SH)


def login(client, user):
    client.force_login(user)
    return client


@time_machine.travel(LATE, tick=False)
def test_the_forward_notice_names_the_merchant_the_case_and_the_reply_deadline(client, mall, staff):
    officer = staff(Role.COMPLAINT_OFFICER, first_name="专员", last_name="李")
    complaint = ComplaintFactory(mall=mall, status=Status.ASSIGNED, assignee=officer, claimed_amount="500.00")
    complaint_forward_to_merchant(complaint=complaint, actor=officer, note="已电话通知店长")
    html = login(client, officer).get(reverse("complaints:forward_notice", args=[complaint.pk])).content.decode()
    assert complaint.number in html and complaint.merchant.brand in html and complaint.booth.number in html
    assert complaint.customer.masked_mobile in html and complaint.customer.mobile not in html, "the merchant's copy"
    assert complaint.facts in html and "已电话通知店长" in html
    assert "2026-11-26 23:30" in html, "forwarded at, Shanghai time"
    assert "2026-12-01 23:30" in html, "the merchant answers within 5 days"
    assert "签字" in html and "data-print" in html
    assert "onclick" not in html and 'style="' not in html.split('id="forward-notice"')[1], "no inline script or style"
    detail = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert reverse("complaints:forward_notice", args=[complaint.pk]) in detail


def test_no_forward_notice_before_the_complaint_is_forwarded(client, mall, staff):
    complaint = ComplaintFactory(mall=mall, status=Status.ASSIGNED)
    response = login(client, staff(Role.COMPLAINT_OFFICER)).get(
        reverse("complaints:forward_notice", args=[complaint.pk])
    )
    assert response.status_code == 302 and response["Location"] == reverse("complaints:detail", args=[complaint.pk])
    assert 'id="print-forward-notice"' not in client.get(response["Location"]).content.decode()


def test_the_forward_notice_is_404_in_another_mall_and_403_for_roles_without_complaints(
    client, mall, other_mall, staff
):
    complaint = ComplaintFactory(mall=other_mall, status=Status.WITH_MERCHANT, forwarded_at=LATE)
    response = login(client, staff(Role.COMPLAINT_OFFICER)).get(
        reverse("complaints:forward_notice", args=[complaint.pk])
    )
    assert response.status_code == 404
    mine = ComplaintFactory(mall=mall, status=Status.WITH_MERCHANT, forwarded_at=LATE)
    response = login(client, staff(Role.PRICE_TAG_OFFICER)).get(reverse("complaints:forward_notice", args=[mine.pk]))
    assert response.status_code == 403


def test_forwarding_on_the_page_points_to_the_notice(client, mall, staff):
    officer = staff(Role.COMPLAINT_OFFICER)
    complaint = ComplaintFactory(mall=mall, status=Status.ASSIGNED, assignee=officer)
    response = login(client, officer).post(
        reverse("complaints:act", args=[complaint.pk, "forward"]), {"note": ""}, follow=True
    )
    assert "打印" in response.content.decode() and "商户签字" in response.content.decode()


@pytest.fixture
def failed(mall, staff):
    booth = BoothFactory(merchant__mall=mall, number="2F-B-015")
    with time_machine.travel(LATE, tick=False):
        return inspection_record(
            booth=booth,
            actor=staff(Role.PRICE_TAG_OFFICER, first_name="标价", last_name="赵"),
            items_checked=20,
            failures=[(FailureCode.FALSE_ORIGINAL_PRICE, "三人沙发"), (FailureCode.SERVICE_NOT_PRICED, "")],
            notes="原价虚标",
        )


def test_the_price_tag_notice_lists_the_failures_the_rules_and_the_deadline(client, staff, failed):
    html = login(client, staff(Role.PRICE_TAG_OFFICER)).get(reverse("merchants:inspection_notice", args=[failed.pk]))
    html = html.content.decode()
    assert failed.merchant.brand in html and "2F-B-015" in html
    assert "虚构原价" in html or "原价" in html
    assert "三人沙发" in html and "原价虚标" in html
    assert "2026-11-27 23:30" in html, "fix within 24 hours, Shanghai time"
    assert "7" in html.split('id="notice-rules"')[1], "the rules the merchant signs for"
    assert "签字" in html and "onclick" not in html


def test_a_failed_inspection_recorded_on_the_page_opens_its_notice(client, mall, staff):
    booth = BoothFactory(merchant__mall=mall)
    response = login(client, staff(Role.PRICE_TAG_OFFICER)).post(
        reverse("merchants:inspection_new"),
        {"booth": booth.pk, "items_checked": 12, "failures": [FailureCode.TAG_MISSING], "goods": "床头柜"},
    )
    assert response.status_code == 302 and "/notice/" in response["Location"]
    assert "床头柜" in client.get(response["Location"]).content.decode()


def test_a_passed_inspection_has_no_notice_and_another_malls_is_404(client, mall, other_mall, staff, failed):
    passed = inspection_record(booth=BoothFactory(merchant__mall=mall), actor=failed.inspector, items_checked=5)
    client = login(client, staff(Role.SUPERVISOR))
    assert client.get(reverse("merchants:inspection_notice", args=[passed.pk])).status_code == 302
    other = staff(Role.SUPERVISOR, in_mall=other_mall)
    assert login(client, other).get(reverse("merchants:inspection_notice", args=[failed.pk])).status_code == 404


def test_the_notice_is_linked_from_the_inspection_list_and_the_merchants_page(client, staff, failed):
    client = login(client, staff(Role.SUPERVISOR))
    url = reverse("merchants:inspection_notice", args=[failed.pk])
    assert url in client.get(reverse("merchants:inspections")).content.decode()
    assert url in client.get(reverse("merchants:detail", args=[failed.merchant_id])).content.decode()


@pytest.mark.parametrize(
    ("role", "linked"),
    [
        (Role.FRONT_DESK, True),
        (Role.COMPLAINT_OFFICER, True),
        (Role.SUPERVISOR, True),
        (Role.MANAGER, True),
        (Role.HEAD_OFFICE, True),
        (Role.CLERK, False),
        (Role.PRICE_TAG_OFFICER, False),
    ],
)
def test_the_merchants_page_links_to_all_its_complaints_for_roles_that_open_complaints(
    client, mall, staff, role, linked
):
    complaint = ComplaintFactory(mall=mall, status=Status.CLOSED, received_at=LATE - timedelta(days=90))
    ComplaintFactory(mall=mall, booth=complaint.booth, merchant=complaint.merchant)
    html = login(client, staff(role)).get(reverse("merchants:detail", args=[complaint.merchant_id])).content.decode()
    url = reverse("complaints:merchant", args=[complaint.merchant_id])
    assert (url in html) is linked
    if linked:
        page = client.get(url).content.decode()
        assert complaint.number in page, "closed complaints too, not only the open ones"
        assert "2" in page.split('id="merchant-complaint-counts"')[1][:80]
