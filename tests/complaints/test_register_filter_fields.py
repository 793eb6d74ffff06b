"""The register's filter fields, written by complaint_tags.filter_fields (issue #22), give the HTML of
the template loop they replaced (kept in reference/filter_fields_before_22.html) for the register's
filter as a mall's officer and head office see it, unbound, bound and with errors, in both
languages, and for the corner cases of the loop: checkboxes, hidden fields, escaped labels, a
widget without an input type, a field that shows its hidden initial value. An unbound form is
drawn once for what it shows and kept; a form that may draw otherwise is drawn every time."""

from pathlib import Path

import pytest
from django import forms
from django.template import Context, Engine
from django.utils import translation
from django.utils.safestring import mark_safe

from complaints.filters import ComplaintFilter
from complaints.models import Complaint
from complaints.templatetags import complaint_tags
from complaints.templatetags.complaint_tags import filter_fields
from servicedesk.roles import Role
from tests.complaints.factories import ComplaintFactory
from tests.merchants.factories import MerchantFactory

pytestmark = pytest.mark.django_db

REFERENCE = (Path(__file__).parent / "reference" / "filter_fields_before_22.html").read_text()
LOOP = Engine().from_string(REFERENCE)


def _loop(form):
    return LOOP.render(Context({"filter": {"form": form}}))


class Corners(forms.Form):
    nasty = forms.CharField(label='A & B <b>"x"</b>')
    safe = forms.CharField(label=mark_safe("<i>safe</i>"), required=False)
    ticked = forms.BooleanField(label="Ticked <1>", required=False, show_hidden_initial=True)
    secret = forms.CharField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(widget=forms.Textarea, required=False)
    remembered = forms.CharField(show_hidden_initial=True, initial="old", required=False)  # as_widget: not shown
    no_label = forms.IntegerField(label="", required=False)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("who", ["officer", "head_office"])
@pytest.mark.parametrize(
    "data",
    [
        None,
        {"status": "assigned", "q": "<b>138</b>", "overdue": "on", "received_from": "2026-11-01"},
        {"status": "nope", "merchant": "999999", "received_to": "not a date", "assignee": "x"},
    ],
)
def test_the_register_filter_as_the_loop_wrote_it(mall, staff, language, who, data):
    officer = staff(Role.COMPLAINT_OFFICER, first_name="小", last_name="王")
    ComplaintFactory(mall=mall, assignee=officer)
    user = officer if who == "officer" else staff(Role.HEAD_OFFICE)
    shown_mall = mall if who == "officer" else None
    with translation.override(language):
        filterset = ComplaintFilter(data, queryset=Complaint.objects.all(), user=user, mall=shown_mall)
        filterset.is_valid()
        html = filter_fields(filterset.form)
        assert html == _loop(filterset.form)
    assert ('type="hidden" name="merchant"' in html) == (who == "head_office")
    assert html.count('<div class="col-auto">') == len(filterset.form.visible_fields())


@pytest.mark.parametrize(
    "data", [None, {"nasty": "", "ticked": "on", "initial-ticked": "", "no_label": "x", "remembered": "new"}]
)
def test_the_corners_of_the_loop(data):
    form = Corners(data)
    form.is_valid()
    html = filter_fields(form)
    assert html == _loop(form)
    assert "A &amp; B &lt;b&gt;" in html and "<i>safe</i>" in html and 'name="initial-ticked"' in html


def _filter(user, mall, data=None):
    return ComplaintFilter(data, queryset=Complaint.objects.all(), user=user, mall=mall)


@pytest.fixture
def drawn(monkeypatch):
    """The forms filter_fields() really draws (not the kept ones), from an empty store."""
    monkeypatch.setattr(complaint_tags, "_drawn_forms", {})
    calls = []
    draw = complaint_tags._filter_fields
    monkeypatch.setattr(complaint_tags, "_filter_fields", lambda form: calls.append(form) or draw(form))
    return calls


