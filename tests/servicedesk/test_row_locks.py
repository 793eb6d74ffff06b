"""Locks on the right rows (issue 17): a service that locks a case locks that row only, and with
FOR NO KEY UPDATE, so while it is held every insert that references the case's mall (a new
complaint, a customer, a notification) or the case itself goes on without waiting.

A lock taken with a join and no `of=` also locks the joined mall row on PostgreSQL; a plain
FOR UPDATE blocks the key-share lock that every foreign-key insert takes on the row it points to.
"""

import ast
import threading
from pathlib import Path

import pytest
from django.db import connection, transaction

from complaints.models import Complaint
from merchants.models import Merchant
from servicedesk.workflow import lock
from tests.complaints.factories import ComplaintFactory
from tests.merchants.factories import MerchantFactory
from tests.returns.factories import ReturnFactory

ROOT = Path(__file__).resolve().parents[2]
# Every app of the project (a folder with an apps.py), the new ones included.
APPS = tuple(sorted(path.parent.name for path in ROOT.glob("*/apps.py")))


def lock_calls():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "select_for_update":
                    yield (
                        f"{path.relative_to(ROOT)}:{node.lineno}",
                        {k.arg: ast.unparse(k.value) for k in node.keywords},
                    )


def test_every_row_lock_takes_only_its_own_row_and_no_key_lock():
    calls = list(lock_calls())
    assert len(calls) > 20  # the scan sees the services
    wrong = [place for place, kwargs in calls if kwargs.get("of") != "('self',)" or kwargs.get("no_key") != "True"]
    assert not wrong, f"lock without of=('self',) and no_key=True: {wrong}"


def hold(lock, instance, held, release):
    """In a transaction of its own (a thread has its own connection): take the lock, wait."""
    from django.db import connections

    try:
        with transaction.atomic():
            lock(instance)
            held.set()
            release.wait(30)
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "make, lock",
    [
        # servicedesk.workflow.lock is what lock_and_check takes for every state machine.
        (lambda mall: ReturnFactory(mall=mall), lambda r: lock(r, "mall")),
        (lambda mall: MerchantFactory(mall=mall), lock),
    ],
    ids=["return", "merchant"],
)
def test_a_held_case_lock_does_not_hold_up_the_malls_other_inserts(postgres, mall, make, lock):
    case = make(mall)
    held, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=hold, args=(lock, case, held, release))
    holder.start()
    try:
        assert held.wait(30)
        with transaction.atomic():
            with connection.cursor() as cursor:
                # Fails with "canceling statement due to lock timeout" if the mall row is locked.
                cursor.execute("SET LOCAL lock_timeout = '5s'")
            # A complaint against the locked merchant also takes a key-share lock on that row.
            complaint = ComplaintFactory(mall=mall, **({"merchant": case} if isinstance(case, Merchant) else {}))
        assert Complaint.objects.filter(pk=complaint.pk).exists()
    finally:
        release.set()
        holder.join(30)
