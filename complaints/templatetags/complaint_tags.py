from django import template
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from servicedesk.phones import mask_phone

register = template.Library()


def _span(delta):
    seconds = int(abs(delta.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    if days:
        return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": rest // 60}
    return _("%(minutes)d min") % {"minutes": max(rest // 60, 1)}


def _deadline_html(deadline, paused=False):
    """The next deadline and how long is left; red when it has passed (was _deadline.html)."""
    if deadline is None:
        return '<span class="text-muted">—</span>'
    left = deadline.due_at - timezone.now()
    overdue = left.total_seconds() <= 0 and deadline.met_at is None
    soon = not overdue and left.total_seconds() < 86400
    css = " text-danger fw-bold overdue" if overdue else " text-warning-emphasis" if soon else ""
    span = escape(_span(left))
    if paused:
        state = escape(_("paused"))
    elif overdue:
        state = _("overdue %(span)s") % {"span": span}
    else:
        state = _("%(span)s left") % {"span": span}
    due = dateformat.format(timezone.localtime(deadline.due_at), "Y-m-d H:i")
    return f'<span class="deadline{css}" title="{due}">{escape(deadline.get_kind_display())} · {state}</span>'


@register.simple_tag
def deadline_badge(deadline, paused=False):
    return mark_safe(_deadline_html(deadline, paused))  # noqa: S308 - every value is escaped


def _row(c, labels):
    """One row of complaints/_rows.html."""
    deadline = c.next_deadline
    badges = "".join(
        f" {badge}"
        for shown, badge in (
            (c.official_visit, labels["official"]),
            (c.repeat_of_id, labels["repeat"]),
            (c.needs_escalation, labels["escalate"]),
        )
        if shown
    )
    if c.merchant_id:
        merchant = escape(c.merchant.brand)
        if c.booth_id:
            merchant += f' <small class="text-muted">{escape(c.booth.number)}</small>'
        if c.merchant_has_exited:
            merchant += f" {labels['exited']}"
        elif c.merchant_exit_noticed:
            merchant += f" {labels['noticed']}"
    else:
        merchant = labels["unknown"]
    paused = c.is_paused
    if c.assignee_id:
        assignee = escape(c.assignee.get_full_name() or c.assignee.username)
    else:
        assignee = '<span class="text-muted">—</span>'
    return (
        f'\n  <tr class="{"table-danger" if deadline and deadline.is_overdue else ""}">\n'
        f'    <td><a href="{reverse("complaints:detail", args=[c.pk])}">'
        f"{escape(c.number)}</a>{badges}</td>\n"
        f"    <td>{dateformat.format(timezone.localtime(c.received_at), 'Y-m-d H:i')}</td>\n"
        f"    <td>{escape(c.get_channel_display())}</td>\n"
        f"    <td>{escape(c.customer.name)}</td>\n"
        f'    <td class="phone-masked">{escape(mask_phone(c.customer.mobile))}</td>\n'
        f"    <td>{merchant}</td>\n"
        f"    <td>{escape(c.category)}</td>\n"
        f"    <td>{escape(c.get_status_display())}{labels['paused'] if paused else ''}</td>\n"
        f"    <td>{assignee}</td>\n"
        f"    <td>{_deadline_html(deadline, paused) if c.is_open else ''}</td>\n"
        "  </tr>\n  "
    )


@register.simple_tag
def complaint_rows(complaints):
    """The <tr>s of complaints/_rows.html, written in Python: as a template these rows cost more
    than the register's SQL (two dozen look-ups, filters and tags per row; issue #22).
    tests/complaints/test_register_rows.py compares them with the template they replaced."""
    labels = {
        "official": f'<span class="badge bg-danger">{escape(_("Gov./media"))}</span>',
        "repeat": f'<span class="badge bg-secondary">{escape(_("Repeat"))}</span>',
        "escalate": f'<span class="badge bg-warning text-dark">{escape(_("Escalate?"))}</span>',
        "exited": f'<span class="badge bg-dark merchant-exited">{escape(_("Exited"))}</span>',
        "noticed": f'<span class="badge bg-warning text-dark merchant-exit-noticed">{escape(_("Exit noticed"))}</span>',
        "unknown": f'<span class="text-muted">{escape(_("unknown"))}</span>',
        "paused": f' <span class="badge bg-info text-dark">{escape(_("paused"))}</span>',
    }
    rows = [_row(c, labels) for c in complaints]
    if not rows:
        rows = [f'\n  <tr><td colspan="10" class="text-muted">{escape(_("No complaints found."))}</td></tr>\n  ']
    return mark_safe("".join(rows))  # noqa: S308 - every value is escaped
