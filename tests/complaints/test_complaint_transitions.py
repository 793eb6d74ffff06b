"""Every (state, action) of the table, allowed for its roles, refused for every other role; every
pair not in the table refused whoever asks."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from complaints import services
from complaints.models import TRANSITIONS, Action, Complaint, ComplaintDeadline, DeadlineKind, Status
from servicedesk.roles import Role
from servicedesk.workflow import TransitionRefused
from tests.complaints.factories import ComplaintFactory
from tests.merchants.factories import BoothFactory

pytestmark = pytest.mark.django_db

MALL_ROLES = [r for r in Role if r not in (Role.HEAD_OFFICE, Role.ADMIN)]
ALL_ROLES = list(Role)


def _call(action, complaint, actor, officer):
    s = services
    calls = {
        Action.ACKNOWLEDGE: lambda: s.complaint_acknowledge(complaint=complaint, actor=actor),
        Action.IDENTIFY_MERCHANT: lambda: s.complaint_identify_merchant(
            complaint=complaint, actor=actor, booth=BoothFactory(merchant__mall=complaint.mall)
        ),
        Action.ASSIGN: lambda: s.complaint_assign(complaint=complaint, actor=actor, assignee=officer),
        Action.TAKE: lambda: s.complaint_take(complaint=complaint, actor=actor),
        Action.FORWARD: lambda: s.complaint_forward_to_merchant(complaint=complaint, actor=actor),
        Action.MERCHANT_REPLY: lambda: s.complaint_record_merchant_reply(
            complaint=complaint, actor=actor, answer="agrees", reply="同意上门维修"
        ),
        Action.PROPOSE: lambda: s.complaint_propose(complaint=complaint, actor=actor, proposal="商户上门更换坐垫"),
        Action.RESOLVE: lambda: s.complaint_resolve(
            complaint=complaint, actor=actor, result="repaired", customer_agreement="顾客电话确认同意"
        ),
        Action.REJECT_PROPOSAL: lambda: s.complaint_reject_proposal(complaint=complaint, actor=actor, note="要求退货"),
        Action.NOT_ACCEPT: lambda: s.complaint_not_accept(complaint=complaint, actor=actor, reason="not_bought_here"),
        Action.WITHDRAW: lambda: s.complaint_withdraw(complaint=complaint, actor=actor, note="顾客自行协商解决"),
        Action.PAUSE: lambda: s.complaint_pause(complaint=complaint, actor=actor, reason="送质检站检测甲醛"),
        Action.RESUME: lambda: s.complaint_resume(complaint=complaint, actor=actor),
        Action.ESCALATE: lambda: s.complaint_escalate(complaint=complaint, actor=actor),
        Action.REFER: lambda: s.complaint_refer(complaint=complaint, actor=actor, body="council"),
        Action.CALL_BACK: lambda: s.complaint_call_back(complaint=complaint, actor=actor, response="satisfied"),
        Action.CALLBACK_FAILED: lambda: s.complaint_callback_failed(complaint=complaint, actor=actor),
        Action.REOPEN: lambda: s.complaint_reopen(complaint=complaint, actor=actor, note="维修后仍开裂"),
        Action.CLOSE: lambda: s.complaint_close(complaint=complaint, actor=actor),
    }
    return calls[action]()


def _setup_for(action, status):
    """Fields that satisfy the action's own rule, so only the table and the role decide."""
    now = timezone.now()
    fields = {"status": status}
    if action == Action.RESUME:
        fields["paused_since"] = now - timedelta(hours=2)
    if action == Action.ESCALATE:
        fields["merchant_reply"] = "refuses"
    if action == Action.REOPEN:
        fields.update(callback_response="unsatisfied", resolved_at=now - timedelta(days=2), result="repaired")
    if action == Action.CLOSE:
        fields.update(result="repaired", callback_response="satisfied", failed_callbacks=3)
    return fields


TABLE = sorted(((state, action) for state, action in TRANSITIONS if state is not None), key=str)


@pytest.mark.parametrize(("state", "action"), TABLE)
@pytest.mark.parametrize("role", ALL_ROLES)
def test_each_transition_is_allowed_for_its_roles_and_refused_for_the_others(state, action, role, mall, staff):
    new_status, roles = TRANSITIONS[(state, action)]
    officer = staff(Role.COMPLAINT_OFFICER)
    complaint = ComplaintFactory(mall=mall, **_setup_for(action, state))
    actor = staff(role)
    if role in roles:
        _call(action, complaint, actor, officer)
        complaint.refresh_from_db()
        assert complaint.status == new_status
        assert complaint.entries.exists(), "every action writes a line to the handling log"
    else:
        with pytest.raises(PermissionDenied):
            _call(action, complaint, actor, officer)
        complaint.refresh_from_db()
        assert complaint.status == state


REFUSED = [
    (state, action)
    for state in Status
    for action in Action
    if action != Action.REGISTER and (state, action) not in TRANSITIONS
]


