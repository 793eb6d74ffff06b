"""An exchange not delivered or refused within the mall's line (DOMAIN.md §1: a demand left more
than 15 days [ExchangePolicy.delay_days] is deliberate delay) is flagged, and the supervisor and
the manager are told once. Run daily; a second run changes nothing."""

from datetime import timedelta

from django.utils import timezone

from servicedesk import texts
from servicedesk.notifications import notify, staff_of
from servicedesk.roles import Role
from servicedesk.scans import scan_each

from ..models import UNHANDLED_STATES, Exchange


def exchange_delay_scan(today=None):
    """Each unhandled exchange in its own transaction (servicedesk.scans). Returns how many
    notifications were sent."""
    today = today or timezone.localdate()
    # The shortest line a mall may set is 1 day: nothing requested since yesterday can be late.
    due = Exchange.objects.filter(
        status__in=UNHANDLED_STATES, delay_flagged=False, requested_on__lt=today - timedelta(days=1)
    ).select_related("mall")
    return scan_each(due, lambda e: _flag(e, today), name="exchange delay scan").total


def _flag(e, today):
    days = e.policy().delay_days
    if today <= e.requested_on + timedelta(days=days):
        return 0
    Exchange.objects.filter(pk=e.pk).update(delay_flagged=True)
    created = notify(
        staff_of(e.mall, Role.SUPERVISOR, Role.MANAGER),
        key=f"exchange:{e.pk}:deliberate_delay",
        title=texts.event("notice.exchange_past_line", number=e.number, days=days),
        url=e.get_absolute_url(),
        mall=e.mall,
    )
    return len(created)
