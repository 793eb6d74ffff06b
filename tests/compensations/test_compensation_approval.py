import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connection
from django.utils import timezone

from compensations.models import CompensationApproval, CompensationPolicy, Decision, Status, Tier
from compensations.services import compensation_approve, compensation_reject
from servicedesk.models import Notification
from servicedesk.roles import Role
from tests.compensations.factories import escalated_complaint, propose

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("amount", "chain"),
    [
        ("0.01", [Tier.MANAGER]),
        ("5000.00", [Tier.MANAGER]),
        ("5000.01", [Tier.MANAGER, Tier.GENERAL_MANAGER]),
        ("50000.00", [Tier.MANAGER, Tier.GENERAL_MANAGER]),
        ("50000.01", [Tier.MANAGER, Tier.GENERAL_MANAGER, Tier.HEAD_OFFICE]),
        ("60000.00", [Tier.MANAGER, Tier.GENERAL_MANAGER, Tier.HEAD_OFFICE]),
    ],
)
def test_tier_routing_at_the_boundaries(amount, chain, mall, officer):
    compensation = propose(escalated_complaint(mall), officer, amount)
    assert compensation.chain == chain
    assert compensation.tier == chain[-1]
    assert compensation.next_tier == Tier.MANAGER


def test_the_mall_sets_its_own_limits(mall, officer):
    policy = CompensationPolicy.for_mall(mall)
    policy.manager_limit = Decimal("2000.00")
    policy.save()
    assert propose(escalated_complaint(mall), officer, "2000.01").chain == [Tier.MANAGER, Tier.GENERAL_MANAGER]


def test_manager_alone_approves_up_to_5000(mall, officer, manager, clerk):
    compensation = propose(escalated_complaint(mall), officer, "5000.00")
    compensation = compensation_approve(compensation=compensation, actor=manager, comment="同意")
    assert compensation.status == Status.APPROVED
    assert compensation.approved_at is not None and compensation.payment_due_on > timezone.localdate(
        compensation.approved_at
    )
    assert Notification.objects.filter(recipient=clerk, key=f"compensation:{compensation.pk}:approved").exists()
    assert Notification.objects.filter(recipient=officer, key=f"compensation:{compensation.pk}:approved:proposer")


def test_5000_01_needs_the_general_manager_after_the_manager(mall, officer, manager, staff):
    head_office = staff(Role.HEAD_OFFICE)
    compensation = propose(escalated_complaint(mall), officer, "5000.01")
    with pytest.raises(PermissionDenied):
        compensation_approve(compensation=compensation, actor=head_office)  # the manager signs first
    compensation = compensation_approve(compensation=compensation, actor=manager)
    assert compensation.status == Status.PROPOSED and compensation.next_tier == Tier.GENERAL_MANAGER
    assert Notification.objects.filter(recipient=head_office, key=f"compensation:{compensation.pk}:step:2").exists()
    with pytest.raises(ValidationError):
        compensation_approve(compensation=compensation, actor=manager, step=1)  # already signed
    with pytest.raises(PermissionDenied):
        compensation_approve(compensation=compensation, actor=manager)  # not the general manager
    compensation = compensation_approve(compensation=compensation, actor=head_office)
    assert compensation.status == Status.APPROVED
    assert list(compensation.approvals.values_list("tier", flat=True)) == [Tier.MANAGER, Tier.GENERAL_MANAGER]


def test_above_50000_needs_two_different_head_office_approvers(mall, officer, manager, staff):
    first, second = staff(Role.HEAD_OFFICE), staff(Role.HEAD_OFFICE)
    compensation = propose(escalated_complaint(mall), officer, "60000.00")
    compensation = compensation_approve(compensation=compensation, actor=manager)
    compensation = compensation_approve(compensation=compensation, actor=first)
    assert compensation.next_tier == Tier.HEAD_OFFICE
    with pytest.raises(PermissionDenied) as refused:
        compensation_approve(compensation=compensation, actor=first)
    assert "另一位审批人" in str(refused.value)
    assert compensation_approve(compensation=compensation, actor=second).status == Status.APPROVED


