"""The complaint's state machine as DOMAIN.md §2 states it, written out by hand: for every
action, in every state, for every role (and nobody, and another mall's staff), what happens
when the service is called. Nothing here is read from complaints.models.transitions.

Where DOMAIN.md names the officer, the supervisor may act too (the project's decision: a
supervisor handles complaints in small malls); "take" is the officer's own; assigning, not
accepting and closing are the supervisor's alone.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from complaints import services
from complaints.models import Complaint
from tests.complaints.factories import ComplaintFactory, register
from tests.merchants.factories import BoothFactory
from tests.rules.harness import EVERYONE, OUTSIDERS, attempt, people

pytestmark = pytest.mark.django_db

NOT_A_STEP_TRIED = ("complaint_officer", "supervisor")

OFFICER = {"complaint_officer", "supervisor"}
SUPERVISOR = {"supervisor"}
STATES = (
    "registered",
    "assigned",
    "with_merchant",
    "proposed",
    "resolved",
    "called_back",
    "closed",
    "not_accepted",
    "withdrawn",
    "escalated",
    "external",
)

# (state, action) -> (state after, who may). Every pair not listed is refused for everyone.
EXPECTED = {
    ("registered", "acknowledge"): ("registered", OFFICER),
    ("assigned", "acknowledge"): ("assigned", OFFICER),
    ("with_merchant", "acknowledge"): ("with_merchant", OFFICER),
    ("registered", "identify_merchant"): ("registered", OFFICER),
    ("assigned", "identify_merchant"): ("assigned", OFFICER),
    ("with_merchant", "identify_merchant"): ("with_merchant", OFFICER),
    ("proposed", "identify_merchant"): ("proposed", OFFICER),
    ("registered", "assign"): ("assigned", SUPERVISOR),
    ("assigned", "assign"): ("assigned", SUPERVISOR),
    ("with_merchant", "assign"): ("with_merchant", SUPERVISOR),
    ("proposed", "assign"): ("proposed", SUPERVISOR),
    ("registered", "take"): ("assigned", {"complaint_officer"}),
    ("assigned", "forward"): ("with_merchant", OFFICER),
    ("with_merchant", "merchant_reply"): ("with_merchant", OFFICER),
    ("assigned", "propose"): ("proposed", OFFICER),
    ("with_merchant", "propose"): ("proposed", OFFICER),
    ("proposed", "resolve"): ("resolved", OFFICER),
    ("external", "resolve"): ("resolved", OFFICER),
    ("proposed", "reject_proposal"): ("assigned", OFFICER),
    ("registered", "not_accept"): ("not_accepted", SUPERVISOR),
    ("assigned", "not_accept"): ("not_accepted", SUPERVISOR),
    ("registered", "withdraw"): ("withdrawn", OFFICER),
    ("assigned", "withdraw"): ("withdrawn", OFFICER),
    ("with_merchant", "withdraw"): ("withdrawn", OFFICER),
    ("proposed", "withdraw"): ("withdrawn", OFFICER),
    ("external", "withdraw"): ("withdrawn", OFFICER),
    ("assigned", "pause"): ("assigned", OFFICER),
    ("with_merchant", "pause"): ("with_merchant", OFFICER),
    ("proposed", "pause"): ("proposed", OFFICER),
    ("assigned", "resume"): ("assigned", OFFICER),
    ("with_merchant", "resume"): ("with_merchant", OFFICER),
    ("proposed", "resume"): ("proposed", OFFICER),
    ("assigned", "escalate"): ("escalated", OFFICER),
    ("with_merchant", "escalate"): ("escalated", OFFICER),
    ("proposed", "escalate"): ("escalated", OFFICER),
    ("registered", "refer"): ("external", OFFICER),
    ("assigned", "refer"): ("external", OFFICER),
    ("with_merchant", "refer"): ("external", OFFICER),
    ("proposed", "refer"): ("external", OFFICER),
    ("resolved", "call_back"): ("called_back", OFFICER),
    ("resolved", "callback_failed"): ("resolved", OFFICER),
    ("called_back", "reopen"): ("assigned", OFFICER),
    ("called_back", "close"): ("closed", SUPERVISOR),
    ("resolved", "close"): ("closed", SUPERVISOR),
}
ACTIONS = sorted({action for _state, action in EXPECTED})


def ready_for(action, state):
    """Fields that satisfy the action's own rule, so that only the state and the role decide."""
    now = timezone.now()
    fields = {"status": state}
    if action == "resume":
        fields["paused_since"] = now - timedelta(hours=2)
    if action == "escalate":
        fields["merchant_reply"] = "refuses"
    if action == "reopen":
        fields.update(callback_response="unsatisfied", resolved_at=now - timedelta(days=2), result="repaired")
    if action == "close":
        fields.update(result="repaired", callback_response="satisfied", failed_callbacks=3)
    return fields


