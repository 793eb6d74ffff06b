"""The form renderer (settings.FORM_RENDERER): Django's own templates, except the plainest widgets.

Django renders every widget through templates: an <input> through two (the widget's, which only
includes input.html, then attrs.html), a <select> through one plus two more per <option>. A
register's filter form with a few hundred merchants in its drop-down cost more to render than the
page's SQL (issue #22). The <input> family and <select> (single and multiple) are written here in
Python, character for character what Django's templates give (tests/servicedesk/
test_form_renderer.py renders the project's forms both ways and compares); any other template,
and any widget with a template or option template of its own, still goes through the templates.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

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
    return conditional_escape(value if isinstance(value, str) else str(value))


def _shown(value):
    """{{ value }}: localized, escaped unless already safe."""
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
