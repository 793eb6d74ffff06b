"""The approvals inbox's rows, written in Python.

As a template each waiting case cost two dozen look-ups, filters and `{% url %}`s, a
`{% csrf_token %}` and its evidence loop; each case to pay or owed a handful more: with 200 rows
a list, more than the page's SQL (issue #22). These tags write the same HTML with the labels
translated and the links reversed once a page; tests/compensations/test_inbox_rows.py compares
them with the template they replaced (kept in tests/compensations/reference/) in both languages.
"""

from html import escape

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from servicedesk.amounts import amount_text
from servicedesk.choice_labels import choice_labels

from ..models import Compensation

register = template.Library()

# `escape` here is the standard library's: what django.utils.html.escape returns, without its
# lazy-string wrapper and SafeString (the rows are marked safe once, whole).

# Made-up ids: a link is reversed once a page and cut around them.
_FIRST, _SECOND = 987654321987654321, 123456789123456789


def _link(name):
    """(before, after) the id in the URL of `name`."""
    before, after = reverse(name, args=[_FIRST]).split(str(_FIRST))
    return before, after


def _labels(field_name):
    """{value: escaped label in the active language}; a value outside the choices shows as it is."""
    labels = choice_labels(Compensation._meta.get_field(field_name))
    return {value: escape(str(label)) for value, label in labels.items()}


def _label(labels, value):
    label = labels.get(value)
    return escape(value) if label is None else label


def _day(day):
    """{{ day|date:"Y-m-d" }}; "" for None, as the filter gives."""
    return "" if day is None else f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def _minute(moment, zone):
    """{{ moment|date:"Y-m-d H:i" }} in the current time zone; "" for None."""
    if moment is None:
        return ""
    local = moment.astimezone(zone)
    return f"{local.year:04d}-{local.month:02d}-{local.day:02d} {local.hour:02d}:{local.minute:02d}"


def _amount(value):
    """{{ value|amount }}."""
    try:
        return escape(amount_text(value))
    except ValueError:
        return escape(str(value))


