"""The service's rules over several fields come in the same round as the field errors, next to
their fields (issue 15 §2: "forms report errors in rounds"): the exit notice's date order, the
price-tag inspection's rules and a return's delivery before payment. The services check again."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from merchants.models import MerchantStatus, PriceTagInspection
from merchants.services import inspection_record, merchant_notice_exit
from returns.models import ReturnRequest
from returns.services import return_register
from servicedesk.roles import Role
from tests.merchants.factories import BoothFactory, MerchantFactory

pytestmark = pytest.mark.django_db


def test_exit_notice_reports_the_date_order_with_the_field_errors(client, mall, staff):
    clerk = staff(Role.CLERK)
    merchant = MerchantFactory(mall=mall, contract_start=date(2025, 1, 1))
    client.force_login(clerk)
    today = timezone.localdate()
    response = client.post(
        reverse("merchants:exit", args=[merchant.pk]),
        {
            "notice_date": today.isoformat(),
            "planned_exit_date": (today - timedelta(days=3)).isoformat(),  # before the notice
            "after_sales_agent": "",  # a field error
            "after_sales_phone": "400-820-1234",
        },
    )
    errors = response.context["form"].errors
    assert set(errors) == {"after_sales_agent", "planned_exit_date"}
    assert errors["planned_exit_date"] == ["计划撤场日期不能早于通知日期。"]
    response = client.post(
        reverse("merchants:exit", args=[merchant.pk]),
        {"notice_date": "2024-12-01", "planned_exit_date": "", "after_sales_agent": "X", "after_sales_phone": ""},
    )
    errors = response.context["form"].errors
    assert set(errors) == {"notice_date", "planned_exit_date", "after_sales_phone"}
    assert "2025-01-01" in errors["notice_date"][0]  # before the contract, in the first round
    merchant.refresh_from_db()
    assert merchant.status == MerchantStatus.ACTIVE and merchant.exit_notice_date is None
    with pytest.raises(ValidationError) as refused:  # the service checks again
        merchant_notice_exit(
            merchant=merchant,
            actor=clerk,
            notice_date=today,
            planned_exit_date=today - timedelta(days=1),
            after_sales_agent="X",
            after_sales_phone="400-820-1234",
        )
    assert set(refused.value.message_dict) == {"planned_exit_date"}


def test_inspection_reports_the_booths_holder_with_the_field_errors(client, mall, staff):
    officer = staff(Role.PRICE_TAG_OFFICER)
    booth = BoothFactory(merchant__mall=mall, tenancy=False)  # nobody holds it today
    client.force_login(officer)
    response = client.post(
        reverse("merchants:inspection_new"), {"booth": booth.pk, "items_checked": "0", "failures": ["tag_missing"]}
    )
    errors = response.context["form"].errors
    assert set(errors) == {"items_checked", "booth"}
    assert errors["booth"] == [f"展位 {booth.number} 目前没有商户，无法检查。"]
    assert not PriceTagInspection.objects.exists()
    with pytest.raises(ValidationError) as refused:
        inspection_record(booth=booth, actor=officer, items_checked=5)
    assert set(refused.value.message_dict) == {"booth"}


def test_return_reports_delivery_before_payment_with_the_field_errors(client, mall, staff):
    desk = staff(Role.FRONT_DESK)
    merchant = MerchantFactory(mall=mall)
    client.force_login(desk)
    response = client.post(
        reverse("returns:new"),
        {
            "customer_name": "张三",
            "customer_mobile": "123",  # a field error
            "kind": "no_reason",
            "merchant": merchant.pk,
            "goods": "沙发",
            "quantity": "1",
            "price_paid": "8000",
            "payment_date": "2026-11-10",
            "delivery_date": "2026-11-01",  # before the payment
        },
    )
    errors = response.context["form"].errors
    assert set(errors) == {"customer_mobile", "delivery_date"}
    assert errors["delivery_date"] == ["送货日期不能早于付款日期。"]
    assert not ReturnRequest.objects.exists()
    with pytest.raises(ValidationError) as refused:
        return_register(
            mall=mall,
            actor=desk,
            customer_name="张三",
            customer_mobile="13812345678",
            merchant=merchant,
            goods="沙发",
            price_paid=8000,
            payment_date=date(2026, 11, 10),
            delivery_date=date(2026, 11, 1),
        )
    assert set(refused.value.message_dict) == {"delivery_date"}
