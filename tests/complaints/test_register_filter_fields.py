"""The register's filter fields, written by complaint_tags.filter_fields (issue #22), give the HTML of
the template loop they replaced (kept in reference/filter_fields_before_22.html) for the register's
filter as a mall's officer and head office see it, unbound, bound and with errors, in both
languages, and for the corner cases of the loop: checkboxes, hidden fields, escaped labels, a
widget without an input type, a field that shows its hidden initial value."""

from pathlib import Path

import pytest
from django import forms
from django.template import Context, Engine
from django.utils import translation
from django.utils.safestring import mark_safe

from complaints.filters import ComplaintFilter
from complaints.models import Complaint
from complaints.templatetags.complaint_tags import filter_fields
from servicedesk.roles import Role
from tests.complaints.factories import ComplaintFactory

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
