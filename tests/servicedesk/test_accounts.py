import pytest
from django.test import override_settings
from django.urls import reverse

from servicedesk.roles import Role

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese(client):
    page = client.get(reverse("login")).content.decode()
    assert "员工登录" in page
    assert 'lang="zh-hans"' in page


def test_english_only_when_chosen(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("login")).content.decode()
    assert "Staff login" in page


def test_a_browser_asking_for_english_still_gets_chinese(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "员工登录" in page


def test_login_and_logout(client, staff):
    staff(Role.FRONT_DESK, username="desk")
    response = client.post(reverse("login"), {"username": "desk", "password": "correct-horse-2026"})
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_message_in_chinese(client, staff):
    staff(Role.FRONT_DESK, username="desk")
    page = client.post(reverse("login"), {"username": "desk", "password": "wrong"}).content.decode()
    assert "请输入一个正确的" in page


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_after_repeated_failures_even_with_the_right_password(client, staff):
    staff(Role.FRONT_DESK, username="desk")
    for _ in range(3):
        client.post(reverse("login"), {"username": "desk", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "desk", "password": "correct-horse-2026"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录失败次数过多" in page and "15" in page
    assert client.get(reverse("home")).status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_is_per_user_so_colleagues_can_still_log_in(client, staff):
    staff(Role.FRONT_DESK, username="desk")
    staff(Role.COMPLAINT_OFFICER, username="officer")
    for _ in range(3):
        client.post(reverse("login"), {"username": "desk", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "officer", "password": "correct-horse-2026"})
    assert response.status_code == 302


def test_password_change_page_in_chinese(client, staff):
    client.force_login(staff(Role.CLERK))
    page = client.get(reverse("password_change")).content.decode()
    assert "修改密码" in page and "旧密码" in page


def test_forms_require_csrf(staff):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(staff(Role.FRONT_DESK))
    response = client.post(reverse("customers:create"), {"name": "张三", "mobile": "13812345678"})
    assert response.status_code == 403
