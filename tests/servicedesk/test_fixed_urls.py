"""The navbar's URLs and static files worked out once per process (servicedesk/fixedurls.py,
issue #22): base.html gives byte for byte what it gave with `{% url %}` and `{% static %}`, for
every kind of user, in both languages, and a change of URLconf or static settings is followed."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.template import engines
from django.test import override_settings
from django.urls import path, reverse, set_script_prefix
from django.utils import translation

from servicedesk.fixedurls import fixed_reverse, static_url
from servicedesk.roles import Role

pytestmark = pytest.mark.django_db

BASE = (Path(settings.BASE_DIR) / "templates" / "base.html").read_text()
NAVBAR = (Path(settings.BASE_DIR) / "templates" / "servicedesk" / "_navbar.html").read_text()
# base.html as it was written before: Django's own tags.
REFERENCE = re.sub(
    r"\{% static_file '([^']+)' %\}",
    r"{% static '\1' %}",
    re.sub(r"\{% fixed_url '([^']+)' %\}", r"{% url '\1' %}", BASE),
).replace("{% load i18n desk %}", "{% load static i18n desk %}")
urlpatterns = [path("elsewhere/", lambda request: HttpResponse(), name="home")]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _both(request):
    engine = engines["django"]
    ours, theirs = (TOKEN.sub("TOKEN", engine.from_string(text).render({}, request)) for text in (BASE, REFERENCE))
    return ours, theirs


def test_the_base_template_uses_the_fixed_tags_only():
    assert "{% url " not in BASE and "{% static " not in BASE
    assert BASE.count("{% static_file ") == 6
    # The navbar's eight URLs: servicedesk/navbar.py works them out with fixed_reverse.
    assert "{% url " not in NAVBAR and "{% static " not in NAVBAR


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("role", [Role.COMPLAINT_OFFICER, Role.HEAD_OFFICE, Role.ADMIN, None])
def test_the_page_is_what_url_and_static_wrote(client, staff, role, language):
    if role is not None:
        user = staff(role)
        client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    path = reverse("home") if role is not None else reverse("login")
    request = client.get(path).wsgi_request
    with translation.override(language):
        ours, theirs = _both(request)
    assert ours == theirs
    assert 'href="/static/css/desk.css"' in ours
    if role is not None:
        assert f'action="{reverse("logout")}"' in ours


def test_a_script_prefix_and_a_new_urlconf_are_followed():
    assert fixed_reverse("home") == reverse("home") == "/"
    set_script_prefix("/desk/")
    try:
        assert fixed_reverse("home") == reverse("home") == "/desk/"
        assert fixed_reverse("logout") == "/desk/accounts/logout/"
    finally:
        set_script_prefix("/")
    assert fixed_reverse("home") == "/"
    # Another URLconf (this module's): Django makes a new resolver, and its URLs are its own.
    with override_settings(ROOT_URLCONF=__name__):
        assert fixed_reverse("home") == "/elsewhere/"
    assert fixed_reverse("home") == "/"


def test_static_settings_are_followed():
    assert static_url("css/desk.css") == "/static/css/desk.css"
    with override_settings(STATIC_URL="/assets/"):
        assert static_url("css/desk.css") == "/assets/css/desk.css"
    assert static_url("css/desk.css") == "/static/css/desk.css"
