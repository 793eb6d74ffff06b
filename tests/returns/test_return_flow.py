from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from returns.models import RETURN_TRANSITIONS, ReturnPolicy, ReturnRequest, ReturnStatus
from returns.services import (
    return_approve,
    return_check,
    return_close,
    return_inspect,
    return_merchant_reply,
    return_override,
    return_receive_goods,
    return_refund,
    return_refuse,
    return_register,
)
from servicedesk.models import Notification
from servicedesk.roles import Role
from servicedesk.workflow import TransitionRefused
from tests.merchants.factories import BoothFactory, MerchantFactory
from tests.returns.factories import ReturnFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2026, 11, 20), tick=False):
        yield


@pytest.fixture
def desk(staff):
    return staff(Role.FRONT_DESK)


@pytest.fixture
def supervisor(staff):
    return staff(Role.SUPERVISOR)


@pytest.fixture
def manager(staff):
    return staff(Role.MANAGER)


def sale(merchant, **changes):
    return {
        "merchant": merchant,
        "goods": "布艺沙发",
        "price_paid": Decimal("8000.00"),
        "payment_date": date(2026, 11, 10),
        "delivery_date": date(2026, 11, 15),
        "voucher_number": "SY00001234",
    } | changes


def test_register_finds_the_customer_and_numbers_the_return(mall, desk):
    merchant = MerchantFactory(mall=mall)
    r = return_register(mall=mall, actor=desk, customer_name="张三", customer_mobile="138 1234 5678", **sale(merchant))
    assert r.number == "TH-SH01-20261120-0001"
    assert r.status == ReturnStatus.REQUESTED and r.customer.mobile == "13812345678"
    again = return_register(
        mall=mall, actor=desk, customer_name="张三", customer_mobile="13812345678", **sale(merchant)
    )
    assert again.customer == r.customer and again.number.endswith("0002")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"payment_date": date(2026, 11, 21)}, "payment_date"),
        ({"delivery_date": date(2026, 11, 9)}, "delivery_date"),
        ({"delivery_date": date(2026, 11, 21)}, "delivery_date"),
    ],
)
def test_dates_in_order_and_not_in_the_future(changes, field, mall, desk):
    with pytest.raises(ValidationError) as error:
        return_register(
            mall=mall,
            actor=desk,
            customer_name="张三",
            customer_mobile="13812345678",
            **sale(MerchantFactory(mall=mall), **changes),
        )
    assert field in error.value.message_dict
    assert not ReturnRequest.objects.exists()


def test_booth_must_be_the_merchants_on_the_payment_date(mall, desk):
    merchant = MerchantFactory(mall=mall)
    someone_elses = BoothFactory(merchant__mall=mall)
    with pytest.raises(ValidationError) as error:
        return_register(
            mall=mall,
            actor=desk,
            customer_name="张三",
            customer_mobile="13812345678",
            **sale(merchant, booth=someone_elses),
        )
    assert "booth" in error.value.message_dict


def test_another_malls_merchant_is_refused(mall, other_mall, desk):
    with pytest.raises(ValidationError) as error:
        return_register(
            mall=mall,
            actor=desk,
            customer_name="张三",
            customer_mobile="13812345678",
            **sale(MerchantFactory(mall=other_mall)),
        )
    assert "merchant" in error.value.message_dict


def test_bad_mobile_saves_nothing(mall, desk):
    with pytest.raises(ValidationError):
        return_register(
            mall=mall, actor=desk, customer_name="张三", customer_mobile="1234", **sale(MerchantFactory(mall=mall))
        )
    assert not ReturnRequest.objects.exists()


def test_check_stores_the_reasons(mall, desk):
    r = ReturnFactory(merchant__mall=mall, custom_made=True, voucher_number="")
    return_check(return_request=r, actor=desk)
    r.refresh_from_db()
    assert r.status == ReturnStatus.CHECKED and r.eligible is False
    assert len(r.ineligibility_reasons) == 2


