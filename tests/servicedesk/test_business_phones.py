"""Brand service lines (400/800) are valid wherever a business phone is asked for (DOMAIN §9); a
mobile field stays mobile-only."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from merchants.models import MerchantStatus
from servicedesk.phones import validate_business_phone, validate_mobile, validate_phone
from servicedesk.roles import Role
from tests.merchants.factories import BoothFactory, MerchantFactory

SERVICE_LINES = ["400-820-1234", "4008201234", "800-820-1234", "400820-1234"]
NOT_PHONES = ["500-820-1234", "400-82-1234", "4000-820-1234", "400-820-12345", "1380013800"]


@pytest.mark.parametrize("number", [*SERVICE_LINES, "021-62345678", "13812345678"])
def test_a_business_phone_may_be_a_service_line_a_landline_or_a_mobile(number):
    validate_business_phone(number)


@pytest.mark.parametrize("number", NOT_PHONES)
def test_a_business_phone_is_still_checked(number):
    with pytest.raises(ValidationError):
        validate_business_phone(number)


@pytest.mark.parametrize("number", SERVICE_LINES)
def test_a_mobile_or_a_customers_phone_is_never_a_service_line(number):
    with pytest.raises(ValidationError):
        validate_mobile(number)
    with pytest.raises(ValidationError):
        validate_phone(number)


@pytest.mark.django_db
def test_the_exit_form_takes_a_brand_service_line_as_the_after_sales_phone(client, mall, staff):
    merchant = BoothFactory(merchant__mall=mall).merchant
    client.force_login(staff(Role.MANAGER))
    today = timezone.localdate()
    response = client.post(
        reverse("merchants:exit", args=[merchant.pk]),
        {
            "notice_date": today.isoformat(),
            "planned_exit_date": (today + timedelta(days=30)).isoformat(),
            "after_sales_agent": "顾家家居华东售后中心",
            "after_sales_contact": "王经理",
            "after_sales_phone": "400-820-1234",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    merchant.refresh_from_db()
    assert (merchant.status, merchant.after_sales_phone) == (MerchantStatus.EXIT_NOTICED, "400-820-1234")


@pytest.mark.django_db
def test_the_mall_service_desk_phone_may_be_a_service_line_but_a_merchant_mobile_may_not(mall):
    mall.service_phone = "400-820-1234"
    mall.full_clean()
    merchant = MerchantFactory(mall=mall, mobile="4008201234")
    with pytest.raises(ValidationError) as error:
        merchant.full_clean()
    assert "mobile" in error.value.message_dict
