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