def test_an_unbound_filter_is_drawn_once_for_what_it_shows(mall, staff, drawn, django_assert_num_queries):
    """The register as it opens: the same fields, labels and options are drawn once and kept, in
    each language; the options are still read on every page (two queries), so a new or renamed
    merchant is drawn on the next page; what is kept is what the loop writes."""
    officer = staff(Role.COMPLAINT_OFFICER, first_name="小", last_name="王")
    ComplaintFactory(mall=mall, assignee=officer)
    merchant = MerchantFactory(mall=mall, brand="顾家")
    head_office = staff(Role.HEAD_OFFICE)
    pages = []
    for language in ("zh-hans", "en", "zh-hans", "en"):
        with translation.override(language):
            filterset = _filter(officer, mall)
            with django_assert_num_queries(2):
                html = filter_fields(filterset.form)
            assert html == _loop(_filter(officer, mall).form)
            pages.append(html)
    assert len(drawn) == 2 and pages[0] == pages[2] and pages[1] == pages[3] and pages[0] != pages[1]
    assert "全部商户" in pages[0] and "All merchants" in pages[1]
    merchant.brand = "顾家家居"
    merchant.save(update_fields=["brand"])
    MerchantFactory(mall=mall, brand="新商户")
    renamed = filter_fields(_filter(officer, mall).form)
    assert "顾家家居" in renamed and "新商户" in renamed and len(drawn) == 3
    assert renamed == _loop(_filter(officer, mall).form)
    # Head office's form (merchant and assignee hidden) is a form of its own.
    everywhere = filter_fields(_filter(head_office, None).form)
    assert 'type="hidden" name="merchant"' in everywhere and len(drawn) == 4
    assert filter_fields(_filter(head_office, None).form) == everywhere and len(drawn) == 4


class Plain(forms.Form):
    when = forms.DateField(label="When", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    what = forms.ChoiceField(label="What", choices=[("", "All"), ("a", "A")], required=False)


class Subclassed(forms.DateInput):
    template_name = "django/forms/widgets/text.html"


@pytest.mark.parametrize(
    "form",
    [
        lambda: Plain({"what": "a"}),  # bound: its values
        lambda: Plain(initial={"what": "a"}),
        lambda: Corners(),  # a required field, a safe label, a textarea, a hidden initial
        lambda: _with(Plain(), "what", required=True),
        lambda: _with(Plain(), "what", disabled=True),
        lambda: _with(Plain(), "what", help_text="pick one"),
        lambda: _with(Plain(), "what", initial="a"),
        lambda: _with(Plain(), "what", label=None),  # the loop shows the field's name
        lambda: _with(Plain(), "when", widget=Subclassed()),
        lambda: _with(Plain(), "what", label=mark_safe("<i>What</i>")),
        lambda: _with_choices(Plain(), [(1.5, "1.5"), ("a", "A")]),  # a value that is not plain (a float)
        lambda: _with_choices(Plain(), [("a", mark_safe("<b>A</b>"))]),
    ],
)
def test_a_form_that_may_draw_otherwise_is_drawn_every_time(form, drawn):
    for _ in range(2):
        made = form()
        made.is_valid()
        assert filter_fields(made) == _loop(made)
    assert len(drawn) == 2


def _with(form, name, **changes):
    for attribute, value in changes.items():
        setattr(form.fields[name], attribute, value)
    return form


def _with_choices(form, choices):
    form.fields["what"].choices = choices
    return form


def test_what_the_key_takes_in_tells_forms_apart(drawn):
    """Two forms alike but for their widgets' input type, a prefix, a label or a choice are drawn
    each on their own, and each as the loop writes it."""
    relabelled = _with(Plain(), "what", label="Which")
    rechosen = _with_choices(Plain(), [("", "All"), ("b", "B")])
    monthly = _with(Plain(), "when", widget=forms.DateInput(attrs={"type": "month"}))
    forms_ = [Plain(), monthly, Plain(prefix="p"), relabelled, rechosen]
    html = [filter_fields(form) for form in forms_]
    assert len(drawn) == 5 and len(set(html)) == 5
    for form, shown in zip(forms_, html, strict=True):
        assert shown == _loop(form)
    assert 'type="month"' in html[1]
    assert filter_fields(Plain()) == html[0] and len(drawn) == 5


def test_attrs_that_are_only_equal_are_drawn_apart(drawn):
    """A widget attribute of True is drawn ` x`, of 1 ` x="1"`: not one key."""
    flagged = filter_fields(_with(Plain(), "when", widget=forms.DateInput(attrs={"data-x": True})))
    counted = filter_fields(_with(Plain(), "when", widget=forms.DateInput(attrs={"data-x": 1})))
    assert " data-x " in flagged.replace(">", " >") and 'data-x="1"' in counted and len(drawn) == 2


def test_an_empty_value_of_none_is_kept_and_drawn_as_the_loop_draws_it(drawn):
    """None is a plain value (written as an empty one), and only equal to itself."""
    shown = [filter_fields(_with_choices(Plain(), [(None, "None"), ("a", "A")])) for _ in range(2)]
    assert shown[0] == shown[1] == _loop(_with_choices(Plain(), [(None, "None"), ("a", "A")]))
    assert len(drawn) == 1 and '<option value="" selected>None</option>' in shown[0]
