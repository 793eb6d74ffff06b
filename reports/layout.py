"""What the weekly report shows, in the paper form's order: label, figure, format, drill-down.

One table drives the screen, the print and the Excel file, so they never disagree.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from complaints.models import Category, Channel


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    fmt: str = "count"  # count | rate | money | days
    link: str = ""  # which register the number drills into


LINES = (
    (
        _("Complaints"),
        (
            Line("carried_in", _("Carried in (O0)"), link="complaints"),
            Line("received", _("Received (R)"), link="received"),
            Line("closed", _("Closed (C)"), link="complaints"),
            Line("carried_out", _("Carried out (O1 = O0 + R − C)"), link="complaints"),
            Line("closure_rate", _("Closure rate C / (O0 + R)"), "rate"),
            Line("on_time_rate", _("On-time rate"), "rate"),
            Line("first_contact_rate", _("First contact within 24 h"), "rate"),
            Line("average_days_to_close", _("Average days to close"), "days"),
            Line("overdue", _("Overdue (open over 15 days)"), link="overdue"),
            Line("repeats", _("Repeat complaints"), link="received"),
            Line("external", _("External escalations"), link="received"),
        ),
    ),
    (
        _("No-reason returns"),
        (
            Line("returns_requested", _("Requested"), link="returns"),
            Line("returns_approved", _("Approved"), link="returns"),
            Line("returns_refused", _("Refused"), link="returns"),
            Line("refund_amount", _("Refunded (yuan)"), "money", link="returns"),
        ),
    ),
    (
        _("Advance compensation"),
        (
            Line("compensations_proposed", _("Cases proposed"), link="compensations"),
            Line("compensations_paid", _("Cases paid"), link="compensations"),
            Line("compensation_paid_amount", _("Paid (yuan)"), "money", link="compensations"),
            Line("compensation_recovered_amount", _("Recovered (yuan)"), "money", link="compensations"),
            Line("recovery_rate", _("Recovery rate"), "rate"),
        ),
    ),
    (
        _("Callbacks"),
        (
            Line("callbacks_due", _("Due (D)"), link="callbacks"),
            Line("callbacks_done", _("Done (K)"), link="callbacks"),
            Line("callbacks_reached", _("Reached (K′)"), link="callbacks"),
            Line("callback_rate", _("Callback rate K / D"), "rate"),
            Line("satisfaction_rate", _("Satisfaction (satisfied + mostly satisfied) / K′"), "rate"),
        ),
    ),
    (
        _("Price tags"),
        (
            Line("tags_checked", _("Inspections"), link="inspections"),
            Line("tags_failed", _("Failed inspections"), link="inspections"),
            Line("tag_pass_rate", _("Pass rate"), "rate"),
        ),
    ),
)

# The head-office rollup's columns.
ROLLUP = (
    Line("received", _("Complaints received")),
    Line("closed", _("Closed")),
    Line("carried_out", _("Open at week end")),
    Line("closure_rate", _("Closure rate"), "rate"),
    Line("on_time_rate", _("On-time rate"), "rate"),
    Line("overdue", _("Overdue")),
    Line("returns_requested", _("Return requests")),
    Line("refund_amount", _("Refunded (yuan)"), "money"),
    Line("compensation_paid_amount", _("Compensation paid (yuan)"), "money"),
    Line("callback_rate", _("Callback rate"), "rate"),
    Line("satisfaction_rate", _("Satisfaction rate"), "rate"),
    Line("tag_pass_rate", _("Price-tag pass rate"), "rate"),
)
ROLLUP_KEYS = {line.key for line in ROLLUP}
CHANNELS = Channel.choices
CATEGORIES = Category.choices


def drill(link, mall, period, **extra):
    """The filtered register behind a number."""
    base = {"mall": mall.code}
    days = {"from": period.first_day.isoformat(), "to": period.last_day.isoformat()}
    if link in ("received", "channel", "category", "merchant"):
        query = base | {"received_from": days["from"], "received_to": days["to"]} | extra
        return f"{reverse('complaints:index')}?{urlencode(query)}"
    if link == "complaints":
        return f"{reverse('complaints:index')}?{urlencode(base)}"
    if link == "overdue":
        return f"{reverse('complaints:index')}?{urlencode(base | {'overdue': 'on'})}"
    if link == "returns":
        return f"{reverse('returns:index')}?{urlencode(base | days)}"
    if link == "compensations":
        return f"{reverse('compensations:register')}?{urlencode(base | {'period': period.first_day.strftime('%Y-%m')})}"
    if link == "callbacks":
        deadlines = {"start": days["from"], "end": days["to"]}
        return f"{reverse('followups:register')}?{urlencode(base | deadlines)}"
    if link == "inspections":
        return f"{reverse('merchants:inspections')}?{urlencode(base)}"
    return ""


def fmt(value, kind):
    if value is None:
        return "—"
    if kind == "rate":
        return f"{value:.1f}%"
    if kind == "money":
        return f"{value:,.2f}"
    if kind == "days":
        return f"{value:.1f}"
    return str(value)