def test_quality_returns_are_not_bound_by_the_exclusions(mall, desk):
    r = ReturnFactory(
        merchant__mall=mall,
        kind="quality",
        custom_made=True,
        payment_date=date(2025, 12, 20),
        delivery_date=date(2026, 1, 1),
    )
    return_check(return_request=r, actor=desk)
    r.refresh_from_db()
    assert r.eligible is True


def test_ineligible_cannot_be_approved_until_a_manager_overrides_with_a_reason(mall, desk, supervisor, manager):
    r = ReturnFactory(merchant__mall=mall, sample=True, registered_by=desk)
    return_check(return_request=r, actor=desk)
    with pytest.raises(ValidationError):
        return_approve(return_request=r, actor=supervisor)
    with pytest.raises(PermissionDenied):
        return_override(return_request=r, actor=supervisor, reason="老顾客")
    with pytest.raises(ValidationError):
        return_override(return_request=r, actor=manager, reason="  ")
    return_override(return_request=r, actor=manager, reason="样品无瑕疵，商户同意")
    r.refresh_from_db()
    assert r.overridden_by == manager
    latest = r.history.first()
    assert latest.history_user == manager and "样品无瑕疵" in latest.history_change_reason
    return_approve(return_request=r, actor=supervisor)
    r.refresh_from_db()
    assert r.status == ReturnStatus.APPROVED


@pytest.mark.parametrize("role", [r for r in Role if r != Role.MANAGER])
def test_only_the_manager_overrides(role, mall, desk, staff):
    r = ReturnFactory(merchant__mall=mall, sample=True)
    return_check(return_request=r, actor=desk)
    with pytest.raises(PermissionDenied):
        return_override(return_request=r, actor=staff(role), reason="理由")


def test_the_registrar_never_approves(mall, supervisor):
    r = ReturnFactory(merchant__mall=mall, registered_by=supervisor, status=ReturnStatus.CHECKED, eligible=True)
    with pytest.raises(PermissionDenied):
        return_approve(return_request=r, actor=supervisor)


def test_above_20000_only_the_manager_approves(mall, supervisor, manager):
    r = ReturnFactory(merchant__mall=mall, price_paid=Decimal("20000.01"), status=ReturnStatus.CHECKED, eligible=True)
    with pytest.raises(PermissionDenied) as error:
        return_approve(return_request=r, actor=supervisor)
    assert "20,000.00" in str(error.value)
    return_approve(return_request=r, actor=manager)


def test_exactly_20000_the_supervisor_approves(mall, supervisor):
    r = ReturnFactory(merchant__mall=mall, price_paid=Decimal("20000.00"), status=ReturnStatus.CHECKED, eligible=True)
    return_approve(return_request=r, actor=supervisor)


def test_the_threshold_is_a_mall_setting(mall, supervisor):
    ReturnPolicy.objects.update_or_create(mall=mall, defaults={"manager_above": Decimal("5000")})
    r = ReturnFactory(merchant__mall=mall, price_paid=Decimal("8000"), status=ReturnStatus.CHECKED, eligible=True)
    with pytest.raises(PermissionDenied):
        return_approve(return_request=r, actor=supervisor)


def test_refusal_needs_a_reason(mall, supervisor):
    r = ReturnFactory(merchant__mall=mall, status=ReturnStatus.CHECKED, eligible=False)
    with pytest.raises(ValidationError):
        return_refuse(return_request=r, actor=supervisor, reason="")
    return_refuse(return_request=r, actor=supervisor, reason="超过七天")
    r.refresh_from_db()
    assert r.status == ReturnStatus.REFUSED and r.refusal_reason == "超过七天"


def test_a_merchant_refusing_an_eligible_return_goes_to_advance_compensation(mall, desk, manager):
    r = ReturnFactory(merchant__mall=mall, status=ReturnStatus.CHECKED, eligible=True)
    return_merchant_reply(return_request=r, actor=desk, agrees=False, reply="已拆封不退")
    return_merchant_reply(return_request=r, actor=desk, agrees=False, reply="仍不同意")
    r.refresh_from_db()
    assert r.escalated_at is not None and r.status == ReturnStatus.CHECKED
    assert Notification.objects.filter(recipient=manager, key=f"return:{r.pk}:merchant_refused").count() == 1


