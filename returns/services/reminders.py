"""Refunds are due 7 days after the goods come back; past 15 days is deliberate delay.

A daily scan reminds the supervisor two days before the due date, tells supervisor and manager
when it has passed, and flags deliberate delay. One notification per return and event, however
often it runs.
"""

from datetime import timedelta

from django.utils import timezone

from servicedesk import texts
from servicedesk.notifications import notify, staff_of
from servicedesk.roles import Role
from servicedesk.scans import scan_each

from ..models import ReturnRequest, ReturnStatus

AWAITING_REFUND = (ReturnStatus.GOODS_RECEIVED, ReturnStatus.INTACT, ReturnStatus.NOT_INTACT)


def refund_reminder_scan(today=None):
    """Each return waiting for its refund in its own transaction (servicedesk.scans): one that
    fails is left for the next run and the others go on. Returns the notifications sent."""
    today = today or timezone.localdate()
    waiting = ReturnRequest.objects.filter(status__in=AWAITING_REFUND, goods_received_on__isnull=False).select_related(
        "mall"
    )
    return scan_each(waiting, lambda r: _remind(r, today), name="refund reminder scan").total


def _remind(r, today):
    policy = r.policy()
    due = r.goods_received_on + timedelta(days=policy.refund_days)
    delay_line = r.goods_received_on + timedelta(days=policy.delay_days)
    if today > delay_line:
        if not r.delay_flagged:
            ReturnRequest.objects.filter(pk=r.pk).update(delay_flagged=True)
        return _tell(
            r,
            "deliberate_delay",
            (Role.MANAGER, Role.SUPERVISOR),
            "notice.return_refund_past_line",
            {"number": r.number, "days": policy.delay_days},
        )
    if today > due:
        return _tell(
            r,
            "refund_overdue",
            (Role.SUPERVISOR, Role.MANAGER),
            "notice.return_refund_overdue",
            {"number": r.number, "due": due.isoformat()},
        )
    if today >= due - timedelta(days=2):
        return _tell(
            r,
            "refund_due_soon",
            (Role.SUPERVISOR,),
            "notice.return_refund_due",
            {"number": r.number, "due": due.isoformat()},
        )
    return 0


def _tell(r, event, roles, title, values):
    created = notify(
        staff_of(r.mall, *roles),
        key=f"return:{r.pk}:{event}",
        title=texts.event(title, **values),
        url=r.get_absolute_url(),
        mall=r.mall,
    )
    return len(created)
