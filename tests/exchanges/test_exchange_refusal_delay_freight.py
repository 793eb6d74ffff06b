"""The merchant's refusal and the mall's decision on it, the deliberate-delay flag, the freight
(issue 21, exchanges' "not yet done"): services, pages and every role."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from exchanges.models import Direction, ExchangePolicy, ExchangeStatus, FreightPayer
from exchanges.services import (
    exchange_merchant_refuse,
    exchange_override,
    exchange_record_freight,
    exchange_refuse,
    exchange_settle,
)
from exchanges.services.reminders import exchange_delay_scan
from servicedesk.limits import AMOUNT_MAX
from servicedesk.models import Notification
from servicedesk.roles import Role
from servicedesk.workflow import TransitionRefused
from sms.models import SmsMessage
from tests.exchanges.factories import ExchangeFactory
from tests.merchantportal.factories import merchant_user
from tests.merchants.factories import MerchantFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


# --- The merchant's refusal and the decision on it ----------------------------------------------


def test_the_merchants_refusal_waits_for_the_supervisor_or_manager(mall, staff):
    supervisor, manager, desk = staff(Role.SUPERVISOR), staff(Role.MANAGER), staff(Role.FRONT_DESK)
    merchant = MerchantFactory(mall=mall)
    e = ExchangeFactory(merchant=merchant)
    exchange_merchant_refuse(exchange=e, actor=merchant_user(merchant).user, reason="  商品已拆封使用  ")
    e.refresh_from_db()
    assert e.status == ExchangeStatus.MERCHANT_REFUSED and e.merchant_refusal_reason == "商品已拆封使用"
    assert e.merchant_refused_at and not e.refusal_reason
    told = set(Notification.objects.filter(key=f"exchange:{e.pk}:merchant_refused").values_list("recipient", flat=True))
    assert told == {supervisor.pk, manager.pk} and desk.pk not in told
    assert not SmsMessage.objects.filter(key__startswith=f"exchange:{e.pk}:").exists(), "the customer waits"


def test_the_merchants_refusal_needs_a_reason_and_saves_nothing_without(mall):
    merchant = MerchantFactory(mall=mall)
    e = ExchangeFactory(merchant=merchant)
    user = merchant_user(merchant).user
    for reason in ("", "   ", "长" * 2001):
        with pytest.raises(ValidationError) as caught:
            exchange_merchant_refuse(exchange=e, actor=user, reason=reason)
        assert "merchant_refusal_reason" in caught.value.message_dict
        e.refresh_from_db()
        assert e.status == ExchangeStatus.REQUESTED


def test_a_merchant_refuses_only_its_own_exchange_while_it_waits(mall, other_mall):
    merchant = MerchantFactory(mall=mall)
    user = merchant_user(merchant).user
    for other in (ExchangeFactory(merchant__mall=mall), ExchangeFactory(merchant__mall=other_mall)):
        with pytest.raises(Http404):
            exchange_merchant_refuse(exchange=other, actor=user, reason="不换")
    confirmed = ExchangeFactory(merchant=merchant, status=ExchangeStatus.CONFIRMED)
    with pytest.raises(TransitionRefused):
        exchange_merchant_refuse(exchange=confirmed, actor=user, reason="不换")


def test_upholding_the_refusal_tells_the_customer_the_malls_reason(mall, staff):
    e = ExchangeFactory(merchant__mall=mall, status=ExchangeStatus.MERCHANT_REFUSED, merchant_refusal_reason="不换")
    exchange_refuse(exchange=e, actor=staff(Role.SUPERVISOR), reason="商品已使用，不符合无理由换货条件")
    e.refresh_from_db()
    assert e.status == ExchangeStatus.REFUSED and e.refused_at
    assert "商品已使用" in SmsMessage.objects.get(key=f"exchange:{e.pk}:refused").text


def test_overriding_needs_a_written_reason_and_an_eligible_exchange(mall, staff):
    manager = staff(Role.MANAGER)
    e = ExchangeFactory(merchant__mall=mall, status=ExchangeStatus.MERCHANT_REFUSED)
    with pytest.raises(ValidationError) as caught:
        exchange_override(exchange=e, actor=manager, reason=" ")
    assert "override_reason" in caught.value.message_dict
    ineligible = ExchangeFactory(
        merchant__mall=mall, status=ExchangeStatus.MERCHANT_REFUSED, eligible=False, eligibility_reasons=["超过期限"]
    )
    with pytest.raises(ValidationError):
        exchange_override(exchange=ineligible, actor=manager, reason="照顾老顾客")
    ineligible.refresh_from_db()
    assert ineligible.status == ExchangeStatus.MERCHANT_REFUSED
    exchange_override(exchange=e, actor=manager, reason="质量问题明确，商户无理拒绝，商场先行办理")
    e.refresh_from_db()
    assert e.status == ExchangeStatus.CONFIRMED and e.overridden_by == manager and e.confirmed_at
    assert e.history.filter(override_reason__startswith="质量问题明确").exists(), "audited"
    assert SmsMessage.objects.filter(key=f"exchange:{e.pk}:confirmed").count() == 1


@pytest.mark.parametrize("role", [r for r in Role.values if r not in (Role.SUPERVISOR, Role.MANAGER)])
def test_only_the_supervisor_or_manager_decides_on_a_refusal(role, mall, staff):
    e = ExchangeFactory(merchant__mall=mall, status=ExchangeStatus.MERCHANT_REFUSED)
    for decide in (
        lambda: exchange_override(exchange=e, actor=staff(role), reason="改判"),
        lambda: exchange_refuse(exchange=e, actor=staff(role), reason="维持"),
    ):
        with pytest.raises(PermissionDenied):
            decide()
    e.refresh_from_db()
    assert e.status == ExchangeStatus.MERCHANT_REFUSED


def test_the_merchants_user_cannot_decide_on_its_own_refusal(mall):
    merchant = MerchantFactory(mall=mall)
    e = ExchangeFactory(merchant=merchant, status=ExchangeStatus.MERCHANT_REFUSED)
    with pytest.raises(PermissionDenied):
        exchange_override(exchange=e, actor=merchant_user(merchant).user, reason="改判")


def test_the_case_page_offers_the_decision_to_the_supervisor_only(client, mall, staff):
    e = ExchangeFactory(merchant__mall=mall, status=ExchangeStatus.MERCHANT_REFUSED, merchant_refusal_reason="不换")
    e.merchant_refused_at = e.registered_at
    e.save()
    client.force_login(staff(Role.FRONT_DESK))
    page = client.get(reverse("exchanges:detail", args=[e.pk])).content.decode()
    assert "不换" in page and 'id="action-override"' not in page and 'id="action-refuse"' not in page
    assert client.post(reverse("exchanges:action", args=[e.pk, "override"]), {"override-override_reason": "x"})
    e.refresh_from_db()
    assert e.status == ExchangeStatus.MERCHANT_REFUSED
    client.force_login(staff(Role.SUPERVISOR))
    page = client.get(reverse("exchanges:detail", args=[e.pk])).content.decode()
    assert 'id="action-override"' in page and 'id="action-refuse"' in page
    response = client.post(reverse("exchanges:action", args=[e.pk, "override"]), {"override-override_reason": ""})
    assert response.status_code == 302
    e.refresh_from_db()
    assert e.status == ExchangeStatus.MERCHANT_REFUSED
    client.post(reverse("exchanges:action", args=[e.pk, "override"]), {"override-override_reason": "商户无理拒绝"})
    e.refresh_from_db()
    assert e.status == ExchangeStatus.CONFIRMED
    assert "商户无理拒绝" in client.get(reverse("exchanges:detail", args=[e.pk])).content.decode()
    assert client.post(reverse("exchanges:action", args=[e.pk, "merchant_refuse"])).status_code == 404


# --- Deliberate delay ----------------------------------------------------------------------------


def test_an_exchange_not_handled_within_15_days_is_flagged_once(mall, staff):
    supervisor, manager = staff(Role.SUPERVISOR), staff(Role.MANAGER)
    day15 = ExchangeFactory(merchant__mall=mall, requested_on=TODAY - timedelta(days=15))
    day16 = ExchangeFactory(merchant__mall=mall, requested_on=TODAY - timedelta(days=16))
    refused_late = ExchangeFactory(
        merchant__mall=mall, requested_on=TODAY - timedelta(days=30), status=ExchangeStatus.REFUSED
    )
    delivered_late = ExchangeFactory(
        merchant__mall=mall, requested_on=TODAY - timedelta(days=30), status=ExchangeStatus.DELIVERED
    )
    waiting_on_the_mall = ExchangeFactory(
        merchant__mall=mall, requested_on=TODAY - timedelta(days=20), status=ExchangeStatus.MERCHANT_REFUSED
    )
    assert exchange_delay_scan(TODAY) == 4  # two exchanges, supervisor and manager each
    for e, flagged in ((day15, False), (day16, True), (refused_late, False), (delivered_late, False)):
        e.refresh_from_db()
        assert e.delay_flagged is flagged, e.requested_on
    waiting_on_the_mall.refresh_from_db()
    assert waiting_on_the_mall.delay_flagged
    assert (
        Notification.objects.filter(
            recipient__in=[supervisor, manager], key=f"exchange:{day16.pk}:deliberate_delay"
        ).count()
        == 2
    )
    assert exchange_delay_scan(TODAY) == 0, "a second run changes nothing"


def test_the_line_is_the_malls_setting_in_force_on_the_request_day(mall, other_mall, staff):
    staff(Role.SUPERVISOR)
    ExchangePolicy.objects.create(mall=mall, effective_from=date(2026, 1, 1), delay_days=10)
    ours = ExchangeFactory(merchant__mall=mall, requested_on=TODAY - timedelta(days=11))
    theirs = ExchangeFactory(merchant__mall=other_mall, requested_on=TODAY - timedelta(days=11))
    exchange_delay_scan(TODAY)
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert ours.delay_flagged and not theirs.delay_flagged


def test_the_setting_is_validated(mall):
    for days in (0, 91):
        with pytest.raises(ValidationError):
            ExchangePolicy(mall=mall, effective_from=TODAY, delay_days=days).full_clean()


def test_supervisors_find_delayed_exchanges_in_the_register(client, mall, staff):
    late = ExchangeFactory(merchant__mall=mall, delay_flagged=True)
    ExchangeFactory(merchant__mall=mall)
    client.force_login(staff(Role.SUPERVISOR))
    response = client.get(reverse("exchanges:index"), {"delayed": "1"})
    assert list(response.context["page"]) == [late] and "delay-badge" in response.content.decode()
    assert 'id="delay-alert"' in client.get(reverse("exchanges:detail", args=[late.pk])).content.decode()


def test_the_scan_is_a_registered_daily_task():
    from servicedesk.schedules import SCHEDULES

    assert any(s.task == "exchanges.delay_scan" for s in SCHEDULES)


# --- Freight -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "payer"), [("no_reason", FreightPayer.CUSTOMER), ("quality", FreightPayer.MERCHANT)])
def test_freight_is_paid_by_the_customer_for_a_no_reason_exchange_and_by_the_merchant_for_quality(
    kind, payer, mall, staff
):
    e = ExchangeFactory(merchant__mall=mall, kind=kind, status=ExchangeStatus.CONFIRMED)
    exchange_record_freight(exchange=e, actor=staff(Role.FRONT_DESK), freight_amount=Decimal("180.5"))
    e.refresh_from_db()
    assert (e.freight_amount, e.freight_payer, e.status) == (Decimal("180.50"), payer, ExchangeStatus.CONFIRMED)


@pytest.mark.parametrize("amount", [None, Decimal("0"), Decimal("-5"), AMOUNT_MAX + 1])
def test_a_bad_freight_amount_is_refused_next_to_the_field(amount, mall, staff):
    e = ExchangeFactory(merchant__mall=mall, status=ExchangeStatus.CONFIRMED)
    with pytest.raises(ValidationError) as caught:
        exchange_record_freight(exchange=e, actor=staff(Role.FRONT_DESK), freight_amount=amount)
    assert "freight_amount" in caught.value.message_dict
    e.refresh_from_db()
    assert e.freight_amount is None


def test_freight_the_customer_pays_needs_the_cashiers_reference_even_without_a_difference(mall, staff):
    supervisor = staff(Role.SUPERVISOR)
    common = {
        "status": ExchangeStatus.REPLACEMENT_AGREED,
        "new_goods": "同款沙发",
        "new_price": Decimal("8000.00"),
        "difference_direction": Direction.NONE,
        "difference_amount": Decimal("0.00"),
        "freight_amount": Decimal("200.00"),
    }
    customer_pays = ExchangeFactory(merchant__mall=mall, freight_payer=FreightPayer.CUSTOMER, **common)
    with pytest.raises(ValidationError) as caught:
        exchange_settle(exchange=customer_pays, actor=supervisor)
    assert "cashier_reference" in caught.value.message_dict
    merchant_pays = ExchangeFactory(merchant__mall=mall, kind="quality", freight_payer=FreightPayer.MERCHANT, **common)
    exchange_settle(exchange=merchant_pays, actor=supervisor)
    merchant_pays.refresh_from_db()
    assert merchant_pays.status == ExchangeStatus.SETTLED


def test_freight_through_the_page_and_on_the_slip(client, mall, staff):
    e = ExchangeFactory(merchant__mall=mall, status=ExchangeStatus.CONFIRMED)
    client.force_login(staff(Role.FRONT_DESK))
    client.post(reverse("exchanges:action", args=[e.pk, "record_freight"]), {"record_freight-freight_amount": "abc"})
    e.refresh_from_db()
    assert e.freight_amount is None
    client.post(reverse("exchanges:action", args=[e.pk, "record_freight"]), {"record_freight-freight_amount": "240"})
    e.refresh_from_db()
    assert e.freight_amount == Decimal("240.00")
    assert 'id="freight"' in client.get(reverse("exchanges:detail", args=[e.pk])).content.decode()
    slip = client.get(reverse("exchanges:slip", args=[e.pk])).content.decode()
    assert "240.00" in slip and "往返运费" in slip and "顾客" in slip
