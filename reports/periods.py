"""Report periods: ISO weeks (Monday to Sunday) and calendar months, in the mall's time zone."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    kind: str  # "week" or "month"
    first_day: date
    last_day: date
    label: str

    @property
    def start(self):
        return timezone.make_aware(datetime.combine(self.first_day, time.min))

    @property
    def end(self):
        """Exclusive: the first moment after the period."""
        return timezone.make_aware(datetime.combine(self.last_day + timedelta(days=1), time.min))

    @property
    def key(self):
        if self.kind == "week":
            year, week, _day = self.first_day.isocalendar()
            return f"{year}-W{week:02d}"
        return f"{self.first_day:%Y-%m}"

    def previous(self):
        if self.kind == "week":
            return week_of(self.first_day - timedelta(days=7))
        return month_of(self.first_day - timedelta(days=1))


def week_of(day):
    monday = day - timedelta(days=day.weekday())
    sunday = monday + timedelta(days=6)
    year, week, _day = monday.isocalendar()
    return Period(
        "week",
        monday,
        sunday,
        _("Week %(week)d of %(year)d (%(first)s – %(last)s)")
        % {"week": week, "year": year, "first": f"{monday:%m-%d}", "last": f"{sunday:%m-%d}"},
    )


def month_of(day):
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return Period(
        "month",
        first,
        following - timedelta(days=1),
        _("%(year)d-%(month)02d") % {"year": first.year, "month": first.month},
    )


def parse_week(text):
    match = WEEK_RE.match(text or "")
    if not match:
        raise ValidationError(_("Give the week as 2026-W47."), code="bad_week")
    try:
        return week_of(date.fromisocalendar(int(match[1]), int(match[2]), 1))
    except ValueError as exc:
        raise ValidationError(_("There is no such week."), code="bad_week") from exc


def parse_month(text):
    match = MONTH_RE.match(text or "")
    if not match or not 1 <= int(match[2]) <= 12:
        raise ValidationError(_("Give the month as 2026-11."), code="bad_month")
    return month_of(date(int(match[1]), int(match[2]), 1))


def last_full_week(today=None):
    today = today or timezone.localdate()
    return week_of(today - timedelta(days=7))
