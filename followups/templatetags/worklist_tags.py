"""The callback worklist's rows, written in Python.

As a template each call cost a dozen look-ups, filters, `{% url %}`s and translations, and the
callbacks under it as many again: the slowest desk page under load (issue #22). These tags write
the same HTML with the labels translated and the links reversed once a page;
tests/followups/test_worklist_rows.py compares them with the template they replaced (kept in
tests/followups/reference/) in both languages.
"""

from html import escape

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from servicedesk.choice_labels import choice_labels
from servicedesk.phones import mask_phone

from ..models import Callback

register = template.Library()

# `escape` here is the standard library's: what django.utils.html.escape returns, without its
# lazy-string wrapper and SafeString (the rows are marked safe once, whole).

# A made-up id: a link is reversed once a page and cut around it.
_MARKER = 987654321987654321


def _link(name):
    before, after = reverse(name, args=[_MARKER]).split(str(_MARKER))
    return before, after


def _day(day):
    """{{ day|date:"Y-m-d" }} of a date."""
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


class _Page:
    """What every row of one rendering shares: labels in the active language, links, the zone."""

    def __init__(self):
        labels = choice_labels(Callback._meta.get_field("kind"))
        self.kind = {value: escape(str(label)) for value, label in labels.items()}
        self.callback_before, self.callback_after = _link("followups:callback")
        self.call_before, self.call_after = _link("followups:call")
        self.zone = timezone.get_current_timezone()

    def kind_label(self, kind):
        label = self.kind.get(kind)
        return escape(kind) if label is None else label


def _callback_item(c, page):
    subject = f"{escape(c.order_number)} {escape(c.goods)}" if c.sale_id else escape(c.complaint_number)
    return f'<li data-callback-item="{c.pk}">{page.kind_label(c.kind)} · {subject}</li>'


@register.simple_tag
def worklist_calls(calls, shown):
    """The <tr>s of the officer's calls (followups.selectors.Call). `shown`: the ids of the
    customers whose full number this page shows (and has logged); the others are masked."""
    if not calls:
        nothing = escape(_("Nothing to call today."))
        return mark_safe(f'\n    <tr><td colspan="6" class="text-muted">{nothing}</td></tr>\n  ')  # noqa: S308 - escaped
    page = _Page()
    copied, copy = escape(_("Copied")), escape(_("Copy"))
    overdue_badge = f' <span class="badge text-bg-warning">{escape(_("Overdue"))}</span>'
    plan_visit, call_one = escape(_("Plan visit")), escape(_("Call"))
    out = []
    for call in calls:
        customer = call.customer
        first = call.first
        several = len(call.callbacks)
        if customer.pk in shown:
            mobile = escape(customer.mobile)
            phone = (
                f'<span class="phone font-monospace">{mobile}</span>\n'
                '        <button type="button" class="btn btn-sm btn-outline-secondary copy-phone"'
                f' data-phone="{mobile}" data-copied="{copied}" title="{copy}">{copy}</button>'
            )
        else:
            phone = f'<span class="phone font-monospace">{escape(mask_phone(customer.mobile))}</span>'
        if call.visit:
            action = (
                f'<a class="btn btn-sm btn-primary" href="{page.callback_before}{first.pk}{page.callback_after}">'
                f"{plan_visit}</a>\n        "
            )
        elif several == 1:
            action = (
                f'<a class="btn btn-sm btn-primary" href="{page.callback_before}{first.pk}{page.callback_after}">'
                f"{call_one}</a>\n        "
            )
        else:
            label = ngettext("Call (%(n)s callback)", "Call (%(n)s callbacks)", several) % {"n": several}
            action = (
                '<a class="btn btn-sm btn-primary call-customer"'
                f' href="{page.call_before}{customer.pk}{page.call_after}">{label}</a>'
            )
        attempts = str(call.attempts)
        if call.next_attempt_at:
            local = call.next_attempt_at.astimezone(page.zone)
            attempts += f" · {local.hour:02d}:{local.minute:02d}"
        items = "".join(_callback_item(c, page) for c in call.callbacks)
        one = f' data-callback="{first.pk}"' if several == 1 else ""
        warning = ' class="table-warning"' if call.overdue else ""
        out.append(
            f'\n    <tr data-customer="{customer.pk}"{one}{warning}>\n'
            f"      <td>{escape(customer.name)}</td>\n"
            f'      <td class="text-nowrap">{phone}</td>\n'
            f'      <td><ul class="list-unstyled mb-0 small">{items}</ul></td>\n'
            f'      <td class="text-nowrap">{_day(call.deadline_on)}{overdue_badge if call.overdue else ""}</td>\n'
            f"      <td>{attempts}</td>\n"
            f'      <td class="text-nowrap">{action}</td>\n'
            "    </tr>\n  "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped


@register.simple_tag
def mall_callback_rows(rows):
    """The <tr>s of the mall's unassigned or overdue callbacks (a supervisor's), numbers masked."""
    if not rows:
        return mark_safe(f'\n    <tr><td colspan="6" class="text-muted">{escape(_("None."))}</td></tr>\n  ')  # noqa: S308 - escaped
    page = _Page()
    open_label = escape(_("Open"))
    out = []
    for c in rows:
        customer = c.customer
        assignee = "—" if c.assignee_name is None else escape(c.assignee_name)
        out.append(
            f"\n    <tr><td>{page.kind_label(c.kind)}</td><td>{escape(customer.name)}</td>"
            f"<td>{escape(mask_phone(customer.mobile))}</td><td>{_day(c.deadline_on)}</td><td>{assignee}</td>"
            f'<td><a href="{page.callback_before}{c.pk}{page.callback_after}">{open_label}</a></td></tr>\n  '
        )
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped
