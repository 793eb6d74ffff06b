"""The navbar's section links, written in Python (desk.nav_links, issue #22): the same HTML as the
template loop they replaced, kept here as the reference, on every kind of page, in both languages."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import resolve
from django.utils import translation

from servicedesk.navigation import sections

# templates/base.html's loop before issue #22.
REFERENCE = (
    "        {% for section in nav_sections %}\n"
    '        <li class="nav-item"><a class="nav-link{% if request.resolver_match.namespace == section.key or '
    'request.resolver_match.url_name == section.key %} active{% endif %}" href="{% url section.url_name %}">'
    "{{ section.nav_label|default:section.label }}</a></li>\n"
    "        {% endfor %}\n"
)
QUICK = "{% load desk %}        {% nav_links nav_sections %}\n"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("path", ["/", "/complaints/", "/complaints/mine/", "/followups/", "/reports/", None])
def test_the_links_as_the_loop_gave_them(language, path):
    request = RequestFactory().get(path or "/nowhere/")
    request.resolver_match = resolve(path) if path else None
    every = sections()
    assert any(section.nav_label for section in every)
    with translation.override(language):
        context = {"request": request, "nav_sections": every}
        shown = Template(QUICK).render(Context(context))
        assert shown == Template(REFERENCE).render(Context(context))
    assert shown.count('class="nav-item"') == len(every)
    if path and path != "/":
        assert shown.count(" active") == 1


def test_no_sections_no_links():
    request = RequestFactory().get("/")
    context = {"request": request, "nav_sections": []}
    assert Template(QUICK).render(Context(context)) == Template(REFERENCE).render(Context(context))