def call(action, complaint, actor, officer):
    s = services
    calls = {
        "acknowledge": lambda: s.complaint_acknowledge(complaint=complaint, actor=actor),
        "identify_merchant": lambda: s.complaint_identify_merchant(
            complaint=complaint, actor=actor, booth=BoothFactory(merchant__mall=complaint.mall)
        ),
        "assign": lambda: s.complaint_assign(complaint=complaint, actor=actor, assignee=officer),
        "take": lambda: s.complaint_take(complaint=complaint, actor=actor),
        "forward": lambda: s.complaint_forward_to_merchant(complaint=complaint, actor=actor),
        "merchant_reply": lambda: s.complaint_record_merchant_reply(
            complaint=complaint, actor=actor, answer="agrees", reply="同意上门维修"
        ),
        "propose": lambda: s.complaint_propose(complaint=complaint, actor=actor, proposal="商户上门更换坐垫"),
        "resolve": lambda: s.complaint_resolve(
            complaint=complaint, actor=actor, result="repaired", customer_agreement="顾客电话确认同意"
        ),
        "reject_proposal": lambda: s.complaint_reject_proposal(complaint=complaint, actor=actor, note="要求退货"),
        "not_accept": lambda: s.complaint_not_accept(complaint=complaint, actor=actor, reason="not_bought_here"),
        "withdraw": lambda: s.complaint_withdraw(complaint=complaint, actor=actor, note="顾客自行协商解决"),
        "pause": lambda: s.complaint_pause(complaint=complaint, actor=actor, reason="送质检站检测甲醛"),
        "resume": lambda: s.complaint_resume(complaint=complaint, actor=actor),
        "escalate": lambda: s.complaint_escalate(complaint=complaint, actor=actor),
        "refer": lambda: s.complaint_refer(complaint=complaint, actor=actor, body="council"),
        "call_back": lambda: s.complaint_call_back(complaint=complaint, actor=actor, response="satisfied"),
        "callback_failed": lambda: s.complaint_callback_failed(complaint=complaint, actor=actor),
        "reopen": lambda: s.complaint_reopen(complaint=complaint, actor=actor, note="维修后仍开裂"),
        "close": lambda: s.complaint_close(complaint=complaint, actor=actor),
    }
    return calls[action]()


@pytest.fixture
def everyone(mall, other_mall):
    return people(mall, other_mall)


@pytest.mark.parametrize("action", ACTIONS)
def test_each_action_in_each_state_for_each_role(action, mall, everyone):
    officer = everyone["complaint_officer"]
    wrong = []
    for state in STATES:
        complaint = ComplaintFactory(mall=mall, **ready_for(action, state))
        after, allowed = EXPECTED.get((state, action), (None, set()))
        # Where the action is no step, the roles that could most plausibly take it are tried.
        for who in (*EVERYONE, *OUTSIDERS) if (state, action) in EXPECTED else NOT_A_STEP_TRIED:
            outcome, result = attempt(lambda who=who, c=complaint: call(action, c, everyone[who], officer))
            if (state, action) not in EXPECTED:
                if outcome == "done":
                    wrong.append(f"{action} from {state} by {who}: done, but DOMAIN.md has no such step")
            elif who in allowed:
                if outcome != "done":
                    wrong.append(f"{action} from {state} by {who}: {outcome} ({result}), expected done")
                elif result.status != after:
                    wrong.append(f"{action} from {state} by {who}: now {result.status}, expected {after}")
            elif outcome != "denied":
                wrong.append(f"{action} from {state} by {who}: {outcome}, expected denied")
        assert Complaint.objects.get(pk=complaint.pk).status == state  # every attempt was undone
    assert not wrong, "\n".join(wrong)


def test_register_is_for_front_desk_and_officers_only(mall, everyone):
    booth = BoothFactory(merchant__mall=mall)
    wrong = []
    for who in (*EVERYONE, *OUTSIDERS):
        outcome, result = attempt(lambda who=who: register(mall, everyone[who], booth=booth))
        expected = "done" if who in {"front_desk", "complaint_officer"} else "denied"
        if outcome != expected:
            wrong.append(f"register by {who}: {outcome}, expected {expected}")
        elif outcome == "done":
            assert result.status == "registered"
    assert not wrong, "\n".join(wrong)


def test_the_merchant_identified_is_one_of_this_mall(mall, other_mall, everyone):
    complaint = ComplaintFactory(mall=mall, status="assigned", booth=None, merchant=None)
    foreign = BoothFactory(merchant__mall=other_mall)
    outcome, _ = attempt(
        lambda: services.complaint_identify_merchant(
            complaint=complaint, actor=everyone["complaint_officer"], booth=foreign
        )
    )
    assert outcome == "refused"


# 顾客电话投诉员工登记表: taken at the desk, answered by whoever handles complaints, signed off by
# the manager (DOMAIN.md §2).
STAFF_CALL = {
    "caller_name": "刘先生",
    "caller_phone": "021-6234 5678",
    "staff_name": "3号导购",
    "issue": "attitude",
    "description": "询价时导购态度冷淡。",
}
STAFF_EXPECTED = {
    "register": {"front_desk", "complaint_officer", "supervisor", "manager"},
    "answer": {"complaint_officer", "supervisor", "manager"},
    "sign_off": {"manager"},
}


def test_phone_complaints_about_staff_by_role(mall, everyone):
    record = services.staff_complaint_register(mall=mall, actor=everyone["front_desk"], **STAFF_CALL)
    answered = services.staff_complaint_answer(
        record=services.staff_complaint_register(mall=mall, actor=everyone["front_desk"], **STAFF_CALL),
        actor=everyone["complaint_officer"],
        action_taken="批评教育导购",
        result="已向顾客致歉",
    )
    calls = {
        "register": lambda actor: services.staff_complaint_register(mall=mall, actor=actor, **STAFF_CALL),
        "answer": lambda actor: services.staff_complaint_answer(
            record=record, actor=actor, action_taken="批评教育", result="已致歉"
        ),
        "sign_off": lambda actor: services.staff_complaint_sign_off(record=answered, actor=actor),
    }
    for step, allowed in STAFF_EXPECTED.items():
        for who in (*EVERYONE, *OUTSIDERS):
            outcome, result = attempt(lambda who=who, step=step: calls[step](everyone[who]))
            assert outcome == ("done" if who in allowed else "denied"), f"{step} by {who}: {outcome} {result}"
