"""Working days on the Chinese statutory calendar (holidays and make-up working days).

chinesecalendar knows the State Council's published calendar; for a year it does not know yet
we fall back to Monday-Friday rather than fail, because a deadline a few days off is better
than no deadline.
"""

from datetime import timedelta

import chinese_calendar


def is_working_day(day):
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(start, days):
    """The date `days` working days after `start` (counting from the day after)."""
    day = start
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day
