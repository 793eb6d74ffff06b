"""Accounts (session expiry, password rules, CSRF on every POST, nothing sensitive in the logs)
and the access log of full mobile numbers. Lockout and the login pages are in
tests/servicedesk/test_accounts.py."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from servicedesk.models import PhoneViewLog
from servicedesk.roles import Role
from tests.complaints.factories import ComplaintFactory
from tests.factories import CustomerFactory
from tests.security.matrix import product_urls, url_for
from tests.security.world import build_world, notification_for

pytestmark = pytest.mark.django_db

MOBILE = "13987654321"


def test_an_expired_session_is_sent_to_the_login_page(client, staff):
    client.force_login(staff(Role.FRONT_DESK))
    assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)):
        response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_session_ends_with_the_shift_and_the_browser():
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and settings.SESSION_COOKIE_HTTPONLY


@pytest.mark.parametrize(
    ("password", "message"),
    [("password123", "太常见"), ("abc", "太短"), ("99887766554433", "只包含数字")],
)
def test_a_weak_password_is_refused_in_chinese(password, message, client, staff):
    client.force_login(staff(Role.CLERK))
    response = client.post(
        reverse("password_change"),
        {"old_password": "correct-horse-2026", "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()


def test_every_post_without_a_csrf_token_is_refused(mall, other_mall, staff):
    """Every URL of the product, posted by an administrator without the token: 403 every time."""
    world = build_world(mall, "1")
    user = staff(Role.MANAGER)
    world["notification"] = notification_for(user, mall)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    # The merchant portal is posted by the merchant's own user (staff get its 404 first).
    merchant_client = Client(enforce_csrf_checks=True)
    merchant_client.force_login(world["merchant_account"].user)
    accepted = []
    for name, keywords in product_urls():
        url = url_for(name, keywords, world)
        poster = merchant_client if name.startswith("merchantportal:") else client
        response = poster.post(url, {"name": "x"})
        # The CSRF refusal page, not a 403 for some other reason (a role without the page).
        if response.status_code != 403 or b'data-kind="csrf"' not in response.content:
            accepted.append(f"{url} -> {response.status_code}")
    assert not accepted


def test_no_password_or_full_mobile_in_the_logs(client, staff, mall, caplog):
    staff(Role.FRONT_DESK, username="desk")
    caplog.set_level(logging.DEBUG)
    client.post(reverse("login"), {"username": "desk", "password": "Secret-Pass-123"})
    client.post(reverse("login"), {"username": "desk", "password": "correct-horse-2026"})
    client.post(reverse("customers:create"), {"name": "张三", "mobile": MOBILE, "address": "", "notes": ""})
    client.get(reverse("customers:list"), {"q": MOBILE})
    logged = "\n".join(f"{record.getMessage()} {record.args!r}" for record in caplog.records)
    assert "Secret-Pass-123" not in logged and "correct-horse-2026" not in logged
    assert MOBILE not in logged


@pytest.fixture
def complaint(mall):
    return ComplaintFactory(mall=mall, customer=CustomerFactory(mall=mall, mobile=MOBILE))


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        (Role.COMPLAINT_OFFICER, True),
        (Role.FRONT_DESK, True),
        (Role.SUPERVISOR, True),
        (Role.MANAGER, True),
        (Role.HEAD_OFFICE, False),
    ],
)
def test_the_full_number_only_to_roles_that_call_and_every_showing_is_logged(role, shown, client, staff, complaint):
    user = staff(role)
    client.force_login(user)
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert (MOBILE in page) is shown
    assert "139****4321" in page or shown
    assert PhoneViewLog.objects.filter(viewer=user, customer=complaint.customer).count() == int(shown)


def test_lists_and_printouts_mask_and_log_nothing(client, staff, complaint):
    client.force_login(staff(Role.COMPLAINT_OFFICER))
    for url in (reverse("complaints:index"), reverse("customers:list"), reverse("complaints:register_print")):
        assert MOBILE not in client.get(url).content.decode()
    assert not PhoneViewLog.objects.exists()


def test_each_record_page_that_shows_the_number_logs_it(client, staff, mall):
    world = build_world(mall, "1")
    officer = staff(Role.COMPLAINT_OFFICER)
    client.force_login(officer)
    pages = [
        reverse("customers:detail", args=[world["customer"].pk]),
        reverse("complaints:detail", args=[world["complaint"].pk]),
        reverse("returns:detail", args=[world["return"].pk]),
        reverse("followups:callback", args=[world["callback"].pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == 200
    assert list(PhoneViewLog.objects.filter(viewer=officer).values_list("page", flat=True).order_by("pk")) == pages


def test_managers_see_who_saw_the_number_and_others_do_not(client, staff, complaint):
    officer = staff(Role.COMPLAINT_OFFICER, username="officer-zhang")
    client.force_login(officer)
    client.get(reverse("complaints:detail", args=[complaint.pk]))
    customer_page = reverse("customers:detail", args=[complaint.customer.pk])
    assert 'id="phone-views"' not in client.get(customer_page).content.decode()
    client.force_login(staff(Role.MANAGER))
    page = client.get(customer_page).content.decode()
    assert 'id="phone-views"' in page
    assert reverse("complaints:detail", args=[complaint.pk]) in page
