from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from compensations.models import Compensation, Status, Tier
from complaints.models import Status as ComplaintStatus
from servicedesk.models import Notification
from servicedesk.roles import Role
from tests.compensations.factories import escalated_complaint, photo_file, propose
from tests.complaints.factories import ComplaintFactory

pytestmark = pytest.mark.django_db


def test_proposal_from_an_escalated_complaint(mall, officer, manager):
    complaint = escalated_complaint(mall, deposit="8000.00")
    compensation = propose(complaint, officer, "3000.00", evidence=[photo_file("crack.png")])
    assert compensation.status == Status.PROPOSED
    assert compensation.number.startswith(f"PC-{mall.code}-") and compensation.number.endswith("-0001")
    assert compensation.merchant == complaint.merchant
    assert compensation.deposit_balance_at_proposal == Decimal("8000.00")
    assert compensation.documented_loss == Decimal("68200.00")
    assert compensation.chain == [Tier.MANAGER] and compensation.next_tier == Tier.MANAGER
    assert compensation.evidence.count() == 1
    assert compensation.history.count() == 1
    assert Notification.objects.filter(recipient=manager, key=f"compensation:{compensation.pk}:step:1").exists()
    assert not Notification.objects.filter(recipient=officer).exists()


@pytest.mark.parametrize("status", [ComplaintStatus.ASSIGNED, ComplaintStatus.WITH_MERCHANT, ComplaintStatus.CLOSED])
def test_refused_without_an_escalated_complaint(status, mall, officer):
    complaint = ComplaintFactory(mall=mall, status=status)
    with pytest.raises(ValidationError) as refused:
        propose(complaint, officer)
    assert "只有已升级为先行赔偿的投诉" in " ".join(refused.value.messages)
    assert not Compensation.objects.exists()


def test_amount_above_the_documented_loss_is_refused(mall, officer):
    complaint = escalated_complaint(mall)
    with pytest.raises(ValidationError) as refused:
        propose(complaint, officer, "1200.01", loss_price="1000.00", loss_costs="150.00", loss_penalties="50.00")
    assert "不能超过有据可查的损失" in refused.value.message_dict["amount"][0]
    assert "1,200.00" in refused.value.message_dict["amount"][0]
    # Exactly the loss is allowed.
    propose(complaint, officer, "1200.00", loss_price="1000.00", loss_costs="150.00", loss_penalties="50.00")


@pytest.mark.parametrize(
    ("amount", "field"),
    [("0", "amount"), ("-1.00", "amount"), ("12.345", "amount"), ("10000000.01", "amount"), ("abc", "amount")],
)
def test_bad_amounts_are_refused(amount, field, mall, officer):
    complaint = escalated_complaint(mall)
    with pytest.raises(ValidationError) as refused:
        propose(complaint, officer, amount, loss_price="9000000", loss_costs="1000000")
    assert field in refused.value.message_dict
    assert not Compensation.objects.exists()


def test_outside_the_unified_cashier_is_refused(mall, officer):
    complaint = escalated_complaint(mall, paid_via_unified_cashier=False)
    with pytest.raises(ValidationError) as refused:
        propose(complaint, officer)
    assert "统一收银" in " ".join(refused.value.messages)


def test_the_proposer_must_check_the_cashier_receipt(mall, officer):
    with pytest.raises(ValidationError) as refused:
        propose(escalated_complaint(mall), officer, paid_via_unified_cashier=False)
    assert "paid_via_unified_cashier" in refused.value.message_dict


def test_one_open_proposal_per_complaint(mall, officer):
    complaint = escalated_complaint(mall)
    first = propose(complaint, officer)
    with pytest.raises(ValidationError) as refused:
        propose(complaint, officer)
    assert first.number in " ".join(refused.value.messages)


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.CLERK, Role.MANAGER, Role.HEAD_OFFICE, Role.PRICE_TAG_OFFICER])
def test_only_officers_and_supervisors_propose(role, mall, staff):
    with pytest.raises(PermissionDenied):
        propose(escalated_complaint(mall), staff(role))


def test_officer_of_another_mall_cannot_propose(mall, other_mall, staff):
    with pytest.raises(PermissionDenied):
        propose(escalated_complaint(mall), staff(Role.COMPLAINT_OFFICER, in_mall=other_mall))


def test_supervisor_proposes(mall, staff):
    assert propose(escalated_complaint(mall), staff(Role.SUPERVISOR)).status == Status.PROPOSED
