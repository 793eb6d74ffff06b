"""followups 0009: the complaint's own copy of its callback moves onto service callbacks (one
record), then complaints 0011 drops it. The database goes back to before the two migrations,
the old columns are filled as the old code left them, and the migrations run forward again."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from complaints import callbacks
from complaints.models import Status
from followups.models import Callback, CallbackKind, CallbackStatus
from tests.complaints.factories import ComplaintFactory

BEFORE = [("followups", "0008_callback_week_figures_covered"), ("complaints", "0010_merchant_portal_reply")]
RESOLVED = timezone.now() - timedelta(days=5)
CALLED = RESOLVED + timedelta(days=2)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


def old_fields(complaint, **values):
    """What the old code wrote on the complaint (the columns exist only before the migrations)."""
    names = ", ".join(f"{name} = %s" for name in values)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE complaints_complaint SET {names} WHERE id = %s", [*values.values(), complaint.pk])  # noqa: S608


def service_callbacks(complaint):
    return list(Callback.objects.filter(complaint=complaint, kind=CallbackKind.SERVICE).order_by("round"))


@pytest.mark.django_db(transaction=True)
def test_the_complaints_callback_values_move_onto_service_callbacks(mall):
    def complaint(status, **fields):
        return ComplaintFactory(mall=mall, status=status, result="repaired", resolved_at=RESOLVED, **fields)

    called_back = complaint(Status.CALLED_BACK)
    waiting = complaint(Status.RESOLVED)
    closed_unreached = complaint(Status.CLOSED)
    reopened = complaint(Status.ASSIGNED, reopen_count=1)
    on_worklist = complaint(Status.CALLED_BACK)
    already = complaint(Status.CALLED_BACK)
    untouched = complaint(Status.RESOLVED)
    due = timezone.localdate(RESOLVED)
    for c in (on_worklist, already):
        Callback.objects.create(
            mall=mall,
            kind=CallbackKind.SERVICE,
            complaint=c,
            customer=c.customer,
            due_on=due + timedelta(days=1),
            deadline_on=due + timedelta(days=3),
            status=CallbackStatus.DONE if c is already else CallbackStatus.OPEN,
            outcome="satisfied" if c is already else "",
            attempts=1 if c is already else 0,
            finished_at=CALLED if c is already else None,
        )

    migrate(BEFORE)
    try:
        old_fields(called_back, callback_response="mostly_satisfied", callback_note="师傅很耐心", callback_at=CALLED)
        old_fields(called_back, failed_callbacks=1)
        old_fields(waiting, failed_callbacks=2)
        old_fields(closed_unreached, failed_callbacks=3)
        old_fields(reopened, callback_at=CALLED, callback_note="坐垫仍开裂", failed_callbacks=0)
        old_fields(on_worklist, callback_response="satisfied", callback_at=CALLED, callback_note="")
        old_fields(already, callback_response="satisfied", callback_at=CALLED)
    finally:
        migrate(None)

    [reached] = service_callbacks(called_back)
    assert (reached.round, reached.status, reached.outcome, reached.note, reached.attempts) == (
        0,
        CallbackStatus.DONE,
        "mostly_satisfied",
        "师傅很耐心",
        2,
    )
    assert reached.finished_at == CALLED
    assert (reached.due_on, reached.deadline_on) == (due + timedelta(days=1), due + timedelta(days=3))
    assert reached.customer_id == called_back.customer_id and reached.mall_id == mall.pk
    view = callbacks.service_callback(called_back)
    assert (view.response, view.reached_at, view.note, view.failed_attempts) == (
        "mostly_satisfied",
        CALLED,
        "师傅很耐心",
        1,
    )

    [retry] = service_callbacks(waiting)
    assert (retry.status, retry.outcome, retry.attempts) == (CallbackStatus.RETRY, "not_reached", 2)
    [unreachable] = service_callbacks(closed_unreached)
    assert (unreachable.status, unreachable.attempts) == (CallbackStatus.UNREACHABLE, 3)
    assert unreachable.finished_at is not None

    [before_reopening] = service_callbacks(reopened)
    assert (before_reopening.round, before_reopening.status, before_reopening.outcome) == (
        0,
        CallbackStatus.DONE,
        "unsatisfied",
    )
    assert callbacks.service_callback(reopened) is None, "the new round has none yet"
    assert callbacks.last_reached(reopened).note == "坐垫仍开裂"

    [finished] = service_callbacks(on_worklist)
    assert (finished.status, finished.outcome, finished.attempts) == (CallbackStatus.DONE, "satisfied", 1)
    [kept] = service_callbacks(already)
    assert (kept.outcome, kept.attempts) == ("satisfied", 1)
    assert service_callbacks(untouched) == []
