"""An exit notice (已通知撤场) is not an exit (已撤场): the merchant still trades and answers for its
complaints, which become eligible for advance compensation on the merchant's leaving only once the
exit is confirmed (DOMAIN §2 escalate, §4 preconditions, §5 states)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from complaints import services
from complaints.models import Status
from merchants.models import MerchantStatus
from merchants.services import merchant_confirm_exit, merchant_notice_exit
from servicedesk.roles import Role
from servicedesk.texts import render
from tests.complaints.factories import ComplaintFactory
from tests.merchants.factories import BoothFactory

pytestmark = pytest.mark.django_db


def _noticed_merchant_complaint(mall, manager):
    booth = BoothFactory(merchant__mall=mall, merchant__brand="林氏木业")
    complaint = ComplaintFactory(mall=mall, booth=booth, merchant=booth.merchant, status=Status.WITH_MERCHANT)
    today = timezone.localdate()
    merchant_notice_exit(
        merchant=booth.merchant,
        actor=manager,
        notice_date=today,
        planned_exit_date=today + timedelta(days=30),
        after_sales_agent="林氏木业华东售后",
        after_sales_phone="400-820-1234",
    )
    complaint.refresh_from_db()
    return complaint


def test_a_merchant_under_notice_is_still_trading_and_its_complaints_are_not_eligible(client, mall, staff):
    manager, officer = staff(Role.MANAGER), staff(Role.COMPLAINT_OFFICER)
    complaint = _noticed_merchant_complaint(mall, manager)
    merchant = complaint.merchant
    assert merchant.status == MerchantStatus.EXIT_NOTICED and not merchant.is_gone
    assert not complaint.merchant_has_exited and complaint.merchant_exit_noticed
    assert services.escalation_grounds(complaint) == []
    with pytest.raises(ValidationError):
        services.complaint_escalate(complaint=complaint, actor=officer)
    complaint.refresh_from_db()
    assert complaint.status == Status.WITH_MERCHANT

    client.force_login(officer)
    register = client.get(reverse("complaints:index")).text
    assert "已通知撤场" in register and "已撤场" not in register.replace("已通知撤场", "")
    detail = client.get(reverse("complaints:detail", args=[complaint.pk])).text
    assert 'id="merchant-exit-noticed"' in detail and 'id="merchant-exited"' not in detail
    assert "仍在营业" in detail

    client.force_login(manager)
    merchant_page = client.get(reverse("merchants:detail", args=[merchant.pk])).text
    assert 'id="still-trading"' in merchant_page and "已通知撤场" in merchant_page
    merchants = client.get(reverse("merchants:index")).text
    assert "已通知撤场" in merchants and "仍在营业" in merchants


def test_once_the_exit_is_confirmed_the_complaint_may_go_to_advance_compensation(client, mall, staff):
    manager, officer = staff(Role.MANAGER), staff(Role.COMPLAINT_OFFICER)
    complaint = _noticed_merchant_complaint(mall, manager)
    merchant_confirm_exit(merchant=complaint.merchant, actor=manager, exited_on=timezone.localdate())
    complaint.refresh_from_db()
    assert complaint.merchant_has_exited and not complaint.merchant_exit_noticed
    assert [render(g) for g in services.escalation_grounds(complaint)] == ["商户已撤场"]

    client.force_login(officer)
    register = client.get(reverse("complaints:index")).text
    assert "已撤场" in register.replace("已通知撤场", "")
    assert 'id="merchant-exited"' in client.get(reverse("complaints:detail", args=[complaint.pk])).text

    services.complaint_escalate(complaint=complaint, actor=officer)
    complaint.refresh_from_db()
    assert complaint.status == Status.ESCALATED