@register.simple_tag(takes_context=True)
def waiting_rows(context, rows):
    """The <tr>s of the cases waiting for the user's signature (compensations.models.rows.WaitingRow)."""
    detail_before, detail_after = _link("compensations:detail")
    complaint_before, complaint_after = _link("complaints:detail")
    decide_before, decide_after = _link("compensations:decide")
    evidence_url = reverse("compensations:evidence", args=[_FIRST, _SECOND])
    evidence_before, rest = evidence_url.split(str(_FIRST))
    evidence_middle, evidence_after = rest.split(str(_SECOND))
    reasons, tiers = _labels("reason"), _labels("next_tier")
    zone = timezone.get_current_timezone()
    # One masked token for the page's forms: the same secret, as each {% csrf_token %} gave.
    csrf = CsrfTokenNode().render(context)
    here = escape(context["request"].get_full_path())
    comment = escape(_("Comment"))
    approve, reject = escape(pgettext("compensation", "Approve")), escape(_("Reject"))
    out = []
    for c in rows:
        files = []
        for e in c.evidence:
            url = f"{evidence_before}{c.pk}{evidence_middle}{e.pk}{evidence_after}"
            if e.is_image:
                files.append(
                    f'<a href="{url}"><img src="{url}" alt="{escape(e.original_name)}" class="evidence-thumb"'
                    ' width="48" height="48"></a> '
                )
            else:
                files.append(f'<a href="{url}" class="small">{escape(Truncator(e.original_name).chars(16))}</a> ')
        step = escape(_("step %(n)s of %(total)s") % {"n": c.next_step, "total": c.steps})
        out.append(
            f'\n    <tr id="waiting-{c.pk}">\n'
            f'      <td><a href="{detail_before}{c.pk}{detail_after}">{escape(c.number)}</a><br>'
            f'<small class="text-muted">{escape(c.mall_code)} · {escape(c.merchant_brand)}</small></td>\n'
            f"      <td>{_minute(c.waiting_since, zone)}</td>\n"
            f'      <td class="text-end fw-bold">{_amount(c.amount)}</td>\n'
            f'      <td><a href="{complaint_before}{c.complaint_pk}{complaint_after}">{escape(c.complaint_number)}</a>'
            f" · {_label(reasons, c.reason)}<br><small>{escape(Truncator(c.complaint_facts).chars(60))}</small></td>\n"
            f"      <td>{''.join(files) or '—'}</td>\n"
            f'      <td>{_label(tiers, c.next_tier)}<br><small class="text-muted">{step}</small></td>\n'
            '      <td class="no-print">\n'
            f'        <form method="post" action="{decide_before}{c.pk}{decide_after}"'
            ' class="d-flex gap-1 decide-form">\n'
            f"          {csrf}\n"
            f'          <input type="hidden" name="step" value="{c.next_step}">\n'
            f'          <input type="hidden" name="next" value="{here}">\n'
            '          <input type="text" name="comment" class="form-control form-control-sm"'
            f' placeholder="{comment}" aria-label="{comment}">\n'
            f'          <button class="btn btn-sm btn-success" name="decision" value="approved">{approve}</button>\n'
            '          <button class="btn btn-sm btn-outline-danger" name="decision" value="rejected">'
            f"{reject}</button>\n"
            "        </form>\n"
            "      </td>\n"
            "    </tr>\n    "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped


@register.simple_tag
def to_pay_rows(rows, today):
    """The <tr>s of the approved cases to pay (ToPayRow); red when the payment is late."""
    if not rows:
        return mark_safe(f'<tr><td colspan="4" class="text-muted">{escape(_("Nothing to pay."))}</td></tr>')  # noqa: S308 - escaped
    detail_before, detail_after = _link("compensations:detail")
    out = []
    for c in rows:
        late = "table-danger" if c.payment_due_on is not None and c.payment_due_on < today else ""
        out.append(
            f'\n    <tr class="{late}"><td><a href="{detail_before}{c.pk}{detail_after}">{escape(c.number)}</a></td>'
            f'<td class="text-end">{_amount(c.amount)}</td><td>{_day(c.payment_due_on)}</td>'
            f"<td>{escape(c.merchant_brand)}</td></tr>\n    "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped


@register.simple_tag
def owing_rows(rows):
    """The <tr>s of the cases a merchant still owes money on (OwingRow)."""
    if not rows:
        return mark_safe(  # noqa: S308 - escaped
            f'<tr><td colspan="5" class="text-muted">{escape(_("No merchant owes anything."))}</td></tr>'
        )
    detail_before, detail_after = _link("compensations:detail")
    statuses = _labels("status")
    out = []
    for c in rows:
        out.append(
            f'\n    <tr><td><a href="{detail_before}{c.pk}{detail_after}">{escape(c.number)}</a></td>'
            f'<td>{escape(c.merchant_brand)}</td><td class="text-end">{_amount(c.outstanding)}</td>'
            f"<td>{_day(c.receivable_due_on) or '—'}</td><td>{_label(statuses, c.status)}</td></tr>\n    "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped


@register.simple_tag
def escalated_items(rows):
    """The <li>s of the escalated complaints without a proposal (EscalatedRow)."""
    if not rows:
        return mark_safe(f'<li class="text-muted">{escape(_("None."))}</li>')  # noqa: S308 - escaped
    complaint_before, complaint_after = _link("complaints:detail")
    propose_before, propose_after = _link("compensations:propose")
    propose = escape(_("Propose advance compensation"))
    out = []
    for c in rows:
        out.append(
            f'\n    <li><a href="{complaint_before}{c.pk}{complaint_after}">{escape(c.number)}</a>'
            f" · {escape(c.customer_name)} · {escape(c.merchant_brand) if c.merchant_brand else '—'}"
            f' · <a class="btn btn-sm btn-outline-primary" href="{propose_before}{c.pk}{propose_after}">{propose}</a>'
            "</li>\n  "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped
