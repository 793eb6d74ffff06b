"""The quick form renderer writes <input> and <select> character for character as Django's own
templates do (servicedesk/form_renderer.py, issue #22): whole pages compared both ways, and the
corner cases of the templates (True/False/None attributes, escaping, safe text, groups). QuickSelect
writes its options from its choices, without Django's dict per option, with the same HTML."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django import forms
from django.forms.renderers import DjangoTemplates
from django.forms.widgets import ChoiceWidget
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from servicedesk import form_renderer
from servicedesk.form_renderer import QuickSelect, QuickWidgetRenderer
from servicedesk.roles import Role
from tests.complaints.factories import ComplaintFactory

SH = ZoneInfo("Asia/Shanghai")
TEMPLATES, QUICK = DjangoTemplates(), QuickWidgetRenderer()
NASTY = "A & B <b>\"quoted\"</b> 'x'"
CHOICES = [("", "---"), ("a", "Plain"), (NASTY, NASTY), ("safe", mark_safe("<i>safe</i>")), (3, 3)]
GROUPED = [("Group <1>", [("g1", "One"), ("g2", "Two")]), ("solo", "Solo"), ("Group 2", [("g3", "Three")])]
WIDGETS = [
    (forms.TextInput(attrs={"class": "form-control", "required": True, "disabled": False, "x": None}), NASTY),
    (forms.TextInput(), None),
    (forms.TextInput(), ""),
    (forms.NumberInput(attrs={"min": 0, "step": "0.01"}), 12.5),
    (forms.EmailInput(), "a@b.cn"),
    (forms.PasswordInput(render_value=True), "secret"),
    (forms.HiddenInput(), mark_safe("<already safe>")),
    (forms.DateInput(attrs={"type": "date"}), date(2026, 11, 26)),
    (
        forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        datetime(2026, 11, 26, 9, 5, tzinfo=SH),
    ),
    (forms.TimeInput(), "09:30"),
    (forms.URLInput(), "https://example.cn/?a=1&b=2"),
    (forms.CheckboxInput(), True),
    (forms.CheckboxInput(attrs={"class": "form-check-input"}), False),
    (forms.FileInput(), None),
    (forms.Select(choices=CHOICES), "a"),
    (forms.Select(choices=CHOICES, attrs={"class": "form-select"}), NASTY),
    (forms.Select(choices=CHOICES), None),
    (forms.Select(choices=CHOICES), 3),
    (forms.Select(choices=GROUPED), "g2"),
    (forms.Select(choices=[]), None),
    (forms.SelectMultiple(choices=CHOICES), ["a", "safe"]),
    (forms.SelectMultiple(choices=GROUPED), ["g1", "g3"]),
    (forms.NullBooleanSelect(), None),
    (forms.NullBooleanSelect(), False),
]


@pytest.mark.parametrize(("widget", "value"), WIDGETS, ids=lambda w: type(w).__name__)
def test_each_widget_renders_as_the_templates_do(widget, value):
    attrs = {"id": "id_field"}
    expected = widget.render("field", value, attrs, renderer=TEMPLATES)
    assert widget.render("field", value, attrs, renderer=QUICK) == expected


def test_widgets_it_does_not_know_go_through_the_templates():
    for widget, value in [
        (forms.RadioSelect(choices=CHOICES), "a"),
        (forms.CheckboxSelectMultiple(choices=CHOICES), ["a"]),
        (forms.Textarea(), NASTY),
        (forms.SplitDateTimeWidget(), datetime(2026, 11, 26, 9, 5, tzinfo=SH)),
        (forms.SelectDateWidget(), date(2026, 11, 26)),
    ]:
        assert widget.render("f", value, renderer=QUICK) == widget.render("f", value, renderer=TEMPLATES)

    class OwnOption(forms.Select):
        option_template_name = "django/forms/widgets/radio_option.html"

    own = OwnOption(choices=CHOICES)
    assert own.render("f", "a", renderer=QUICK) == own.render("f", "a", renderer=TEMPLATES)
    assert "<option" not in own.render("f", "a", renderer=QUICK)


class QuickSelectMultiple(QuickSelect, forms.SelectMultiple):
    pass


LAZY = [("", gettext_lazy("All states")), ("closed", gettext_lazy("Closed")), ("x", mark_safe("<i>x</i>"))]
ODD = [(None, "none"), (0, 0), (-7, -7), (True, True), (1.5, 12345.5), ("", ""), (0, "zero again")]
SELECTS = [
    (CHOICES, "a"),
    (CHOICES, NASTY),
    (CHOICES, None),
    (CHOICES, ""),
    (CHOICES, 3),
    (CHOICES, "safe"),
    (GROUPED, "g2"),
    (GROUPED, None),
    ([], None),
    (LAZY, "closed"),
    (ODD, 0),
    (ODD, None),
    (ODD, "True"),
    ([("a", "first"), ("a", "twice")], "a"),  # only the first of equal values is selected
    ([("", [("g", "G")]), (0, [("h", "H")])], "h"),  # an empty group name: no <optgroup>
]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(("choices", "value"), SELECTS)
def test_quick_select_writes_what_the_templates_write(choices, value, language):
    attrs = {"id": "id_field", "required": True, "aria-invalid": "true"}
    with translation.override(language):
        expected = forms.Select(choices=choices, attrs={"class": "form-select"}).render(
            "field", value, attrs, renderer=TEMPLATES
        )
        quick = QuickSelect(choices=choices, attrs={"class": "form-select"})
        assert quick.render("field", value, attrs, renderer=QUICK) == expected
        many = [value, "g3", "a"] if value is not None else None
        expected = forms.SelectMultiple(choices=choices).render("field", many, attrs, renderer=TEMPLATES)
        assert QuickSelectMultiple(choices=choices).render("field", many, attrs, renderer=QUICK) == expected


def test_quick_select_makes_no_option_dicts_and_leaves_other_renderers_alone(monkeypatch):
    made = []
    original = ChoiceWidget.create_option
    monkeypatch.setattr(ChoiceWidget, "create_option", lambda self, *a, **k: made.append(a) or original(self, *a, **k))
    widget = QuickSelect(choices=CHOICES)
    quick = widget.render("f", "a", renderer=QUICK)
    assert made == []
    assert widget.render("f", "a", renderer=TEMPLATES) == quick
    assert len(made) == len(CHOICES)  # Django's way for any other renderer

    class OwnOption(QuickSelect):
        option_template_name = "django/forms/widgets/radio_option.html"

    own = OwnOption(choices=CHOICES)
    assert own.render("f", "a", renderer=QUICK) == own.render("f", "a", renderer=TEMPLATES)
    assert "<option" not in own.render("f", "a", renderer=QUICK)


def _without_tokens(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.mark.django_db
def test_the_desks_pages_are_the_same_both_ways(client, settings, staff, mall):
    officer = staff(Role.COMPLAINT_OFFICER)
    ComplaintFactory(mall=mall, status="assigned", assignee=officer)
    merchant = ComplaintFactory(mall=mall).merchant
    client.force_login(officer)
    register = reverse("complaints:index")
    pages = [
        ("get", register, {}),
        ("get", register, {"status": "assigned", "merchant": merchant.pk, "q": NASTY, "overdue": "on"}),
        ("get", register, {"received_from": "2026-11-01", "assignee": officer.pk, "category": "Q"}),
        ("get", reverse("complaints:intake"), {}),
        ("post", reverse("complaints:intake"), {"customer_name": NASTY, "channel": "walk_in", "category": "nope"}),
    ]
    with time_machine.travel(datetime(2026, 11, 26, 10, tzinfo=SH), tick=False):
        client.force_login(officer)
        for method, path, data in pages:
            shown = {}
            for renderer in ("django.forms.renderers.DjangoTemplates", "servicedesk.form_renderer.QuickWidgetRenderer"):
                settings.FORM_RENDERER = renderer
                response = getattr(client, method)(path, data)
                assert response.status_code == 200, (path, data)
                shown[renderer] = _without_tokens(response.text)
            quick, templates = shown.values()
            assert quick == templates, (path, data)
            assert "<select" in quick and "<input" in quick


def test_lazy_labels_are_translated_once_per_language_and_as_str_gives_them(settings):
    from django.utils.functional import lazy
    from django.utils.translation import pgettext_lazy

    from servicedesk import form_renderer

    status, category = gettext_lazy("Status"), pgettext_lazy("complaint", "Category")
    seen = {}
    for language in ("zh-hans", "en", "zh-hans", None):
        with translation.override(language):
            here = translation.get_language()
            for label in (status, category):
                assert form_renderer.translated(label, here) == str(label)
            seen[language] = form_renderer.translated(status, here)
    assert seen["zh-hans"] != seen["en"] == seen[None] == "Status"
    assert (type(status), status._args, "zh-hans") in form_renderer._translated
    # Any other lazy text is worked out every time.
    counter = iter(range(10))
    changing = lazy(lambda: f"n{next(counter)}", str)()
    assert form_renderer.translated(changing, "en") == "n0"
    assert form_renderer.translated(changing, "en") == "n1"
    # New catalogs (a test changing LOCALE_PATHS) forget what was looked up.
    settings.LOCALE_PATHS = [*settings.LOCALE_PATHS]
    assert not form_renderer._translated


def test_a_select_with_lazy_labels_in_two_languages():
    widget = QuickSelect(choices=[("", gettext_lazy("All states")), ("a", gettext_lazy("Status"))])
    for language in ("en", "zh-hans", "en"):
        with translation.override(language):
            quick = widget.render("s", "a", renderer=QUICK)
            stock = forms.Select(choices=widget.choices).render("s", "a", renderer=TEMPLATES)
            assert quick == stock
            assert (language == "en") == ("Status</option>" in quick)


def test_plain_options_are_kept_by_their_choices_and_nothing_else():
    """A long drop-down's options are written once for the same choices and selection
    (form_renderer._plain_options); choices that only look equal never share them."""
    form_renderer._plain_options.cache_clear()

    def both(choices, value):
        quick = QuickSelect(choices=choices).render("m", value, renderer=QUICK)
        assert quick == forms.Select(choices=choices).render("m", value, renderer=TEMPLATES)
        return quick

    merchants = [("", "All merchants"), (1, "A&B 家居"), (2, "Zeta")]
    first = both(merchants, "2")
    assert both(merchants, "2") == first
    assert form_renderer._plain_options.cache_info().hits == 1
    # Another selection, a new merchant, a renamed one: each its own options.
    assert 'value="1" selected' in both(merchants, "1")
    assert "Omega" in both([*merchants, (3, "Omega")], "2")
    assert "A&amp;B 家具" in both([("", "All merchants"), (1, "A&B 家具"), (2, "Zeta")], "2")
    # Equal to plain choices, but drawn differently: a safe label, True for 1.
    assert "<b>x</b>" in both([(1, mark_safe("<b>x</b>"))], None)
    assert "&lt;b&gt;x&lt;/b&gt;" in both([(1, "<b>x</b>")], None)
    assert 'value="True"' in both([(True, "one")], None)
    assert 'value="1"' in both([(1, "one")], None)
    # A lazy label in the active language, whichever language came first.
    lazy = [("", gettext_lazy("All states")), (1, "Zeta")]
    for language, text in (("zh-hans", "全部状态"), ("en", "All states"), ("zh-hans", "全部状态")):
        with translation.override(language):
            assert text in both(lazy, None)
