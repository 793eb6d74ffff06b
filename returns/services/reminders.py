"""Refunds are due 7 days after the goods come back; past 15 days is deliberate delay.

A daily scan reminds the supervisor two days before the due date, tells supervisor and manager
when it has passed, and flags deliberate delay. One notification per return and event, however
often it runs.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.notifications import notify, staff_of
from servicedesk.roles import Role

from ..models import ReturnRequest, ReturnStatus

AWAITING_REFUND = (ReturnStatus.GOODS_RECEIVED, ReturnStatus.INTACT, ReturnStatus.NOT_INTACT)


def refund_reminder_scan(today=None):
    today = today or timezone.localdate()
    sent = 0
    waiting = (
        ReturnRequest.objects.filter(status__in=AWAITING_REFUND, goods_received_on__isnull=False)
        .select_related("mall")
        .order_by("mall_id", "goods_received_on")
    )
    policies = {}
    with transaction.atomic():
        for r in waiting.select_for_update(skip_locked=True, of=("self",), no_key=True):
            key = (r.mall_id, r.requested_on)
            policy = policies.get(key) or policies.setdefault(key, r.policy())
            due = r.goods_received_on + timedelta(days=policy.refund_days)
            delay_line = r.goods_received_on + timedelta(days=policy.delay_days)
            if today > delay_line:
                if not r.delay_flagged:
                    ReturnRequest.objects.filter(pk=r.pk).update(delay_flagged=True)
                sent += _tell(
                    r,
                    "deliberate_delay",
                    (Role.MANAGER, Role.SUPERVISOR),
                    _("Return %(number)s: refund past the %(days)d-day delay line"),
                    {"number": r.number, "days": policy.delay_days},
                )
            elif today > due:
                sent += _tell(
                    r,
                    "refund_overdue",
                    (Role.SUPERVISOR, Role.MANAGER),
                    _("Return %(number)s: refund overdue since %(due)s"),
                    {"number": r.number, "due": due.isoformat()},
                )
            elif today >= due - timedelta(days=2):
                sent += _tell(
                    r,
                    "refund_due_soon",
                    (Role.SUPERVISOR,),
                    _("Return %(number)s: refund due by %(due)s"),
                    {"number": r.number, "due": due.isoformat()},
                )
    return sent


def _tell(r, event, roles, title, values):
    created = notify(
        staff_of(r.mall, *roles),
        key=f"return:{r.pk}:{event}",
        title=title % values,
        url=r.get_absolute_url(),
        mall=r.mall,
    )
    return len(created)
