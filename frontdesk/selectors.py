"""Reads other parts of the desk rely on: the dashboard's enquiry counts and the monthly
appraisal's spot-check item (DOMAIN.md §8: service spot checks >= 90 points, weight 10)."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from .models import (
    DUTY_SHIFTS,
    Channel,
    DeskIncident,
    Duty,
    Enquiry,
    EnquiryTopic,
    FrontDeskPolicy,
    IncidentKind,
    RosterEntry,
    RosterStatus,
    Shift,
    SpotCheck,
)


def spot_check_average(mall, year, month):
    """The month's average spot-check score (Decimal, 0-100, two places) or None without checks.

    Months are calendar months in the mall's time zone (Asia/Shanghai)."""
    average = SpotCheck.objects.for_mall(mall).in_month(year, month).aggregate(avg=Avg("score"))["avg"]
    if average is None:
        return None
    return Decimal(average).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def enquiry_counts(mall, day):
    """{"total": n, "by_channel": {channel: n}, "by_topic": [(label, n), ...]} for one day. Two queries."""
    enquiries = Enquiry.objects.for_mall(mall).on_day(day)
    by_channel = dict.fromkeys(Channel.values, 0)
    by_channel.update(dict(enquiries.values_list("channel").annotate(n=Count("pk")).order_by()))
    topics = dict(enquiries.values_list("topic").annotate(n=Count("pk")).order_by())
    by_topic = [(EnquiryTopic(topic).label, n) for topic, n in sorted(topics.items(), key=lambda kv: -kv[1])]
    return {"total": sum(by_channel.values()), "by_channel": by_channel, "by_topic": by_topic}


def spot_check_figures(mall_ids, year, month):
    """{mall_id: (number of checks, average score or None)} for the month, all malls in one
    grouped query (the head-office appraisal of every mall)."""
    rows = (
        SpotCheck.objects.filter(mall_id__in=list(mall_ids))
        .in_month(year, month)
        .values("mall_id")
        .annotate(n=Count("pk"), avg=Avg("score"))
    )
    found = {
        row["mall_id"]: (row["n"], Decimal(row["avg"]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
        for row in rows
    }
    return {mall_id: found.get(mall_id, (0, None)) for mall_id in mall_ids}


# --- Duty roster (排班表) ------------------------------------------------------------------------


@dataclass
class RosterRow:
    staff: object
    cells: list  # [(date, Duty, conflict message or "")] for every day of the month
    on_desk: bool  # still front desk staff, supervisor or manager of the mall

    @property
    def working_days(self):
        return sum(1 for _day, duty, _conflict in self.cells if duty != Duty.OFF)


@dataclass
class RosterSheet:
    roster: object
    days: list
    rows: list
    counts: list  # [(date, {shift: n})]
    gaps: list  # [(date, shift label, n)] shifts with fewer staff than the mall asks
    conflicts: list  # [(staff, date, message)]
    min_per_shift: int
    max_consecutive: int

    @property
    def day_heads(self):
        """[(date, weekday initial)] for the columns."""
        return [(day, WEEKDAY_INITIALS[day.weekday()]) for day in self.days]


WEEKDAY_INITIALS = (
    pgettext_lazy("weekday initial", "Mo"),
    pgettext_lazy("weekday initial", "Tu"),
    pgettext_lazy("weekday initial", "We"),
    pgettext_lazy("weekday initial", "Th"),
    pgettext_lazy("weekday initial", "Fr"),
    pgettext_lazy("weekday initial", "Sa"),
    pgettext_lazy("weekday initial", "Su"),
)


def _name(user):
    return user.get_full_name() or user.username


def roster_sheet(roster, extra_staff=()):
    """The roster as the paper form lays it out: a row per person, a cell per day, the staff
    count of every shift, the gaps (a shift below the mall's minimum) and the conflicts (more
    days in a row than the mall allows, counting the end of the month before; someone no longer
    on the desk). A fixed number of queries whatever the month holds."""
    from .services.roster import month_days, previous_month, rosterable_staff_ids

    policy = FrontDeskPolicy.for_mall(roster.mall_id, on=roster.month)
    days = month_days(roster.month)
    entries = list(RosterEntry.objects.filter(roster=roster).select_related("staff"))
    on_desk = rosterable_staff_ids(roster.mall_id)
    staff = {entry.staff_id: entry.staff for entry in entries}
    for user in extra_staff:
        staff.setdefault(user.pk, user)
    duty_of = {(entry.staff_id, entry.day): Duty(entry.duty) for entry in entries}
    limit = policy.roster_max_consecutive_days
    # The run of working days each person brings in from the month before.
    before = RosterEntry.objects.filter(
        mall=roster.mall_id, roster__month=previous_month(roster.month), day__gte=days[0] - timedelta(days=limit)
    ).exclude(duty=Duty.OFF)
    worked_before = {(staff_id, day) for staff_id, day in before.values_list("staff_id", "day")}

    rows, conflicts = [], []
    for user in sorted(staff.values(), key=lambda u: (u.pk not in on_desk, _name(u), u.pk)):
        run = 0
        probe = days[0] - timedelta(days=1)
        while (user.pk, probe) in worked_before:
            run += 1
            probe -= timedelta(days=1)
        cells = []
        for day in days:
            duty = duty_of.get((user.pk, day), Duty.OFF)
            run = run + 1 if duty != Duty.OFF else 0
            message = ""
            if duty != Duty.OFF and user.pk not in on_desk:
                message = _("no longer on the desk staff")
            elif run > limit:
                message = _("working %(days)d days in a row (at most %(limit)d)") % {"days": run, "limit": limit}
            if message:
                conflicts.append((user, day, message))
            cells.append((day, duty, message))
        rows.append(RosterRow(staff=user, cells=cells, on_desk=user.pk in on_desk))

    counts, gaps = [], []
    minimum = policy.roster_min_per_shift
    for day in days:
        by_shift = dict.fromkeys(Shift.values, 0)
        for row in rows:
            for shift in DUTY_SHIFTS[duty_of.get((row.staff.pk, day), Duty.OFF)]:
                by_shift[shift] += 1
        counts.append((day, by_shift))
        gaps.extend((day, Shift(shift).label, n) for shift, n in by_shift.items() if n < minimum)
    return RosterSheet(roster, days, rows, counts, gaps, conflicts, minimum, limit)


def on_duty(mall, day):
    """[(shift, label, [users])] expected at the desk on `day` by the published roster (one query)."""
    expected = {shift: [] for shift in Shift.values}
    entries = (
        RosterEntry.objects.filter(mall=mall, day=day, roster__status=RosterStatus.PUBLISHED)
        .exclude(duty=Duty.OFF)
        .select_related("staff")
        .order_by("staff__first_name", "staff__username")
    )
    for entry in entries:
        for shift in DUTY_SHIFTS[Duty(entry.duty)]:
            expected[shift].append(entry.staff)
    return [(shift, Shift(shift).label, people) for shift, people in expected.items()]


def incident_counts(mall_ids, first_day, last_day):
    """{mall_id: {kind: n}} of reception and incident log entries in the period (for the weekly
    report), every mall in one grouped query."""
    rows = (
        DeskIncident.objects.filter(mall_id__in=list(mall_ids), occurred_on__gte=first_day, occurred_on__lte=last_day)
        .values_list("mall_id", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found = {mall_id: dict.fromkeys(IncidentKind.values, 0) for mall_id in mall_ids}
    for mall_id, kind, n in rows:
        found[mall_id][kind] = n
    return found
