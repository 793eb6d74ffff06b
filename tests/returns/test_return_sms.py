"""The customer's SMS about a no-reason return (issue #18 §3): a return registered at the desk
sends the number and the status link, as one filed online does; the refund sends the amount.
Each occasion once, nothing when the action is refused."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from returns.models import ReturnStatus
from returns.services import return_refund, return_register
from servicedesk.roles import Role
from sms.models import SmsMessage
from tests.merchants.factories import MerchantFactory
from tests.returns.factories import ReturnFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2026, 11, 20), tick=False):
        yield


def registered(mall, desk):
    return return_register(
        mall=mall,
        actor=desk,
        customer_name="张三",
        customer_mobile="138 1234 5678",
        merchant=MerchantFactory(mall=mall),
        goods="布艺沙发",
        price_paid=Decimal("8000.00"),
        payment_date=date(2026, 11, 10),
        delivery_date=date(2026, 11, 15),
        voucher_number="SY00001234",
    )


def test_a_return_registered_at_the_desk_texts_its_number_and_link(client, mall, staff):
    r = registered(mall, staff(Role.FRONT_DESK))
    sms = SmsMessage.objects.get(key=f"return:{r.pk}:registered")
    assert sms.event == "case_registered" and sms.mobile == "13812345678"
    assert r.number in sms.text and "退货" in sms.text
    token = sms.params["link"].rstrip("/").rsplit("/", 1)[-1]
    assert token not in sms.text, "the stored text shows the link masked"
    page = client.get(reverse("portal:case", args=[token]))
    assert page.status_code == 200 and r.number in page.content.decode()


def test_a_refused_registration_texts_nothing(mall, staff):
    with pytest.raises(ValidationError):
        return_register(
            mall=mall,
            actor=staff(Role.FRONT_DESK),
            customer_name="张三",
            customer_mobile="13812345678",
            merchant=MerchantFactory(mall=mall),
            goods="布艺沙发",
            price_paid=Decimal("8000.00"),
            payment_date=date(2026, 11, 25),  # in the future
            voucher_number="SY00001234",
        )
    assert not SmsMessage.objects.exists()


def test_the_refund_texts_the_amount_once(mall, staff):
    r = ReturnFactory(
        merchant__mall=mall, status=ReturnStatus.INTACT, eligible=True, goods_received_on=date(2026, 11, 18)
    )
    supervisor = staff(Role.SUPERVISOR)
    with pytest.raises(ValidationError):
        return_refund(return_request=r, actor=supervisor, method="original", repackaging_fee=Decimal("999999"))
    assert not SmsMessage.objects.exists(), "a refused refund says nothing"
    return_refund(return_request=r, actor=supervisor, method="original", freight_fee=Decimal("200"))
    sms = SmsMessage.objects.get(key=f"return:{r.pk}:refunded")
    expected = f"{r.price_paid - Decimal('200'):,.2f}"
    assert sms.event == "refunded" and f"已退款{expected}元" in sms.text and r.number in sms.text
    assert SmsMessage.objects.count() == 1
