"""What the weekly report shows, in the paper form's order: label, figure, format, drill-down.

One table drives the screen, the print, the PDF, the Excel file and the head-office rollup, so
they never disagree and the rollup has every figure a mall's report has.
"""

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from complaints.models import Category, Channel
from servicedesk.amounts import amount_text


@dataclass(frozen=True)
class Line:
    key: str
    label: str  # may name a mall setting: %(first_contact_hours)s, %(resolution_days)s ...
    fmt: str = "count"  # count | rate | money | days
    link: str = ""  # which register the number drills into
    generic: str = ""  # the label when malls differ in the setting it names (the rollup)

    def title(self, figures):
        """The label with the settings the figures were measured by."""
        if not self.generic:
            return str(self.label)
        values = {key: figures.get(key) for key in ("first_contact_hours", "resolution_days", "deliberate_delay_days")}
        if any(value is None for value in values.values()):
            return str(self.generic)
        return str(self.label) % values


LINES = (
    (
        _("Complaints"),
        (
            Line("carried_in", _("Carried in (O0)"), link="open_at_start"),
            Line("received", _("Received (R)"), link="received"),
            Line("closed", _("Ended (C)"), link="ended"),
            Line("carried_out", _("Carried out (O1 = O0 + R − C)"), link="open_at_end"),
            Line("closure_rate", _("Closure rate C / (O0 + R)"), "rate"),
            Line(
                "first_contact_rate",
                _("First contact within %(first_contact_hours)s h"),
                "rate",
                generic=_("First contact in time (each mall's hours)"),
            ),
            Line(
                "overdue",
                _("Overdue (open over %(deliberate_delay_days)s days)"),
                link="overdue",
                generic=_("Overdue (open past each mall's line)"),
            ),
            Line("repeats", _("Repeat complaints"), link="repeats"),
            Line("external", _("Referred outside (12315, council, court)"), link="referred"),
        ),
    ),
    (
        _("Endings"),
        (
            Line("ended_resolved", _("Closed after resolution"), link="ended_closed"),
            Line("ended_after_referral", _("Closed after a referral outside"), link="ended_closed"),
            Line("ended_withdrawn", _("Withdrawn"), link="ended_withdrawn"),
            Line("ended_not_accepted", _("Not accepted"), link="ended_not_accepted"),
            Line("ended_escalated", _("Escalated to advance compensation"), link="ended_escalated"),
            Line(
                "on_time_rate",
                _("On-time rate (resolved within %(resolution_days)s days)"),
                "rate",
                generic=_("On-time rate (each mall's resolution target)"),
            ),
            Line("average_days_to_close", _("Average days to close"), "days"),
        ),
    ),
    (
        _("No-reason returns"),
        (
            Line("returns_requested", _("Requested"), link="returns"),
            Line("returns_approved", _("Approved"), link="returns"),
            Line("returns_refused", _("Refused"), link="returns"),
            Line("returns_refunded", _("Refunded (cases)"), link="returns"),
            Line("refund_amount", _("Refunded (yuan)"), "money", link="returns"),
        ),
    ),
    (
        _("Exchanges"),
        (
            Line("exchanges_requested", _("Requested"), link="exchanges"),
            Line("exchanges_closed", _("Closed"), link="exchanges"),
        ),
    ),
    (
        _("Advance compensation"),
        (
            Line("compensations_proposed", _("Cases proposed"), link="compensations"),
            Line("compensations_paid", _("Cases paid"), link="compensations"),
            Line("compensation_paid_amount", _("Paid (yuan)"), "money", link="compensations"),
            Line("recovered_in_period", _("Recovered in this period (yuan, any payout)"), "money"),
            Line(
                "compensation_recovered_amount",
                _("Recovered so far of this period's payouts (yuan)"),
                "money",
                link="compensations",
            ),
            Line("recovery_rate", _("Recovery rate of this period's payouts"), "rate"),
        ),
    ),
    (
        _("Callbacks"),
        (
            Line("callbacks_due", _("Due (D)"), link="callbacks"),
            Line("callbacks_done", _("Done (K)"), link="callbacks"),
            Line("callbacks_reached", _("Reached (K′)"), link="callbacks"),
            Line("callbacks_reached_phone", _("of which answered by phone or visit")),
            Line("callbacks_reached_survey", _("of which answered by the survey link")),
            Line("callback_rate", _("Callback rate K / D"), "rate"),
            Line("satisfaction_rate", _("Satisfaction (satisfied + mostly satisfied) / K′"), "rate"),
            Line("satisfaction_rate_phone", _("Satisfaction by phone or visit"), "rate"),
            Line("satisfaction_rate_survey", _("Satisfaction by the survey link"), "rate"),
        ),
    ),
    (
        _("Front desk log"),
        (
            Line("desk_visits", _("Government and media visits")),
            Line("desk_emergencies", _("Emergencies")),
            Line("desk_repairs", _("Facility repair reports")),
            Line("desk_suggestions", _("Suggestions")),
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
CHANNELS = Channel.choices
CATEGORIES = Category.choices
# The rollup's column groups: every line of the mall's report, then the two breakdowns.
ROLLUP_GROUPS = (
    *LINES,
    (_("Received by channel"), tuple(Line(f"channel:{code}", label) for code, label in CHANNELS)),
    (_("Received by category"), tuple(Line(f"category:{code}", label) for code, label in CATEGORIES)),
)
ROLLUP = tuple(line for _title, lines in ROLLUP_GROUPS for line in lines)


def value(figures, key):
    """A figure by its layout key; "channel:phone" and "category:Q" read the breakdowns."""
    if key.startswith("channel:"):
        return figures["by_channel"].get(key.split(":", 1)[1], 0)
    if key.startswith("category:"):
        return figures["by_category"].get(key.split(":", 1)[1], 0)
    return figures.get(key)


def drill(link, mall, period, *, delay_days=None, **extra):
    """The filtered register behind a number (`delay_days`: the mall's deliberate-delay line,
    for the overdue figure)."""
    base = {"mall": mall.code}
    days = {"from": period.first_day.isoformat(), "to": period.last_day.isoformat()}
    complaints = reverse("complaints:index")
    received = {"received_from": days["from"], "received_to": days["to"]}
    ended = {"closed_from": days["from"], "closed_to": days["to"]}
    if link in ("received", "channel", "category", "merchant"):
        return f"{complaints}?{urlencode(base | received | extra)}"
    if link == "repeats":
        return f"{complaints}?{urlencode(base | received | {'repeats': 'true'})}"
    if link == "open_at_start":
        return f"{complaints}?{urlencode(base | {'open_on': days['from']})}"
    if link == "open_at_end":
        return f"{complaints}?{urlencode(base | {'open_on': (period.last_day + timedelta(days=1)).isoformat()})}"
    if link == "ended":
        return f"{complaints}?{urlencode(base | ended)}"
    if link.startswith("ended_"):
        return f"{complaints}?{urlencode(base | ended | {'status': link.removeprefix('ended_')})}"
    if link == "referred":
        return f"{complaints}?{urlencode(base | {'referred_from': days['from'], 'referred_to': days['to']})}"
    if link == "overdue":
        # Open when the period ended and received more than the mall's line before its end.
        if delay_days is None:
            return ""
        line = (period.last_day - timedelta(days=delay_days)).isoformat()
        open_on = (period.last_day + timedelta(days=1)).isoformat()
        return f"{complaints}?{urlencode(base | {'open_on': open_on, 'received_to': line})}"
    if link == "returns":
        return f"{reverse('returns:index')}?{urlencode(base | days)}"
    if link == "exchanges":
        return f"{reverse('exchanges:index')}?{urlencode(base | days)}"
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
        return amount_text(value)
    if kind == "days":
        return f"{value:.1f}"
    return str(value)
