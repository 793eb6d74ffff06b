"""403, 404 and 500 pages in the site's layout and the reader's language (Chinese first, English
when chosen), saying nothing internal."""

import pytest
from django.conf import settings
from django.urls import reverse

from servicedesk.roles import Role
from tests.complaints.factories import ComplaintFactory

pytestmark = pytest.mark.django_db

LAYOUT = 'class="navbar'


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_404_in_the_layout_in_chinese_and_reveals_nothing(client, mall, other_mall, staff):
    client.force_login(staff(Role.COMPLAINT_OFFICER))
    other = ComplaintFactory(mall=other_mall)
    for url in ("/no-such-page/", reverse("complaints:detail", args=[other.pk])):
        response = client.get(url)
        page = response.text
        assert response.status_code == 404
        assert LAYOUT in page and 'id="error-page"' in page and '<html lang="zh-hans">' in page
        assert "此页面不存在" in page and "Not Found" not in page
        assert "matches the given query" not in page and "Complaint" not in page
    _english(client)
    page = client.get("/no-such-page/").text
    assert "This page does not exist" in page and "此页面不存在" not in page


def test_403_in_the_layout_with_the_services_reason(client, mall, staff):
    client.force_login(staff(Role.PRICE_TAG_OFFICER))
    response = client.get(reverse("compensations:register"))
    page = response.text
    assert response.status_code == 403
    assert LAYOUT in page and "您无权打开此页面" in page and "403 Forbidden" not in page
    assert "您的角色不使用此栏目" in page  # the reason, in the reader's language
    _english(client)
    page = client.get(reverse("compensations:register")).text
    assert "You may not open this page" in page and "您无权" not in page


def test_a_signed_out_visitor_gets_the_layout_too(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and 'id="error-page"' in response.text
    assert "此页面不存在" in response.text


def test_500_in_the_layout_and_language(client, mall, staff, settings):
    settings.ROOT_URLCONF = "tests.servicedesk.error_urls"
    client.raise_request_exception = False
    client.force_login(staff(Role.FRONT_DESK))
    response = client.get("/broken/")
    assert response.status_code == 500
    page = response.text
    assert LAYOUT in page and 'data-status="500"' in page and "我们这边出了问题" in page
    assert "RuntimeError" not in page and "a bug in a view" not in page
    _english(client)
    assert "Something went wrong on our side" in client.get("/broken/").text


def test_500_without_the_layout_still_speaks_the_readers_language(client, monkeypatch, settings):
    """When the layout itself fails (its menu reads the database), a plain page in the same words."""
    from servicedesk import errors

    settings.ROOT_URLCONF = "tests.servicedesk.error_urls"
    client.raise_request_exception = False

    def no_layout(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(errors, "render", no_layout)
    response = client.get("/broken/")
    assert response.status_code == 500 and "我们这边出了问题" in response.text


def test_a_refused_form_token_is_explained(client, mall, staff):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(staff(Role.FRONT_DESK))
    response = strict.post(reverse("switch_mall"), {"mall": mall.pk})
    assert response.status_code == 403
    assert "表单已过期" in response.text and 'id="error-page"' in response.text
