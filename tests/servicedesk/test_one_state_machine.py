"""One state machine (issue 17): every app's table is a servicedesk.workflow.Transitions over
TextChoices actions, and a move the table does not allow is refused everywhere with the one
servicedesk.workflow.TransitionRefused, so one `except` catches a refusal from any app."""

import ast
import importlib
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from servicedesk.roles import MERCHANT_PARTY, Role
from servicedesk.workflow import TransitionRefused, Transitions, allowed_actions

ROOT = Path(__file__).resolve().parents[2]
APPS = tuple(sorted(path.parent.name for path in ROOT.glob("*/apps.py")))

# Written by hand: every state machine of the project. A new machine is added here, and the scan
# below fails until it is.
MACHINES = {
    "complaints.models.TRANSITIONS",
    "complaints.models.STAFF_TRANSITIONS",
    "compensations.models.TRANSITIONS",
    "returns.models.RETURN_TRANSITIONS",
    "merchants.models.MERCHANT_TRANSITIONS",
    "followups.models.CALLBACK_TRANSITIONS",
    "frontdesk.models.MATTER_TRANSITIONS",
    "frontdesk.models.ROSTER_TRANSITIONS",
    "frontdesk.models.INCIDENT_TRANSITIONS",
    "knowledge.models.ARTICLE_TRANSITIONS",
    "knowledge.models.CHAIN_ARTICLE_TRANSITIONS",
    "exchanges.models.EXCHANGE_TRANSITIONS",
    "drivers.models.STOP_TRANSITIONS",
}


def machine(path):
    module, name = path.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def tables_found():
    """Every module-level name ending in TRANSITIONS in the apps' models."""
    found = set()
    for app in APPS:
        try:
            module = importlib.import_module(f"{app}.models")
        except ModuleNotFoundError:
            continue
        found |= {f"{app}.models.{name}" for name in dir(module) if name.endswith("TRANSITIONS")}
    return found


def test_the_list_of_machines_is_complete():
    assert tables_found() == MACHINES


@pytest.mark.parametrize("path", sorted(MACHINES))
def test_each_table_is_state_action_to_new_state_and_roles_with_textchoices_actions(path):
    table = machine(path)
    assert isinstance(table, Transitions)
    assert issubclass(table.actions, models.TextChoices)
    assert issubclass(table.states, models.TextChoices)
    roles = {*Role.values, MERCHANT_PARTY}
    for (state, action), (new_state, who) in table.items():
        assert isinstance(action, table.actions), (state, action)
        assert state is None or state in table.states.values
        for end in new_state if isinstance(new_state, tuple) else (new_state,):
            assert end in table.states.values, (state, action, end)
        assert who and set(who) <= roles, (state, action, who)


@pytest.mark.parametrize("path", sorted(MACHINES))
def test_a_move_not_in_the_table_is_the_one_refusal(path):
    from servicedesk.workflow import CUSTOMER, check

    table = machine(path)
    state, action = next(
        (state, action) for state in table.states for action in table.actions if (state, action) not in table
    )
    with pytest.raises(TransitionRefused) as refused:
        check(table, state=state, action=action, actor=CUSTOMER, mall=None)
    assert isinstance(refused.value, ValidationError)  # views and forms show it like any other error
    assert refused.value.code == "transition_refused"
    assert str(table.label_of(state)) in refused.value.messages[0]  # says which state refuses it


def test_allowed_actions_follow_the_table_and_the_roles():
    from complaints.models import TRANSITIONS, Action, Status

    assert allowed_actions(TRANSITIONS, Status.CALLED_BACK) == [Action.REOPEN, Action.CLOSE]
    assert allowed_actions(TRANSITIONS, Status.CALLED_BACK, {Role.COMPLAINT_OFFICER}) == [Action.REOPEN]
    assert allowed_actions(TRANSITIONS, Status.CALLED_BACK, {Role.FRONT_DESK}) == []


def _app_modules():
    for app in (*APPS, "servicedesk"):
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path, ast.parse(path.read_text(encoding="utf-8"))


# The table checks and lock helpers each app had before issue 17 (servicedesk.workflow's
# check, lock and lock_and_check replace them all).
OLD_DIALECTS = {"check_transition", "transition_for", "next_status", "_check", "_move", "lock_for", "lock_callback"}
OLD_DIALECTS |= {"lock", "_lock", "locked", "_locked"}


