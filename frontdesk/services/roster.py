"""The monthly duty roster (排班表): drawn up by the supervisor before the month, published, and
changed after publishing only with a reason. The desk's handover page and the day's log read who is
expected from it (frontdesk.selectors.on_duty)."""

import calendar
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from servicedesk.access import require_role
from servicedesk.notifications import staff_of
from servicedesk.services import save_by
from servicedesk.texts import event
from servicedesk.workflow import check, lock, lock_and_check

from ..models import (
    ROSTER_EDITORS,
    ROSTER_STAFF,
    ROSTER_TRANSITIONS,
    Duty,
    DutyRoster,
    RosterAction,
    RosterEntry,
    RosterStatus,
)


def month_days(month):
    """Every date of the month that `month` falls in."""
    first = month.replace(day=1)
    return [first + timedelta(days=n) for n in range(calendar.monthrange(first.year, first.month)[1])]


def previous_month(month):
    return (month.replace(day=1) - timedelta(days=1)).replace(day=1)


def rosterable_staff_ids(mall):
    """Who may be put on the mall's roster: its active front desk, supervisors and manager."""
    return set(staff_of(mall, *ROSTER_STAFF).filter(memberships__mall=mall).values_list("pk", flat=True))


@transaction.atomic
def roster_draw_up(*, mall, month, actor, copy_previous=False):
    """A new draft roster for `month` (any date in it). With `copy_previous`, each person still on
    the desk gets the duty they had four weeks earlier (the same weekday), so a regular pattern
    carries over and only the exceptions need changing."""
    require_role(actor, mall, *ROSTER_EDITORS)
    month = month.replace(day=1)
    if month < timezone.localdate().replace(day=1):
        raise ValidationError({"month": _("That month is over; its roster can no longer be drawn up.")})
    already = _("This month's roster is already drawn up.")
    if DutyRoster.objects.filter(mall=mall, month=month).exists():
        raise ValidationError({"month": already})
    roster = DutyRoster(mall=mall, month=month, drawn_up_by=actor, drawn_up_at=timezone.now())
    try:
        with transaction.atomic():
            save_by(roster, actor)
    except IntegrityError:
        raise ValidationError({"month": already}) from None
    if copy_previous:
        earlier = {
            (entry.staff_id, entry.day): entry.duty
            for entry in RosterEntry.objects.filter(
                mall=mall, roster__month=previous_month(month), day__gte=month - timedelta(days=28)
            )
        }
        staff_ids = rosterable_staff_ids(mall)
        copied = {}
        for day in month_days(month):
            for staff_id in staff_ids:
                source = day - timedelta(days=28)
                duty = copied.get((staff_id, source)) or earlier.get((staff_id, source))
                if duty and duty != Duty.OFF:
                    copied[(staff_id, day)] = duty
        _create(roster, actor, copied, reason=event("roster.copied"))
    return roster


def _create(roster, actor, duties, reason):
    entries = [
        RosterEntry(roster=roster, mall_id=roster.mall_id, staff_id=staff_id, day=day, duty=duty)
        for (staff_id, day), duty in sorted(duties.items(), key=lambda item: (item[0][1], item[0][0]))
    ]
    if entries:
        bulk_create_with_history(entries, RosterEntry, default_user=actor, default_change_reason=reason)


@transaction.atomic
def roster_set_duties(*, roster, actor, duties, reason=""):
    """Set cells of the roster: `duties` is {(staff id, date): Duty}. On a draft this is editing;
    on a published roster it is a change that needs a reason, and days already past stay as they
    were worked. Refused as a whole, with every problem named, if any cell is wrong. Returns the
    number of cells changed."""
    roster = lock(roster)
    action = RosterAction.EDIT if roster.status == RosterStatus.DRAFT else RosterAction.CHANGE
    check(ROSTER_TRANSITIONS, state=roster.status, action=action, actor=actor, mall=roster.mall_id)
    reason = reason.strip()
    if any(duty not in Duty.values for duty in duties.values()):
        raise ValidationError({"duties": _("Choose a duty from the list for every cell.")})
    existing = {
        (e.staff_id, e.day): e
        for e in RosterEntry.objects.select_for_update(of=("self",), no_key=True).filter(roster=roster)
    }
    changes = {
        key: Duty(duty) for key, duty in duties.items() if (existing[key].duty if key in existing else Duty.OFF) != duty
    }
    errors = {}
    if action == RosterAction.CHANGE and changes and not reason:
        errors["reason"] = _("Say why the published roster changes (a cover, leave...).")
    days = set(month_days(roster.month))
    allowed = rosterable_staff_ids(roster.mall_id)
    today = timezone.localdate()
    problems = []
    outside = sorted({day for _staff, day in changes if day not in days})
    if outside:
        problems.append(
            _("%(days)s are not in the roster's month.") % {"days": "、".join(d.isoformat() for d in outside)}
        )
    strangers = {staff for (staff, _day), duty in changes.items() if duty != Duty.OFF and staff not in allowed}
    if strangers:
        problems.append(_("Only the mall's front desk staff, supervisors and manager can be put on the roster."))
    past = sorted({day for _staff, day in changes if day < today})
    if action == RosterAction.CHANGE and past:
        problems.append(
            _("Days already past stay as they were worked: %(days)s.")
            % {"days": "、".join(d.isoformat() for d in past)}
        )
    if problems:
        errors["duties"] = problems
    if errors:
        raise ValidationError(errors)
    stored_reason = event("roster.changed", reason=reason) if action == RosterAction.CHANGE else event("roster.edited")
    updated = []
    for key, duty in changes.items():
        if key in existing:
            existing[key].duty = duty
            updated.append(existing[key])
    if updated:
        bulk_update_with_history(
            updated, RosterEntry, ["duty"], default_user=actor, default_change_reason=stored_reason
        )
    _create(roster, actor, {key: duty for key, duty in changes.items() if key not in existing}, stored_reason)
    return len(changes)


@transaction.atomic
def roster_publish(*, roster, actor):
    """Publish the roster: the desk sees it and the handover page reads who is expected."""
    roster, new_status = lock_and_check(roster, ROSTER_TRANSITIONS, RosterAction.PUBLISH, actor, related=())
    roster.status = new_status
    if not RosterEntry.objects.filter(roster=roster).exclude(duty=Duty.OFF).exists():
        raise ValidationError(_("Nobody is on the roster yet; put the staff on their shifts first."))
    roster.published_by = actor
    roster.published_at = timezone.now()
    return save_by(
        roster,
        actor,
        update_fields=["status", "published_by", "published_at"],
        reason=event("action", action=RosterAction.PUBLISH.label),
    )


def parse_month(value):
    """'2026-03' -> date(2026, 3, 1); None when unreadable."""
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except (ValueError, AttributeError):
        return None
