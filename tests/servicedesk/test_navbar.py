"""The desk's navbar, rendered once per kind of page and kept (servicedesk/navbar.py, issue #22):
every page's layout is what base.html gave before issue #22 with Django's own tags and loops
(base_reference.html), for every kind of user, page and language, and whatever changes between
two pages (the user's name, the unread count, the malls, the page's own path) shows at once."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template import engines
from django.test import RequestFactory, override_settings
from django.urls import resolve, reverse
from django.utils import translation
from django.utils.html import escape

from servicedesk import navbar
from servicedesk.models import Mall, StaffMembership
from servicedesk.notifications import notify
from servicedesk.roles import Role
from tests.factories import MallFactory

pytestmark = pytest.mark.django_db

HERE = Path(__file__).parent
BASE = (Path(settings.BASE_DIR) / "templates" / "base.html").read_text()
REFERENCE = (HERE / "base_reference.html").read_text()
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
BLANK = re.compile(r"\n[ \t]*(?=\n)")


def _page(template, request):
    html = engines["django"].from_string(template).render({}, request)
    # Each render masks the CSRF token anew; lines left empty by a tag differ between the two.
    return BLANK.sub("", TOKEN.sub('name="csrfmiddlewaretoken" value="TOKEN"', html))


def _as_served(client, path, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(path)
    assert response.status_code in (200, 302, 403)
    return response.wsgi_request


def _check(request, language):
    with translation.override(language):
        ours, reference = _page(BASE, request), _page(REFERENCE, request)
    assert ours == reference
    assert navbar._MARK not in ours
    return ours


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(
    "role",
    [Role.FRONT_DESK, Role.COMPLAINT_OFFICER, Role.MANAGER, Role.HEAD_OFFICE, Role.ADMIN, None],
)
@pytest.mark.parametrize("path", ["/", "/complaints/", "/complaints/mine/", "/followups/", "/reports/"])
def test_every_page_as_the_reference_wrote_it(client, staff, role, language, path):
    if role is None:
        path = reverse("login")
    else:
        client.force_login(staff(role))
    ours = _check(_as_served(client, path, language), language)
    if role is not None:
        assert f'action="{reverse("logout")}"' in ours


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_names_counts_and_paths_are_the_pages_own(client, staff, language):
    officer = staff(Role.COMPLAINT_OFFICER, first_name='<b>"王&', last_name="</a>", is_staff=True)
    client.force_login(officer)
    for n in range(3):
        notify([officer], key=f"n{n}", title="t")
    request = _as_served(client, '/complaints/?q=<script>"x"&status=open', language)
    ours = _check(request, language)
    assert 'id="unread-count">3<' in ours
    assert ours.count(f'value="{escape(request.get_full_path())}"') == 1  # the language switcher's
    assert "&amp;status=open" in ours
    assert "&lt;b&gt;&quot;王&amp;" in ours
    assert reverse("admin:index") in ours


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_head_office_and_staff_of_several_malls_switch(client, staff, mall, other_mall, language):
    MallFactory(code="HZ01", name='杭州 <"A&B"> 商场')
    head_office = staff(Role.HEAD_OFFICE)
    client.force_login(head_office)
    ours = _check(_as_served(client, "/complaints/", language), language)
    assert ours.count("<option value=") == Mall.objects.filter(is_active=True).count() + 1
    client.post(reverse("switch_mall"), {"mall": other_mall.pk, "next": "/"})
    ours = _check(_as_served(client, "/complaints/", language), language)
    assert f'<option value="{other_mall.pk}" selected>' in ours

    officer = staff(Role.COMPLAINT_OFFICER)
    StaffMembership.objects.create(user=officer, mall=other_mall, role=Role.COMPLAINT_OFFICER)
    client.force_login(officer)
    ours = _check(_as_served(client, "/", language), language)
    assert 'id="mall-switcher"' in ours


def test_what_changes_between_pages_shows_at_once(client, staff, mall):
    officer = staff(Role.COMPLAINT_OFFICER, first_name="", last_name="")
    client.force_login(officer)
    navbar._rendered.cache_clear()
    first = client.get("/complaints/").content.decode()
    assert 'id="unread-count"' not in first and f">{officer.username}</a>" in first
    assert 'id="current-mall"' in first and mall.name in first

    officer.first_name, officer.last_name = "小", "李"
    officer.save()
    notify([officer], key="one", title="t")
    Mall.objects.filter(pk=mall.pk).update(name="新名字商场")
    second = client.get("/complaints/?page=2").content.decode()
    assert ">小 李</a>" in second and 'id="unread-count">1<' in second and "新名字商场" in second
    assert 'value="/complaints/?page=2"' in second

    notify([officer], key="two", title="t")
    third = client.get("/complaints/").content.decode()
    assert 'id="unread-count">2<' in third
    assert navbar._rendered.cache_info().hits >= 1


def test_the_same_kind_of_page_is_rendered_once(client, staff):
    client.force_login(staff(Role.COMPLAINT_OFFICER))
    client.get("/complaints/")
    navbar._rendered.cache_clear()
    for _ in range(3):
        client.get("/complaints/")
    assert navbar._rendered.cache_info().misses == 1
    client.get("/")  # another section: another navbar (its own active link)
    assert navbar._rendered.cache_info().misses == 2
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.get("/")
    assert navbar._rendered.cache_info().misses == 3


def test_each_page_gets_its_own_csrf_token(client, staff):
    """The kept HTML holds no token: each page's forms carry the token of its own request."""
    client.force_login(staff(Role.COMPLAINT_OFFICER))
    earlier = TOKEN.findall(client.get("/").content.decode())
    html = client.get("/").content.decode()
    tokens = TOKEN.findall(html)
    assert len(tokens) == 2 and navbar._MARK not in html  # the log-out and the language forms
    assert set(tokens).isdisjoint(earlier)  # masked anew for each page, as Django does
    # The token the page carries is accepted by the form it sits in.
    value = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    guarded = type(client)(enforce_csrf_checks=True)
    guarded.cookies = client.cookies
    response = guarded.post(reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": value})
    assert response.status_code == 302


# Django's own {% csrf_token %} warns about its format_html("") for NOTPROVIDED (Django 5.2).
@pytest.mark.filterwarnings("ignore:Calling format_html:django.utils.deprecation.RemovedInDjango60Warning")
@pytest.mark.parametrize("token", [None, "NOTPROVIDED"])
def test_a_page_without_a_token_has_no_token_field(token):
    request = RequestFactory().get("/")
    request.resolver_match = resolve("/")
    request.user = AnonymousUser()
    context = {"request": request, "user": request.user, "csrf_token": token}
    html = navbar.navbar(context)
    assert "csrfmiddlewaretoken" not in html and navbar._MARK not in html
    assert 'id="language-switcher"' in html


def test_settings_changes_start_afresh(client, staff):
    client.force_login(staff(Role.COMPLAINT_OFFICER))
    client.get("/")
    with override_settings(LANGUAGES=[("zh-hans", "简体中文"), ("en", "English"), ("ja", "日本語")]):
        assert navbar._rendered.cache_info().currsize == 0
        html = client.get("/").content.decode()
        assert 'lang="ja"' in html
    assert 'lang="ja"' not in client.get("/").content.decode()
