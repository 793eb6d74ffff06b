from functools import lru_cache
from html import escape

from django import forms, template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from servicedesk.choice_labels import choice_labels
from servicedesk.form_renderer import QuickSelect, QuickWidgetRenderer, plain_choices, translated
from servicedesk.phones import mask_phone

from ..models import Complaint, ComplaintDeadline
from ..models.rows import ComplaintRow

register = template.Library()

# `escape` here is the standard library's: what django.utils.html.escape returns, without its
# lazy-string wrapper and SafeString (the rows are marked safe once, whole).


class _Texts:
    """The badges' texts in the active language, looked up once a rendering, not twice a row."""

    def __init__(self):
        self.days = _("%(days)d d %(hours)d h")
        self.hours = _("%(hours)d h %(minutes)d min")
        self.minutes = _("%(minutes)d min")
        self.paused = escape(_("paused"))
        self.overdue = _("overdue %(span)s")
        self.left = _("%(span)s left")


def _span(delta, texts=None):
    texts = texts or _Texts()
    seconds = int(abs(delta.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    if days:
        return texts.days % {"days": days, "hours": hours}
    if hours:
        return texts.hours % {"hours": hours, "minutes": rest // 60}
    return texts.minutes % {"minutes": max(rest // 60, 1)}


def _minute(moment, zone):
    """{{ moment|date:"Y-m-d H:i" }}: in the current time zone."""
    local = moment.astimezone(zone)
    return f"{local.year:04d}-{local.month:02d}-{local.day:02d} {local.hour:02d}:{local.minute:02d}"


def _labels(field):
    """{value: label in the active language} of a field's choices; a value outside them shows as it is."""
    return {value: str(label) for value, label in choice_labels(field).items()}


def _deadline_html(kind_label, due_at, running, paused, now, zone, texts=None):
    """A clock's badge: its kind and how long is left; red when it has passed (was _deadline.html)."""
    texts = texts or _Texts()
    left = due_at - now
    overdue = left.total_seconds() <= 0 and running
    soon = not overdue and left.total_seconds() < 86400
    css = " text-danger fw-bold overdue" if overdue else " text-warning-emphasis" if soon else ""
    span = escape(_span(left, texts))
    if paused:
        state = texts.paused
    elif overdue:
        state = texts.overdue % {"span": span}
    else:
        state = texts.left % {"span": span}
    return f'<span class="deadline{css}" title="{_minute(due_at, zone)}">{escape(kind_label)} · {state}</span>'


NO_DEADLINE = '<span class="text-muted">—</span>'


@register.simple_tag
def deadline_badge(deadline, paused=False):
    """The badge of one ComplaintDeadline (the complaint's page)."""
    if deadline is None:
        return mark_safe(NO_DEADLINE)  # noqa: S308 - a constant
    badge = _deadline_html(
        deadline.get_kind_display(),
        deadline.due_at,
        deadline.met_at is None,
        paused,
        timezone.now(),
        timezone.get_current_timezone(),
    )
    return mark_safe(badge)  # noqa: S308 - every value is escaped


class _Parts:
    """The rows' texts in one language: the labels, the detail link around its id, the badges.
    The same for every page in that language, so made once per language (0.3 ms of every
    register page, issue #22), not once per rendering."""

    def __init__(self):
        self.status = _labels(Complaint._meta.get_field("status"))
        self.channel = _labels(Complaint._meta.get_field("channel"))
        self.kind = _labels(ComplaintDeadline._meta.get_field("kind"))
        # reverse() once: the detail URL of a made-up id, cut around it.
        marker = 987654321987654321
        self.link_before, self.link_after = reverse("complaints:detail", args=[marker]).split(str(marker))
        self.official = f' <span class="badge bg-danger">{escape(_("Gov./media"))}</span>'
        self.repeat = f' <span class="badge bg-secondary">{escape(_("Repeat"))}</span>'
        self.escalate = f' <span class="badge bg-warning text-dark">{escape(_("Escalate?"))}</span>'
        self.exited = f' <span class="badge bg-dark merchant-exited">{escape(_("Exited"))}</span>'
        noticed = escape(_("Exit noticed"))
        self.noticed = f' <span class="badge bg-warning text-dark merchant-exit-noticed">{noticed}</span>'
        self.unknown = f'<span class="text-muted">{escape(_("unknown"))}</span>'
        self.paused = f' <span class="badge bg-info text-dark">{escape(_("paused"))}</span>'
        self.texts = _Texts()
        self.head = _head()


def _head():
    """complaints/_rows.html's header row: ten `{% translate %}` tags on every list of complaints
    cost ~0.6M instructions a page (issue #22); the same in every page of a language."""
    cells = [
        escape(text)
        for text in (
            _("Number"),
            _("Received"),
            _("Channel"),
            _("Customer"),
            _("Mobile"),
            _("Merchant"),
            pgettext("complaint", "Category"),
            _("Status"),
            _("Assignee"),
            _("Next deadline"),
        )
    ]
    lines = ("".join(f"<th>{cell}</th>" for cell in part) for part in (cells[:3], cells[3:6], cells[6:]))
    return "<thead><tr>\n" + "".join(f"    {line}\n" for line in lines) + "  </tr></thead>"


@lru_cache(maxsize=16)
def _parts(language, script_prefix, urlconf):
    # Keyed by everything the texts and the link depend on: the active language, and what
    # reverse() reads (the request's script prefix, a request's own urlconf).
    return _Parts()


@receiver(setting_changed)
def _settings_changed(*, setting, **kwargs):
    # Tests that change the languages, the catalogs or the URLs must not see another's texts.
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "ROOT_URLCONF"}:
        _parts.cache_clear()


class _Page:
    """What every row of one rendering shares: the moment, the time zone, and the texts of the
    active language (_Parts)."""

    def __init__(self):
        self.now = timezone.now()
        self.zone = timezone.get_current_timezone()
        parts = _parts(get_language(), get_script_prefix(), get_urlconf())
        self.status, self.channel, self.kind = parts.status, parts.channel, parts.kind
        self.link_before, self.link_after = parts.link_before, parts.link_after
        self.official, self.repeat, self.escalate = parts.official, parts.repeat, parts.escalate
        self.exited, self.noticed, self.unknown, self.paused = parts.exited, parts.noticed, parts.unknown, parts.paused
        self.texts = parts.texts


def _row(r, page):
    """One row of complaints/_rows.html from a ComplaintRow."""
    deadline = r.deadline
    badges = (
        (page.official if r.official_visit else "")
        + (page.repeat if r.is_repeat else "")
        + (page.escalate if r.needs_escalation else "")
    )
    if r.merchant_brand is not None:
        merchant = escape(r.merchant_brand)
        if r.booth_number is not None:
            merchant += f' <small class="text-muted">{escape(r.booth_number)}</small>'
        if r.merchant_has_exited:
            merchant += page.exited
        elif r.merchant_exit_noticed:
            merchant += page.noticed
    else:
        merchant = page.unknown
    assignee = NO_DEADLINE if r.assignee_name is None else escape(r.assignee_name)
    if not r.is_open:
        clock = ""
    elif deadline is None:
        clock = NO_DEADLINE
    else:
        kind = page.kind.get(deadline.kind, deadline.kind)
        clock = _deadline_html(kind, deadline.due_at, True, r.is_paused, page.now, page.zone, page.texts)
    return (
        f'\n  <tr class="{"table-danger" if deadline is not None and deadline.due_at <= page.now else ""}">\n'
        f'    <td><a href="{page.link_before}{r.pk}{page.link_after}">{escape(r.number)}</a>{badges}</td>\n'
        f"    <td>{_minute(r.received_at, page.zone)}</td>\n"
        f"    <td>{escape(page.channel.get(r.channel, r.channel))}</td>\n"
        f"    <td>{escape(r.customer_name)}</td>\n"
        f'    <td class="phone-masked">{escape(mask_phone(r.customer_mobile))}</td>\n'
        f"    <td>{merchant}</td>\n"
        f"    <td>{escape(r.category)}</td>\n"
        f"    <td>{escape(page.status.get(r.status, r.status))}{page.paused if r.is_paused else ''}</td>\n"
        f"    <td>{assignee}</td>\n"
        f"    <td>{clock}</td>\n"
        "  </tr>\n  "
    )


@register.simple_tag
def complaint_table_head():
    """The header row of complaints/_rows.html in the active language."""
    return mark_safe(_parts(get_language(), get_script_prefix(), get_urlconf()).head)  # noqa: S308 - escaped


@register.simple_tag
def complaint_rows(complaints):
    """The <tr>s of complaints/_rows.html, written in Python: as a template these rows cost more
    than the register's SQL (two dozen look-ups, filters and tags per row; issue #22).
    `complaints`: ComplaintRows (complaints.models.rows.list_rows) or Complaint instances.
    tests/complaints/test_register_rows.py compares them with the template they replaced."""
    page = _Page()
    rows = [_row(r if isinstance(r, ComplaintRow) else ComplaintRow.of(r), page) for r in complaints]
    if not rows:
        rows = [f'\n  <tr><td colspan="10" class="text-muted">{escape(_("No complaints found."))}</td></tr>\n  ']
    return mark_safe("".join(rows))  # noqa: S308 - every value is escaped


@register.simple_tag
def filter_fields(form):
    """The register's filter fields, hidden ones first, then each visible one in a column with its
    label (a checkbox before its label). Written in Python: as a loop in complaints/register.html,
    five look-ups a field through the template engine cost ~0.4 ms a page (issue #22).
    tests/complaints/test_register_filter_fields.py compares it with that loop.

    An unbound form (the register as it opens, most of its pages) is drawn once for the same
    fields, labels, widgets and options (`_unbound_key`), not again on every page: ~0.6 ms of a
    page (issue #22). Its drop-downs' options are still read on every page."""
    key = _unbound_key(form, get_language())
    if key is None:
        return _filter_fields(form)
    html = _drawn_forms.get(key)
    if html is None:
        if len(_drawn_forms) >= _DRAWN_FORMS_MAX:
            _drawn_forms.clear()
        html = _drawn_forms[key] = _filter_fields(form)
    return html


_drawn_forms = {}  # _unbound_key() -> the fields' HTML
_DRAWN_FORMS_MAX = 64  # a few kinds of form x languages x malls' option lists in a process

# The widgets an unbound field draws from what _unbound_key() takes in (attrs, choices, name, id),
# nothing else: exact types, so a subclass that draws otherwise is drawn every time.
_KEYABLE_WIDGETS = frozenset(
    {
        forms.TextInput,
        forms.DateInput,
        forms.HiddenInput,
        forms.CheckboxInput,
        forms.Select,
        QuickSelect,
    }
)
_KEYABLE_VALUES = (str, int, bool)


def _unbound_key(form, language):
    """Everything an unbound form's filter fields are drawn from, as a key, or None when the
    form may draw otherwise: bound, with initial values, or a field this key does not describe
    (a value, help text, a required or disabled field, a widget of another kind)."""
    if form.is_bound or form.initial or type(form.renderer) is not QuickWidgetRenderer:
        return None
    fields = []
    for name, field in form.fields.items():
        widget = field.widget
        if (
            type(widget) not in _KEYABLE_WIDGETS
            or field.initial is not None
            or field.required
            or field.disabled
            or field.help_text
            or field.localize
            or field.show_hidden_initial
        ):
            return None
        # With each value's type: True and 1 are equal keys, and drawn as ` x` and ` x="1"`.
        attrs = tuple((name, type(value), value) for name, value in widget.attrs.items())
        if not all(kind in _KEYABLE_VALUES for _name, kind, _value in attrs):
            return None
        label = field.label
        if isinstance(label, Promise):
            label = translated(label, language)
        if type(label) is not str:
            return None  # a safe label, or none: drawn every time
        choices = None
        if isinstance(widget, forms.Select):
            choices = _fixed_choices(widget, language)
            if choices is None:
                return None
        drawn = (
            type(widget),
            widget.template_name,
            getattr(widget, "input_type", None),  # DateInput(attrs={"type": "date"}) keeps it here
            getattr(widget, "option_template_name", None),
            getattr(widget, "check_test", None),
        )
        fields.append((name, type(field), drawn, attrs, label, choices))
    return (type(form), form.prefix, form.auto_id, language, get_script_prefix(), tuple(fields))


def _fixed_choices(widget, language):
    """The widget's choices as plain (value, text) pairs, now given to the widget to draw from (a
    model drop-down's rows are read here, once), or None when they are not plain."""
    choices, plain = plain_choices(widget.choices, language)
    if not plain:
        return None
    widget.choices = _Drawn(choices)
    return choices


class _Drawn(BaseChoiceIterator):
    """Choices already read and checked: a widget takes them as they are (Django normalizes any
    other sequence of choices, one call per option)."""

    def __init__(self, choices):
        self.choices = choices

    def __iter__(self):
        return iter(self.choices)


def _filter_fields(form):
    parts = [str(field) for field in form.hidden_fields()]
    parts.append("\n  ")
    language = get_language()
    for field in form.visible_fields():
        # {{ field.id_for_label }} and {{ field.label }}: escaped unless safe (a lazy label looked
        # up once per language and process, form_renderer.translated).
        text = field.label
        if isinstance(text, Promise):
            text = translated(text, language)
        label = f'for="{conditional_escape(field.id_for_label)}">{conditional_escape(text)}</label>'
        if getattr(field.field.widget, "input_type", None) == "checkbox":
            cell = f'<div class="form-check mt-4">{field} <label class="form-check-label" {label}</div>'
        else:
            cell = f'<label class="form-label small mb-0" {label}\n    {field.as_widget()}'
        parts.append(f'\n  <div class="col-auto">\n    \n    {cell}\n    \n  </div>\n  ')
    return mark_safe("".join(parts))  # noqa: S308 - the widgets' HTML is safe, the rest escaped