@pytest.mark.parametrize(("state", "action"), REFUSED)
def test_an_action_not_in_the_table_is_refused_whoever_asks(state, action, mall, staff):
    officer = staff(Role.COMPLAINT_OFFICER)
    complaint = ComplaintFactory(mall=mall, **_setup_for(action, state))
    for role in (Role.SUPERVISOR, Role.COMPLAINT_OFFICER, Role.ADMIN):
        with pytest.raises(TransitionRefused) as error:
            _call(action, complaint, staff(role), officer)
        assert "不能" in str(error.value) or "not possible" in str(error.value)
    complaint.refresh_from_db()
    assert complaint.status == state


def test_registering_is_for_the_desk_only(mall, staff):
    from tests.complaints.factories import register

    for role in Role:
        user = staff(role)
        # The API client registers the platforms' referrals (issue 20).
        if role in (Role.FRONT_DESK, Role.COMPLAINT_OFFICER, Role.API_CLIENT):
            assert register(mall, user, customer_mobile=f"139{list(Role).index(role):08d}").status == Status.REGISTERED
        else:
            with pytest.raises(PermissionDenied):
                register(mall, user)


def test_a_stale_copy_is_checked_against_the_row(mall, staff):
    supervisor, officer = staff(Role.SUPERVISOR), staff(Role.COMPLAINT_OFFICER)
    complaint = ComplaintFactory(mall=mall, status=Status.REGISTERED)
    stale = Complaint.objects.get(pk=complaint.pk)
    services.complaint_not_accept(complaint=complaint, actor=supervisor, reason="settled")
    with pytest.raises(TransitionRefused):
        services.complaint_take(complaint=stale, actor=officer)


def test_closing_needs_a_callback_or_three_failed_attempts(mall, staff):
    supervisor = staff(Role.SUPERVISOR)
    complaint = ComplaintFactory(mall=mall, status=Status.RESOLVED, result="repaired", failed_callbacks=2)
    with pytest.raises(ValidationError, match=r"回访|Call the customer back"):
        services.complaint_close(complaint=complaint, actor=supervisor)
    services.complaint_callback_failed(complaint=complaint, actor=supervisor)
    services.complaint_close(complaint=complaint, actor=supervisor)
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED


def test_reopening_only_within_30_days_of_resolution(mall, staff):
    officer = staff(Role.COMPLAINT_OFFICER)
    late = ComplaintFactory(
        mall=mall,
        status=Status.CALLED_BACK,
        callback_response="unsatisfied",
        result="repaired",
        resolved_at=timezone.now() - timedelta(days=31),
    )
    with pytest.raises(ValidationError, match=r"30"):
        services.complaint_reopen(complaint=late, actor=officer, note="仍有问题")
    satisfied = ComplaintFactory(
        mall=mall, status=Status.CALLED_BACK, callback_response="satisfied", resolved_at=timezone.now()
    )
    with pytest.raises(ValidationError, match=r"不满意|unsatisfied"):
        services.complaint_reopen(complaint=satisfied, actor=officer, note="仍有问题")


def test_reopened_complaint_goes_back_to_its_assignee_with_a_new_resolution_clock(mall, staff):
    officer = staff(Role.COMPLAINT_OFFICER)
    complaint = ComplaintFactory(
        mall=mall,
        status=Status.CALLED_BACK,
        assignee=officer,
        callback_response="unsatisfied",
        result="repaired",
        resolved_at=timezone.now() - timedelta(days=3),
    )
    services.complaint_reopen(complaint=complaint, actor=officer, note="维修后仍开裂")
    complaint.refresh_from_db()
    assert (complaint.status, complaint.assignee, complaint.reopen_count) == (Status.ASSIGNED, officer, 1)
    assert ComplaintDeadline.objects.running().filter(complaint=complaint, kind=DeadlineKind.RESOLUTION).exists()


def test_escalation_needs_grounds(mall, staff):
    officer = staff(Role.COMPLAINT_OFFICER)
    complaint = ComplaintFactory(mall=mall, status=Status.WITH_MERCHANT)
    with pytest.raises(ValidationError, match=r"15"):
        services.complaint_escalate(complaint=complaint, actor=officer)
    complaint.merchant.status = "exited"
    complaint.merchant.save()
    services.complaint_escalate(complaint=complaint, actor=officer)
    complaint.refresh_from_db()
    assert complaint.status == Status.ESCALATED


def test_a_refund_is_never_above_what_was_paid(mall, staff):
    officer = staff(Role.COMPLAINT_OFFICER)
    complaint = ComplaintFactory(mall=mall, status=Status.PROPOSED, purchase_amount=Decimal("6800.00"))
    with pytest.raises(ValidationError) as error:
        services.complaint_resolve(
            complaint=complaint, actor=officer, result="returned", customer_agreement="同意", settled_amount="6800.01"
        )
    assert "settled_amount" in error.value.message_dict
    services.complaint_resolve(
        complaint=complaint, actor=officer, result="returned", customer_agreement="同意", settled_amount="6800.00"
    )


def test_merchant_refusal_marks_the_complaint_for_escalation(mall, staff):
    officer = staff(Role.COMPLAINT_OFFICER)
    complaint = ComplaintFactory(mall=mall, status=Status.WITH_MERCHANT)
    services.complaint_record_merchant_reply(complaint=complaint, actor=officer, answer="refuses", reply="拒绝处理")
    complaint.refresh_from_db()
    assert complaint.needs_escalation
    assert complaint.entries.get().kind == "merchant"
