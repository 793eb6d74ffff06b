"""The form renderer (settings.FORM_RENDERER): Django's own templates, except the plainest widgets.

Django renders every widget through templates: an <input> through two (the widget's, which only
includes input.html, then attrs.html), a <select> through one plus two more per <option>. A
register's filter form with a few hundred merchants in its drop-down cost more to render than the
page's SQL (issue #22). The <input> family and <select> (single and multiple) are written here in
Python, character for character what Django's templates give (tests/servicedesk/
test_form_renderer.py renders the project's forms both ways and compares); any other template,
and any widget with a template or option template of its own, still goes through the templates.

`QuickSelect` goes one step further for long drop-downs: Django's Select makes a dict per option
(optgroups -> create_option) for the templates, before any renderer sees them; QuickSelect writes
its options straight from its choices when this renderer draws it (the same HTML; with any other
renderer it is Django's Select).
"""

from functools import lru_cache
from html import escape

from django import forms
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.forms.widgets import ChoiceWidget
from django.utils.formats import localize
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy

WIDGETS = "django/forms/widgets/"
# Templates whose whole content is {% include "django/forms/widgets/input.html" %}.
INPUTS = {
    f"{WIDGETS}{name}.html"
    for name in (
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "file",
        "hidden",
        "input",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    )
}
SELECT = f"{WIDGETS}select.html"
OPTION = f"{WIDGETS}select_option.html"


def _text(value):
    """{{ value|stringformat:'s' }}: str() of it, escaped unless already safe."""
    if type(value) is str:
        return escape(value)  # what conditional_escape() gives a plain str, without its lazy check
    return conditional_escape(value if isinstance(value, str) else str(value))


def _shown(value):
    """{{ value }}: localized, escaped unless already safe."""
    if type(value) is str:
        return escape(value)  # localize() returns a str as it is
    value = localize(value)
    return conditional_escape(value if isinstance(value, str) else str(value))


def _attrs(attrs):
    """attrs.html: ` name="value"`, ` name` for True, nothing for False (None is "None")."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_shown(name)}" if value is True else f' {_shown(name)}="{_text(value)}"')
    return "".join(parts)


def _input(widget):
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    return f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _select(widget):
    parts = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in options:
            value, attrs, label = _text(option["value"]), _attrs(option["attrs"]), _shown(option["label"])
            parts.append(f'\n  <option value="{value}"{attrs}>{label}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class QuickWidgetRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None and widget.get("template_name") == template_name:
            if template_name in INPUTS:
                return mark_safe(_input(widget))  # noqa: S308 - every value above is escaped
            if template_name == SELECT and all(
                option.get("template_name") == OPTION for _g, options, _i in widget["optgroups"] for option in options
            ):
                return mark_safe(_select(widget))  # noqa: S308 - every value above is escaped
        return super().render(template_name, context, request)


def _option_value(value):
    """_text() for an option's value; plain str and int without Django's lazy-aware escape."""
    kind = type(value)
    if kind is str:
        return escape(value)
    if kind is int:
        return str(value)  # digits and a minus sign: nothing to escape
    return _text(value)


# gettext_lazy() and pgettext_lazy() give the same text for the same message in the same language:
# a drop-down's labels (the states, channels and categories, the "all ..." options) are looked up
# once per language and process, not once per option per page (~50 lookups a register page, each
# through the active translation's thread-local, issue #22). Any other lazy text is str()'d each time.
_NO_MESSAGE = ""  # a name, not a literal: makemessages would take pgettext_lazy("", "") for a message
_GETTEXT_PROXIES = (type(gettext_lazy(_NO_MESSAGE)), type(pgettext_lazy(_NO_MESSAGE, _NO_MESSAGE)))
_translated = {}  # (proxy class, message arguments, language) -> text
_TRANSLATED_MAX = 5000  # messages made up at run time are not kept without end


def translated(label, language):
    """str(label) for a lazy text, `language` being translation.get_language() now."""
    kind = type(label)
    if kind not in _GETTEXT_PROXIES or label._kw:
        return str(label)
    key = (kind, label._args, language)
    text = _translated.get(key)
    if text is None:
        text = str(label)
        if len(_translated) < _TRANSLATED_MAX:
            _translated[key] = text
    return text


@receiver(setting_changed)
def _translations_changed(*, setting, **kwargs):
    # The settings for which Django drops its loaded catalogs (trans_real's own receiver).
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:
        _translated.clear()


def _option_label(label, language):
    """_shown() for an option's label; a lazy translation is looked up once."""
    if isinstance(label, Promise):
        label = translated(label, language)  # may be a SafeString: then _shown() keeps it as it is
    if type(label) is str:
        return escape(label)  # localize() returns a str as it is
    return _shown(label)