def test_a_merchant_refusing_an_ineligible_return_is_not_escalated(mall, desk):
    r = ReturnFactory(merchant__mall=mall, status=ReturnStatus.CHECKED, eligible=False)
    return_merchant_reply(return_request=r, actor=desk, agrees=False)
    r.refresh_from_db()
    assert r.escalated_at is None


def received(mall, **kwargs):
    return ReturnFactory(
        merchant__mall=mall, status=ReturnStatus.INTACT, eligible=True, goods_received_on=date(2026, 11, 18), **kwargs
    )


def test_refund_is_price_less_what_the_customer_bears(mall, supervisor):
    r = received(mall)
    return_refund(
        return_request=r,
        actor=supervisor,
        method="original",
        freight_fee=Decimal("200"),
        installation_fee=Decimal("100"),
        repackaging_fee=Decimal("240"),
    )
    r.refresh_from_db()
    assert r.refund_amount == Decimal("7460.00")
    assert r.freight_payer == "customer" and r.status == ReturnStatus.REFUNDED


def test_repackaging_above_3_percent_is_refused(mall, supervisor):
    r = received(mall)
    with pytest.raises(ValidationError) as error:
        return_refund(return_request=r, actor=supervisor, method="original", repackaging_fee=Decimal("240.01"))
    assert "repackaging_fee" in error.value.message_dict and "240.00" in str(error.value)
    r.refresh_from_db()
    assert r.status == ReturnStatus.INTACT and r.refund_amount is None


def test_quality_returns_charge_the_customer_nothing(mall, supervisor):
    r = received(mall, kind="quality")
    with pytest.raises(ValidationError) as error:
        return_refund(return_request=r, actor=supervisor, method="original", freight_fee=Decimal("50"))
    assert "freight_fee" in error.value.message_dict
    return_refund(return_request=r, actor=supervisor, method="original")
    r.refresh_from_db()
    assert r.refund_amount == r.price_paid and r.freight_payer == "operator"


def test_gift_deduction_only_when_gifts_are_kept(mall, supervisor):
    r = received(mall)
    with pytest.raises(ValidationError):
        return_refund(return_request=r, actor=supervisor, method="original", gift_deduction=Decimal("99"))


def test_refund_never_above_what_was_paid(mall, supervisor):
    r = received(mall)
    with pytest.raises(ValidationError):
        return_refund(return_request=r, actor=supervisor, method="original", freight_fee=Decimal("-10"))
    r.refund_amount = r.price_paid + 1
    with pytest.raises(ValidationError):
        r.full_clean()


def test_inspection_needs_reasons_when_not_intact(mall, staff):
    officer = staff(Role.COMPLAINT_OFFICER)
    r = ReturnFactory(merchant__mall=mall, status=ReturnStatus.GOODS_RECEIVED, goods_received_on=date(2026, 11, 18))
    with pytest.raises(ValidationError):
        return_inspect(return_request=r, actor=officer, intact=False)
    with pytest.raises(ValidationError):
        return_inspect(return_request=r, actor=officer, intact=True, reasons=["stained"])
    return_inspect(return_request=r, actor=officer, intact=False, reasons=["labels_removed", "stained"])
    r.refresh_from_db()
    assert r.status == ReturnStatus.NOT_INTACT and r.not_intact_reasons == ["labels_removed", "stained"]


def test_goods_cannot_come_back_in_the_future(mall, desk):
    r = ReturnFactory(merchant__mall=mall, status=ReturnStatus.APPROVED)
    with pytest.raises(ValidationError):
        return_receive_goods(return_request=r, actor=desk, received_on=date(2026, 11, 21))


# Every (state, action) for every role: allowed where the table says, refused elsewhere.
DO = {
    "check": lambda r, a: return_check(return_request=r, actor=a),
    "approve": lambda r, a: return_approve(return_request=r, actor=a),
    "refuse": lambda r, a: return_refuse(return_request=r, actor=a, reason="理由"),
    "receive_goods": lambda r, a: return_receive_goods(return_request=r, actor=a),
    "inspect_intact": lambda r, a: return_inspect(return_request=r, actor=a, intact=True),
    "inspect_not_intact": lambda r, a: return_inspect(return_request=r, actor=a, intact=False, reasons=["stained"]),
    "refund": lambda r, a: return_refund(return_request=r, actor=a, method="original"),
    "close": lambda r, a: return_close(return_request=r, actor=a),
}
CASES = [(state, action, role) for state in ReturnStatus for action in DO for role in Role]


