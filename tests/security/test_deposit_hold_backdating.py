"""Finding 2 of issue #14: the 6-month deposit hold could be skipped by backdating.

The attack: an exit notice dated 2025-01-01 (before the contract and before the merchant was on
file), the exit confirmed "as of" 2026-01-02, so the hold ended in the past and the manager
released the whole deposit the same day."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from merchants.models import Merchant, MerchantStatus
from merchants.services import (
    deposit_balance,
    deposit_collect,
    merchant_confirm_exit,
    merchant_notice_exit,
    merchant_release_deposit,
)
from servicedesk.roles import Role
from tests.merchants.factories import MerchantFactory

pytestmark = pytest.mark.django_db

NOTICE = {"after_sales_agent": "梵居家具厂售后部", "after_sales_phone": "021-62345678"}


@pytest.fixture
def merchant(mall, staff):
    with time_machine.travel("2026-03-01 10:00 +0800", tick=False):
        merchant = MerchantFactory(mall=mall, status=MerchantStatus.ACTIVE, contract_start=date(2026, 3, 1))
        deposit_collect(merchant=merchant, amount=Decimal("21001.00"), actor=staff(Role.CLERK))
    return merchant


def test_the_attack_backdated_notice_and_exit_cannot_release_the_deposit(merchant, staff):
    clerk, manager = staff(Role.CLERK), staff(Role.MANAGER)
    with pytest.raises(ValidationError) as error:
        merchant_notice_exit(
            merchant=merchant,
            actor=clerk,
            notice_date=date(2025, 1, 1),
            planned_exit_date=date(2026, 1, 2),
            **NOTICE,
        )
    assert "contract start" in str(error.value.message_dict["notice_date"]) or "合同" in str(error.value)

    today = timezone.localdate()
    merchant_notice_exit(
        merchant=merchant, actor=clerk, notice_date=date(2026, 3, 2), planned_exit_date=today, **NOTICE
    )
    with pytest.raises(ValidationError) as error:
        merchant_confirm_exit(merchant=merchant, actor=manager, exited_on=today - timedelta(days=180))
    assert "exited_on" in error.value.message_dict
    merchant.refresh_from_db()
    assert merchant.status == MerchantStatus.EXIT_NOTICED and merchant.deposit_hold_until is None

    merchant_confirm_exit(merchant=merchant, actor=manager, exited_on=today)
    merchant.refresh_from_db()
    assert merchant.deposit_hold_until >= today + timedelta(days=181)
    with pytest.raises(ValidationError) as error:
        merchant_release_deposit(merchant=merchant, actor=manager)
    assert error.value.code == "deposit_held"
    assert deposit_balance(Merchant.objects.get(pk=merchant.pk)) == Decimal("21001.00")


def test_dates_before_the_merchant_was_registered_are_refused(mall, staff):
    with time_machine.travel("2026-06-01 10:00 +0800", tick=False):
        merchant = MerchantFactory(mall=mall, status=MerchantStatus.ACTIVE)  # no contract start on file
    with pytest.raises(ValidationError) as error:
        merchant_notice_exit(
            merchant=merchant,
            actor=staff(Role.CLERK),
            notice_date=date(2026, 5, 31),
            planned_exit_date=timezone.localdate(),
            **NOTICE,
        )
    assert "notice_date" in error.value.message_dict


def test_the_exit_page_shows_the_refusal_next_to_the_field(client, merchant, staff):
    from django.urls import reverse

    manager = staff(Role.MANAGER)
    merchant_notice_exit(
        merchant=merchant,
        actor=staff(Role.CLERK),
        notice_date=date(2026, 3, 2),
        planned_exit_date=timezone.localdate(),
        **NOTICE,
    )
    client.force_login(manager)
    url = reverse("merchants:confirm_exit", args=[merchant.pk])
    response = client.post(url, {"exited_on": (timezone.localdate() - timedelta(days=30)).isoformat()})
    assert response.status_code == 200
    assert "保证金" in response.content.decode()
    merchant.refresh_from_db()
    assert merchant.status == MerchantStatus.EXIT_NOTICED
