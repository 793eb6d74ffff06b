"""Deadlines: start and stop the clocks of DOMAIN.md §2, pause them, and the periodic scan.

Calendar-day clocks run on the wall clock; working-day clocks land on the same time of day
on the n-th working day of the Chinese statutory calendar (holidays skipped, make-up
Saturdays counted).
"""

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from servicedesk.notifications import notify, staff_of
from servicedesk.roles import Role
from servicedesk.scans import scan_each
from servicedesk.services import save_by
from servicedesk.texts import event
from servicedesk.workdays import add_working_days

from ..models import Complaint, ComplaintDeadline, ComplaintPolicy, DeadlineKind
from .common import complaint_url

# The scan looks this far ahead for deadlines to warn about; each mall's warning time is
# checked per row (ComplaintPolicy.warn_hours is at most a couple of days in practice).
_LOOKAHEAD = timedelta(days=3)


def after_working_days(start, days):
    local = timezone.localtime(start)
    day = add_working_days(local.date(), days)
    return timezone.make_aware(datetime.combine(day, local.time().replace(tzinfo=None)))


def due_for(kind, start, policy, complaint=None):
    if kind == DeadlineKind.FIRST_CONTACT:
        return start + timedelta(hours=policy.first_contact_hours)
    if kind == DeadlineKind.ASSIGNMENT:
        return after_working_days(start, policy.assignment_working_days)
    if kind == DeadlineKind.MERCHANT_REPLY:
        return start + timedelta(days=policy.merchant_reply_days)
    if kind == DeadlineKind.RESOLUTION:
        return start + timedelta(days=policy.resolution_days)
    if kind == DeadlineKind.DELIBERATE_DELAY:
        return start + timedelta(days=policy.deliberate_delay_days)
    if kind == DeadlineKind.REFERRAL:
        days = (complaint and complaint.referral_working_days) or policy.referral_working_days
        return after_working_days(start, days)
    if kind == DeadlineKind.CALLBACK:
        return start + timedelta(days=policy.callback_days)
    raise ValueError(kind)


def clock_start(complaint, kind, start, policy=None):
    policy = policy or ComplaintPolicy.for_mall(complaint.mall)
    # A clock restarted (e.g. resolution after reopening) replaces the one still running.
    clock_stop(complaint, kind, at=start)
    return ComplaintDeadline.objects.create(
        complaint=complaint, kind=kind, started_at=start, due_at=due_for(kind, start, policy, complaint)
    )


def clock_stop(complaint, *kinds, at=None):
    """Stop the running clocks of these kinds (all of them when no kind is named)."""
    running = ComplaintDeadline.objects.filter(complaint=complaint, met_at__isnull=True)
    if kinds:
        running = running.filter(kind__in=kinds)
    return running.update(met_at=at or timezone.now())


def clocks_shift(complaint, by):
    """Move every running deadline later by the length of a pause."""
    for deadline in ComplaintDeadline.objects.filter(complaint=complaint, met_at__isnull=True):
        deadline.due_at += by
        deadline.save(update_fields=["due_at"])


# --- The periodic scan ----------------------------------------------------------------------


def _assignee_or_supervisors(complaint):
    return [complaint.assignee] if complaint.assignee_id else list(staff_of(complaint.mall, Role.SUPERVISOR))


def deadlines_scan(now=None):
    """Warn before, report after, escalate at 15 days. Returns how many notifications went out.

    Each due deadline is claimed with SKIP LOCKED in a transaction of its own
    (servicedesk.scans), and its warned/overdue marks are set in that transaction; notify() is
    also keyed per deadline and stage, so a second run (or two workers at once) sends nothing
    twice, and a deadline that fails is left for the next run without holding up the others.
    """
    now = now or timezone.now()
    due = (
        ComplaintDeadline.objects.filter(met_at__isnull=True, complaint__paused_since__isnull=True)
        .filter(Q(warned_at__isnull=True, due_at__lte=now + _LOOKAHEAD) | Q(overdue_at__isnull=True, due_at__lte=now))
        .select_related("complaint__mall", "complaint__assignee")
    )

    def handle(deadline):
        complaint = deadline.complaint
        return _scan_one(deadline, complaint, ComplaintPolicy.for_mall(complaint.mall), now)

    return scan_each(due, handle, name="complaint deadline scan").total


def _scan_one(deadline, complaint, policy, now):
    sent = 0
    label = DeadlineKind(deadline.kind).label
    url = complaint_url(complaint)
    key = f"complaint:{complaint.pk}:deadline:{deadline.pk}"
    changed = []
    if deadline.warned_at is None and deadline.due_at - timedelta(hours=policy.warn_hours) <= now:
        if deadline.due_at > now:
            sent += len(
                notify(
                    _assignee_or_supervisors(complaint),
                    key=f"{key}:warn",
                    title=event("notice.clock_due", number=complaint.number, clock=label, due=deadline.due_at),
                    body=event("notice.clock_due_body"),
                    url=url,
                    mall=complaint.mall,
                )
            )
        deadline.warned_at = now
        changed.append("warned_at")
    if deadline.overdue_at is None and deadline.due_at <= now:
        sent += len(
            notify(
                staff_of(complaint.mall, Role.SUPERVISOR),
                key=f"{key}:overdue",
                title=event("notice.clock_overdue", number=complaint.number, clock=label, due=deadline.due_at),
                body=event(
                    "notice.clock_overdue_body",
                    assignee=complaint.assignee.get_full_name()
                    if complaint.assignee_id
                    else gettext_lazy("nobody yet"),
                ),
                url=url,
                mall=complaint.mall,
            )
        )
        if deadline.kind == DeadlineKind.DELIBERATE_DELAY:
            sent += _escalation_due(complaint, url, policy.deliberate_delay_days)
        deadline.overdue_at = now
        changed.append("overdue_at")
    if changed:
        deadline.save(update_fields=changed)
    return sent


def _escalation_due(complaint, url, days):
    """Open past the mall's deliberate-delay line (15 days by law and by default): tell the
    manager and mark for escalation."""
    locked = Complaint.objects.select_for_update(of=("self",), no_key=True).get(pk=complaint.pk)
    if not locked.needs_escalation:
        locked.needs_escalation = True
        save_by(
            locked,
            None,
            update_fields=["needs_escalation"],
            reason=event("complaint.open_too_long", days=days),
        )
    return len(
        notify(
            staff_of(complaint.mall, Role.MANAGER),
            key=f"complaint:{complaint.pk}:deliberate_delay",
            title=event("notice.open_too_long", number=complaint.number, days=days),
            body=event("notice.open_too_long_days_body", days=days),
            url=url,
            mall=complaint.mall,
        )
    )