def test_no_app_has_a_refusal_or_a_table_check_of_its_own():
    own = []
    for path, tree in _app_modules():
        where = str(path.relative_to(ROOT))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and "Refused" in node.name and where != "servicedesk/workflow.py":
                own.append(f"{where}: class {node.name}")
            imported = isinstance(node, ast.ImportFrom) and any(a.name == "TransitionRefused" for a in node.names)
            if imported and node.module != "servicedesk.workflow":
                own.append(f"{where}: TransitionRefused from {node.module}")
            if isinstance(node, ast.FunctionDef) and node.name in OLD_DIALECTS and "services" in path.parts:
                own.append(f"{where}: def {node.name}")
    assert not own


# One refused move per app's service, by a role the table names for the action: the state is what
# refuses it, and the refusal is the one class whatever the app.
@pytest.mark.django_db
def test_every_apps_service_refuses_with_the_one_transition_refused(mall, staff):
    from compensations.services import compensation_close
    from complaints.models import Status as ComplaintStatus
    from complaints.services import complaint_close, staff_complaint_register, staff_complaint_sign_off
    from followups.models import CallbackStatus, Outcome
    from followups.services import callback_record
    from merchants.services import merchant_release_deposit
    from returns.services import return_close
    from tests.compensations.factories import escalated_complaint, propose
    from tests.complaints.factories import ComplaintFactory
    from tests.complaints.test_staff_complaints import CALL
    from tests.followups.factories import CallbackFactory, SaleFactory
    from tests.merchants.factories import MerchantFactory
    from tests.returns.factories import ReturnFactory

    supervisor, manager, officer = staff(Role.SUPERVISOR), staff(Role.MANAGER), staff(Role.COMPLAINT_OFFICER)
    clerk = staff(Role.CLERK)
    refused_moves = {
        "complaint": lambda: complaint_close(
            complaint=ComplaintFactory(mall=mall, status=ComplaintStatus.REGISTERED), actor=supervisor
        ),
        "staff complaint": lambda: staff_complaint_sign_off(
            record=staff_complaint_register(mall=mall, actor=officer, **CALL), actor=manager
        ),
        "compensation": lambda: compensation_close(
            compensation=propose(escalated_complaint(mall, clerk=clerk), officer), actor=clerk
        ),
        "return": lambda: return_close(return_request=ReturnFactory(merchant__mall=mall), actor=manager),
        "merchant": lambda: merchant_release_deposit(merchant=MerchantFactory(mall=mall), actor=manager),
        "callback": lambda: callback_record(
            callback=CallbackFactory(sale=SaleFactory(mall=mall), status=CallbackStatus.DONE),
            actor=officer,
            outcome=Outcome.SATISFIED,
        ),
    }
    for name, move in refused_moves.items():
        with pytest.raises(TransitionRefused):
            move()
        assert name  # each app in turn


def test_the_customer_is_a_named_actor_and_a_forgotten_actor_is_an_error(mall, staff):
    """`CUSTOMER` (the customer through their case link) passes the role check: only the state
    is checked. `None` is not the customer: a service that forgot to pass its actor fails loudly
    instead of acting with no role check at all."""
    from complaints.models import TRANSITIONS, Action, Status
    from servicedesk.workflow import CUSTOMER, check, lock_and_check
    from tests.complaints.factories import ComplaintFactory

    moved = check(TRANSITIONS, state=Status.PROPOSED, action=Action.REJECT_PROPOSAL, actor=CUSTOMER, mall=mall.pk)
    assert moved == Status.ASSIGNED
    with pytest.raises(TransitionRefused):
        check(TRANSITIONS, state=Status.CLOSED, action=Action.REJECT_PROPOSAL, actor=CUSTOMER, mall=mall.pk)
    with pytest.raises(TypeError, match="CUSTOMER"):
        check(TRANSITIONS, state=Status.PROPOSED, action=Action.REJECT_PROPOSAL, actor=None, mall=mall.pk)
    complaint = ComplaintFactory(mall=mall, status=Status.PROPOSED)
    with pytest.raises(TypeError):
        lock_and_check(complaint, TRANSITIONS, Action.REJECT_PROPOSAL, None)
    # A user with no role in the mall is still refused: only the marker skips the role check.
    with pytest.raises(PermissionDenied):
        check(
            TRANSITIONS,
            state=Status.PROPOSED,
            action=Action.REJECT_PROPOSAL,
            actor=staff(Role.FRONT_DESK),
            mall=mall.pk,
        )