@pytest.mark.parametrize(("state", "action", "role"), CASES, ids=lambda v: str(getattr(v, "value", v)))
def test_transition_table(state, action, role, mall, staff):
    r = ReturnFactory(
        merchant__mall=mall,
        status=state,
        eligible=True,
        goods_received_on=date(2026, 11, 18) if state not in ("requested", "checked", "approved", "refused") else None,
    )
    actor = staff(role)
    rule = RETURN_TRANSITIONS.get((state, action))
    if rule is None:
        with pytest.raises(TransitionRefused):
            DO[action](r, actor)
    elif role not in rule[1]:
        with pytest.raises(PermissionDenied):
            DO[action](r, actor)
    else:
        DO[action](r, actor)
        r.refresh_from_db()
        assert r.status == rule[0]
        return
    r.refresh_from_db()
    assert r.status == state


def test_whole_path_to_closed(mall, desk, supervisor, staff):
    officer = staff(Role.COMPLAINT_OFFICER)
    r = return_register(
        mall=mall, actor=desk, customer_name="张三", customer_mobile="13812345678", **sale(MerchantFactory(mall=mall))
    )
    return_check(return_request=r, actor=desk)
    return_merchant_reply(return_request=r, actor=desk, agrees=True, reply="同意")
    return_approve(
        return_request=r,
        actor=supervisor,
        pickup_date=date(2026, 11, 21),
        pickup_address="金沙江路100号",
        driver="小刘",
    )
    with time_machine.travel(date(2026, 11, 22), tick=False):
        return_receive_goods(return_request=r, actor=desk)
        return_inspect(return_request=r, actor=officer, intact=True)
        return_refund(return_request=r, actor=supervisor, method="original", freight_fee=Decimal("150"))
        return_close(return_request=r, actor=desk)
    r.refresh_from_db()
    assert r.status == ReturnStatus.CLOSED and r.refund_amount == Decimal("7850.00")
    assert r.history.count() >= 8
    assert r.goods_received_on + timedelta(days=7) == date(2026, 11, 29)


def test_a_pick_up_needs_an_address_and_takes_the_customers_on_file(mall, desk, supervisor):
    """The address is asked where the case needs it: a pick-up sends a driver to the customer."""
    r = return_register(
        mall=mall, actor=desk, customer_name="张三", customer_mobile="13812345678", **sale(MerchantFactory(mall=mall))
    )
    return_check(return_request=r, actor=desk)
    return_merchant_reply(return_request=r, actor=desk, agrees=True, reply="同意")
    with pytest.raises(ValidationError) as error:
        return_approve(return_request=r, actor=supervisor, pickup_date=date(2026, 11, 21))
    assert "pickup_address" in error.value.message_dict
    r.refresh_from_db()
    assert r.status != ReturnStatus.APPROVED, "nothing saved half-way"
    r.customer.address = "上海市普陀区真北路1号"
    r.customer.save()
    return_approve(return_request=r, actor=supervisor, pickup_date=date(2026, 11, 21))
    r.refresh_from_db()
    assert r.status == ReturnStatus.APPROVED and r.pickup_address == "上海市普陀区真北路1号"


def test_an_approval_without_a_pick_up_needs_no_address(mall, desk, supervisor):
    r = return_register(
        mall=mall, actor=desk, customer_name="张三", customer_mobile="13812345678", **sale(MerchantFactory(mall=mall))
    )
    return_check(return_request=r, actor=desk)
    return_merchant_reply(return_request=r, actor=desk, agrees=True, reply="同意")
    return_approve(return_request=r, actor=supervisor)  # the customer brings the goods back
    r.refresh_from_db()
    assert r.status == ReturnStatus.APPROVED and r.pickup_address == ""