def _select_options(choices, values, multiple):
    """ChoiceWidget.optgroups() and select.html / select_option.html in one pass."""
    parts = []
    has_selected = False
    language = get_language()
    for option_value, option_label in choices:
        if option_value is None:
            option_value = ""
        if isinstance(option_label, (list, tuple)):
            group_name, options = option_value, option_label
        else:
            group_name, options = None, ((option_value, option_label),)
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for value, label in options:
            selected = (not has_selected or multiple) and str(value) in values
            has_selected |= selected
            chosen = " selected" if selected else ""
            text = _option_label(label, language)
            parts.append(f'\n  <option value="{_option_value(value)}"{chosen}>{text}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    return "".join(parts)


def _options(choices, values, multiple):
    """_select_options(), kept for plain choices: a register's merchant and assignee drop-downs
    are the same few hundred options page after page (0.4 ms of writing a page in a large mall,
    issue #22). Their rows are still read every time, and the options are kept by those rows:
    a new merchant or a renamed one is a new key."""
    choices, plain = plain_choices(choices, get_language())
    if plain:
        # Plain values and labels give the same HTML in any request; a safe label, or a value that
        # only equals another (True == 1), goes the long way.
        return _plain_options(choices, tuple(values), multiple)
    return _select_options(choices, values, multiple)


def plain_choices(choices, language):
    """(choices as (value, label) pairs with lazy labels in `language`, whether all are plain: an
    int, str or None value and a str label). A model drop-down reading values
    (model_choices.read_choices) brings its rows labelled and checked once for the same rows; only
    its "All ..." choice is looked at here."""
    options, plain = (), True
    if hasattr(choices, "labelled_rows"):
        options, plain = choices.labelled_rows()
        choices = choices.leading_choices()
    choices = _in_language(choices, language)
    return choices + options, plain and _plain(choices)


_PLAIN_VALUES = (int, str, type(None))


def _in_language(choices, language):
    """Lazy labels ("All merchants", the states) in the active language, as _option_label() would."""
    return tuple(
        (value, translated(label, language) if isinstance(label, Promise) else label) for value, label in choices
    )


def _plain(choices):
    return all(type(label) is str and type(value) in _PLAIN_VALUES for value, label in choices)


@lru_cache(maxsize=64)
def _plain_options(choices, values, multiple):
    return _select_options(choices, values, multiple)


class QuickSelect(forms.Select):
    """A Select whose options QuickWidgetRenderer writes from the choices, without a dict per option
    (a register's merchant list: a few hundred options a page, issue #22). Widgets that change how
    their options are made (optgroups, create_option, get_context) or drawn (their own templates),
    and every other renderer, take Django's way."""

    def _quick(self, renderer):
        cls = type(self)
        return (
            isinstance(renderer, QuickWidgetRenderer)
            and self.template_name == SELECT
            and self.option_template_name == OPTION
            and cls.optgroups is ChoiceWidget.optgroups
            and cls.create_option is ChoiceWidget.create_option
            and cls.get_context is forms.Select.get_context
        )

    def render(self, name, value, attrs=None, renderer=None):
        renderer = renderer or get_default_renderer()
        if not self._quick(renderer):
            return super().render(name, value, attrs, renderer)
        values = self.format_value(value)
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        options = _options(self.choices, values, self.allow_multiple_selected)
        html = f'<select name="{_shown(name)}"{_attrs(attrs)}>{options}\n</select>'
        return mark_safe(html)  # noqa: S308 - every value above is escaped
