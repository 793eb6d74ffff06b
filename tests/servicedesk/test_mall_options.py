"""The navbar's mall switcher's options, written in Python (desk.mall_options, issue #22): the
same HTML as the template loop they replaced, kept here as the reference."""

import pytest
from django.template import Context, Template

from servicedesk.models import Mall
from tests.factories import MallFactory

pytestmark = pytest.mark.django_db

# templates/base.html's loop before issue #22.
REFERENCE = (
    "          {% for mall in malls %}\n"
    '          <option value="{{ mall.pk }}"{% if current_mall and mall.pk == current_mall.pk %} selected{% endif %}>'
    "{{ mall.code }} {{ mall.name }}</option>\n"
    "          {% endfor %}\n"
)
QUICK = """{% load desk %}          {% mall_options malls current_mall %}
"""


def test_the_options_as_the_loop_gave_them(mall, other_mall):
    MallFactory(code="HZ01", name='杭州 <"A&B"> 商场')
    malls = list(Mall.objects.order_by("code"))
    for current in (None, mall, other_mall):
        context = {"malls": malls, "current_mall": current}
        shown = Template(QUICK).render(Context(context))
        assert shown == Template(REFERENCE).render(Context(context)), current
        assert shown.count(" selected") == (current is not None)
    assert "&lt;&quot;A&amp;B&quot;&gt;" in shown
    assert Template(QUICK).render(Context({"malls": [], "current_mall": None})) == Template(REFERENCE).render(
        Context({"malls": [], "current_mall": None})
    )


def test_a_renamed_or_new_mall_shows_at_once(mall, other_mall):
    """The options are kept by the malls' rows: the next page after a change shows it."""
    render = Template(QUICK).render
    before = render(Context({"malls": list(Mall.objects.order_by("code")), "current_mall": mall}))
    assert render(Context({"malls": list(Mall.objects.order_by("code")), "current_mall": mall})) == before
    Mall.objects.filter(pk=mall.pk).update(name="改名后的商场")
    MallFactory(code="ZZ99", name="新开商场")
    malls = list(Mall.objects.order_by("code"))
    after = render(Context({"malls": malls, "current_mall": mall}))
    assert after != before
    assert "改名后的商场" in after and "新开商场" in after
    assert after == Template(REFERENCE).render(Context({"malls": malls, "current_mall": mall}))
    other = render(Context({"malls": malls, "current_mall": other_mall}))
    assert other == Template(REFERENCE).render(Context({"malls": malls, "current_mall": other_mall}))