def test_the_proposer_never_approves(mall, manager, staff):
    # A supervisor who also signs for head office proposes; they may not sign their own case.
    from servicedesk.models import StaffMembership

    proposer = staff(Role.SUPERVISOR)
    StaffMembership.objects.create(user=proposer, mall=None, role=Role.HEAD_OFFICE)
    compensation = propose(escalated_complaint(mall), proposer, "6000.00")
    compensation = compensation_approve(compensation=compensation, actor=manager)
    with pytest.raises(PermissionDenied) as refused:
        compensation_approve(compensation=compensation, actor=type(proposer).objects.get(pk=proposer.pk))
    assert "申请人" in str(refused.value)
    assert compensation.approvals.count() == 1


@pytest.mark.parametrize("role", [Role.COMPLAINT_OFFICER, Role.SUPERVISOR, Role.CLERK, Role.FRONT_DESK])
def test_without_authority_the_service_refuses(role, mall, officer, staff):
    compensation = propose(escalated_complaint(mall), officer)
    with pytest.raises(PermissionDenied):
        compensation_approve(compensation=compensation, actor=staff(role))


def test_manager_of_another_mall_cannot_approve(mall, other_mall, officer, staff):
    compensation = propose(escalated_complaint(mall), officer)
    with pytest.raises(PermissionDenied):
        compensation_approve(compensation=compensation, actor=staff(Role.MANAGER, in_mall=other_mall))


def test_rejection_needs_a_reason_and_is_final(mall, officer, manager, staff):
    compensation = propose(escalated_complaint(mall), officer)
    with pytest.raises(ValidationError) as refused:
        compensation_reject(compensation=compensation, actor=manager, comment=" ")
    assert "comment" in refused.value.message_dict
    compensation = compensation_reject(compensation=compensation, actor=manager, comment="证据不足")
    assert compensation.status == Status.REJECTED
    assert Notification.objects.filter(recipient=officer, key=f"compensation:{compensation.pk}:rejected").exists()
    with pytest.raises(ValidationError) as again:
        compensation_approve(compensation=compensation, actor=staff(Role.MANAGER))
    assert "已由" in again.value.messages[0] and "审批" in again.value.messages[0]


def test_second_approver_is_told_who_decided_and_when(mall, officer, manager, staff):
    compensation = propose(escalated_complaint(mall), officer)
    stale = type(compensation).objects.get(pk=compensation.pk)
    compensation_approve(compensation=compensation, actor=manager)
    with pytest.raises(ValidationError) as refused:
        compensation_approve(compensation=stale, actor=staff(Role.MANAGER, first_name="李经理"), step=1)
    message = refused.value.messages[0]
    assert message.startswith("已由") and manager.get_full_name() in message and "审批" in message
    assert CompensationApproval.objects.count() == 1


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_once_produce_one_decision(postgres):
    """Two managers press approve and reject at the same instant: exactly one decision is stored,
    the other is told who decided first."""
    from tests.factories import MallFactory, make_staff

    mall = MallFactory(code="SH01")
    officer = make_staff(Role.COMPLAINT_OFFICER, mall)
    managers = [make_staff(Role.MANAGER, mall, first_name=name) for name in ("王经理", "赵经理")]
    compensation = propose(escalated_complaint(mall), officer, "4000.00")
    start = threading.Barrier(2)
    outcomes = []

    def decide(manager, decision):
        try:
            start.wait()
            if decision == Decision.APPROVED:
                compensation_approve(compensation=compensation, actor=manager, step=1)
            else:
                compensation_reject(compensation=compensation, actor=manager, comment="不同意", step=1)
            outcomes.append("decided")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            close_old_connections()
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(managers[0], Decision.APPROVED)),
        threading.Thread(target=decide, args=(managers[1], Decision.REJECTED)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("decided") == 1, outcomes
    (told,) = [o for o in outcomes if o != "decided"]
    assert told.startswith("已由") and "审批" in told
    assert CompensationApproval.objects.filter(compensation=compensation).count() == 1
    compensation.refresh_from_db()
    approval = compensation.approvals.get()
    assert compensation.status == (Status.APPROVED if approval.decision == Decision.APPROVED else Status.REJECTED)
    assert approval.approver.first_name in told
