"""The merchant's deposit, exit checklist and scorecard in the portal (issue #19 items 5-7):
read-only pages, its own merchant's figures only, fixed query counts."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from followups.models import CallbackStatus, Outcome
from merchantportal import selectors
from merchants.models import MerchantPolicy, MerchantStatus, Receivable
from merchants.services import deposit_collect, deposit_top_up
from servicedesk.roles import Role
from tests.compensations.factories import approve_all, escalated_complaint, pay, propose
from tests.followups.factories import CallbackFactory, SaleFactory
from tests.merchants.factories import BoothFactory, MerchantFactory

from .factories import forwarded, merchant_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, shop):
    client.force_login(shop["account"].user)
    return client


def paid_compensation(merchant, staff, amount="3000.00"):
    """A compensation of `merchant` paid through the real services (deducted from its deposit)."""
    complaint = escalated_complaint(merchant.mall, deposit=None, booth=BoothFactory(merchant=merchant))
    compensation = propose(complaint, staff(Role.COMPLAINT_OFFICER, in_mall=merchant.mall), amount)
    compensation = approve_all(compensation, [staff(Role.MANAGER, in_mall=merchant.mall)])
    return pay(compensation, staff(Role.CLERK, in_mall=merchant.mall))


# --- deposit ---------------------------------------------------------------------------------


def test_the_ledger_shows_every_movement_the_balance_and_the_compensation_number_only(signed_in, shop, staff):
    merchant, clerk = shop["merchant"], staff(Role.CLERK)
    deposit_collect(merchant=merchant, amount="2000", actor=clerk, reason="内部：老板欠房租")
    compensation = paid_compensation(merchant, staff, "3000.00")  # 2000 deducted, 1000 to pay in
    deposit_top_up(merchant=merchant, amount="500", actor=clerk)
    body = signed_in.get(reverse("merchantportal:deposit")).content.decode()
    assert "收取" in body and "扣除" in body and "补缴" in body
    assert compensation.number in body
    assert 'id="deposit-balance">500.00' in body
    # nothing internal: the desk's reasons, the proposal's wording, who recorded it, the customer
    for internal in (
        "老板欠房租",
        "商户明确拒绝",
        "商户拒绝退货",
        clerk.username,
        compensation.complaint.customer.name,
    ):
        assert internal not in body
    receivable = Receivable.objects.get(merchant=merchant)
    assert receivable.amount == Decimal("1000.00")
    assert "1,000.00" in body and receivable.due_on.isoformat() in body
    policy_days = MerchantPolicy.for_mall(merchant.mall).deposit_topup_days
    assert receivable.due_on == timezone.localdate() + timedelta(days=policy_days)


def test_the_top_up_deadline_is_the_malls_setting(signed_in, shop, staff):
    MerchantPolicy.objects.create(mall=shop["merchant"].mall, deposit_topup_days=20)
    paid_compensation(shop["merchant"], staff, "3000.00")  # no deposit at all: 3000 to pay in
    receivable = Receivable.objects.get(merchant=shop["merchant"])
    assert receivable.due_on == timezone.localdate() + timedelta(days=20)
    body = signed_in.get(reverse("merchantportal:deposit")).content.decode()
    assert receivable.due_on.isoformat() in body, body[body.find("top-up-requests") :]
    assert "20 天内" in body


def test_the_deposit_page_shows_no_other_merchants_money(signed_in, shop, staff, mall, other_mall):
    for where in (mall, other_mall):
        theirs = MerchantFactory(mall=where)
        deposit_collect(merchant=theirs, amount="77777", actor=staff(Role.CLERK, in_mall=where))
        compensation = paid_compensation(theirs, staff, "3000.00")
        body = signed_in.get(reverse("merchantportal:deposit")).content.decode()
        assert "77,777" not in body and compensation.number not in body and theirs.brand not in body


def test_the_deposit_page_costs_a_fixed_number_of_queries(signed_in, shop, staff, django_assert_max_num_queries):
    url = reverse("merchantportal:deposit")
    deposit_collect(merchant=shop["merchant"], amount="500", actor=staff(Role.CLERK))
    paid_compensation(shop["merchant"], staff, "1000.00")  # an entry and a request, both numbered
    signed_in.get(url)
    with django_assert_max_num_queries(12) as few:
        assert signed_in.get(url).status_code == 200
    for _n in range(3):
        deposit_collect(merchant=shop["merchant"], amount="100", actor=staff(Role.CLERK))
        paid_compensation(shop["merchant"], staff, "5000.00")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert signed_in.get(url).status_code == 200


# --- exit ------------------------------------------------------------------------------------


def notice_exit(merchant, **fields):
    merchant.status = MerchantStatus.EXIT_NOTICED
    merchant.exit_notice_date = fields.get("notice", timezone.localdate() - timedelta(days=3))
    merchant.planned_exit_date = fields.get("planned", date(2027, 1, 31))
    merchant.after_sales_agent = fields.get("agent", "顾家工厂售后部")
    merchant.after_sales_phone = "021-62345678"
    merchant.save()


def steps(body):
    import re

    return dict(re.findall(r'data-step="([a-z_]+)" data-done="([01])"', body))


def test_an_exiting_merchant_sees_done_and_pending_steps_cases_agent_and_hold(signed_in, shop, staff):
    merchant = shop["merchant"]
    notice_exit(merchant)
    compensation = paid_compensation(merchant, staff, "3000.00")  # leaves a receivable open
    body = signed_in.get(reverse("merchantportal:exit")).content.decode()
    found = steps(body)
    assert found["notice"] == "1" and found["after_sales"] == "1"
    assert found["cases_complaints"] == "0" and found["receivables"] == "0"
    assert found["exit"] == "0" and found["deposit"] == "0"
    assert shop["complaint"].number in body  # the forwarded complaint it carries, linked
    assert reverse("merchantportal:complaint", args=[shop["complaint"].pk]) in body
    assert compensation.number in body
    assert "顾家工厂售后部" in body and "021-62345678" in body
    assert "2027-07-31" in body  # planned exit + the mall's 6 months, at the earliest
    assert 'id="nav-exit"' in body


def test_the_hold_follows_the_malls_months_and_steps_turn_done(signed_in, shop):
    merchant = shop["merchant"]
    MerchantPolicy.objects.create(mall=merchant.mall, deposit_hold_months=3)
    notice_exit(merchant)
    shop["complaint"].status = "closed"
    shop["complaint"].save(update_fields=["status"])
    body = signed_in.get(reverse("merchantportal:exit")).content.decode()
    assert "2027-04-30" in body
    found = steps(body)
    assert found["cases_complaints"] == "1" and found["receivables"] == "1"


def test_a_planned_exit_already_past_holds_from_today_at_the_earliest(signed_in, shop):
    from merchants.models import hold_end

    notice_exit(
        shop["merchant"],
        notice=timezone.localdate() - timedelta(days=40),
        planned=timezone.localdate() - timedelta(days=5),
    )
    body = signed_in.get(reverse("merchantportal:exit")).content.decode()
    assert hold_end(timezone.localdate(), 6).isoformat() in body


def test_a_trading_merchant_has_no_exit(signed_in):
    body = signed_in.get(reverse("merchantportal:exit")).content.decode()
    assert 'id="not-exiting"' in body and 'id="nav-exit"' not in body


def test_the_exit_page_lists_only_its_own_cases(signed_in, shop, mall, other_mall, staff):
    notice_exit(shop["merchant"])
    for where in (mall, other_mall):
        theirs = MerchantFactory(mall=where)
        complaint = forwarded(where, staff(Role.COMPLAINT_OFFICER, in_mall=where), BoothFactory(merchant=theirs))
        body = signed_in.get(reverse("merchantportal:exit")).content.decode()
        assert complaint.number not in body and theirs.brand not in body


def test_the_exit_page_costs_a_fixed_number_of_queries(signed_in, shop, mall, staff, django_assert_max_num_queries):
    notice_exit(shop["merchant"])
    url = reverse("merchantportal:exit")
    signed_in.get(url)
    with django_assert_max_num_queries(10) as few:
        assert signed_in.get(url).status_code == 200
    for _n in range(4):
        forwarded(mall, shop["officer"], shop["booth"])
    paid_compensation(shop["merchant"], staff)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert signed_in.get(url).status_code == 200


# --- scorecard -------------------------------------------------------------------------------


def test_the_scorecard_puts_the_merchant_beside_the_malls_average(shop, mall, staff):
    from merchants.models import PriceTagInspection

    merchant, officer = shop["merchant"], shop["officer"]
    other = MerchantFactory(mall=mall)
    other_booth = BoothFactory(merchant=other)
    for _n in range(2):
        forwarded(mall, officer, other_booth)  # the mall: 3 complaints, 2 merchants holding booths
    inspector = staff(Role.PRICE_TAG_OFFICER)
    now = timezone.now()
    for who, booth, passed in ((merchant, shop["booth"], False), (merchant, shop["booth"], True)):
        PriceTagInspection.objects.create(
            mall=mall,
            merchant=who,
            booth=booth,
            inspector=inspector,
            inspected_at=now,
            passed=passed,
            items_checked=5,
            fix_deadline=None if passed else now,
        )
    for _n in range(2):
        PriceTagInspection.objects.create(
            mall=mall,
            merchant=other,
            booth=other_booth,
            inspector=inspector,
            inspected_at=now,
            passed=True,
            items_checked=5,
        )
    for outcome in (Outcome.SATISFIED, Outcome.UNSATISFIED):
        CallbackFactory(
            sale=SaleFactory(mall=mall, merchant=merchant),
            status=CallbackStatus.DONE,
            outcome=outcome,
            deadline_on=timezone.localdate(),
        )
    CallbackFactory(
        sale=SaleFactory(mall=mall, merchant=other),
        status=CallbackStatus.DONE,
        outcome=Outcome.SATISFIED,
        deadline_on=timezone.localdate(),
    )
    month = selectors.scorecard(merchant)[0]
    assert month["month"] == timezone.localdate().replace(day=1)
    assert month["complaints"] == 1 and month["complaints_mall"] == 1.5
    assert month["tag_pass"] == Decimal("50.0") and month["tag_pass_mall"] == Decimal("75.0")
    assert month["satisfaction"] == Decimal("50.0") and month["satisfaction_mall"] == Decimal("66.7")
    assert len(selectors.scorecard(merchant)) == selectors.SCORECARD_MONTHS


def test_answer_times_count_the_merchant_clock(shop, mall):
    from complaints.services import complaint_record_merchant_reply

    complaint = shop["complaint"]
    complaint_record_merchant_reply(
        complaint=complaint, actor=shop["account"].user, answer="agrees", reply="同意", remedy="", amount=None
    )
    month = selectors.scorecard(shop["merchant"])[0]
    assert month["answered"] == 1 and month["answered_on_time"] == Decimal("100.0")
    assert month["answer_hours"] is not None and month["answer_hours"] == month["answer_hours_mall"]


def test_the_scorecard_names_no_other_merchant_and_costs_fixed_queries(
    signed_in, shop, mall, django_assert_max_num_queries
):
    url = reverse("merchantportal:scorecard")
    signed_in.get(url)
    with django_assert_max_num_queries(11) as few:
        assert signed_in.get(url).status_code == 200
    for _n in range(3):
        other = MerchantFactory(mall=mall, brand=f"隔壁品牌{_n}")
        forwarded(mall, shop["officer"], BoothFactory(merchant=other))
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = signed_in.get(url).content.decode()
    at = body.find("隔壁品牌")
    assert at == -1, body[at - 300 : at + 100]


# --- every new page --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["merchantportal:deposit", "merchantportal:exit", "merchantportal:scorecard"])
def test_read_only_pages_refuse_posts_and_staff_and_anonymous(name, client, shop, staff):
    url = reverse(name)
    assert client.get(url).status_code == 302 and "/accounts/login/" in client.get(url)["Location"]
    client.force_login(staff(Role.CLERK))
    assert client.get(url).status_code == 404
    client.force_login(shop["account"].user)
    assert client.post(url).status_code == 405
    second = merchant_user(shop["merchant"], mobile="13900000002", name="导购小李")
    client.force_login(second.user)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("name", ["merchantportal:deposit", "merchantportal:exit", "merchantportal:scorecard"])
def test_english_mode_is_english(name, signed_in, shop):
    signed_in.cookies["django_language"] = "en"
    body = signed_in.get(reverse(name), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    import re

    assert not re.search(r"[\u4e00-\u9fff]", body.replace(shop["merchant"].brand, "").replace("简体中文", ""))
