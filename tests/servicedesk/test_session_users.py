"""The signed-in user read by a fixed statement (servicedesk.session_users, issue #22): a password
sign-in hands its session to SessionUserBackend, which reads the same user ModelBackend would;
sessions made before stay signed in; nothing about passwords, lockouts or permissions changes."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, authenticate, get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from servicedesk.roles import Role
from servicedesk.session_users import MODEL_BACKEND, SESSION_USER_BACKEND, SessionUserBackend

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-2026"


def sign_in(client, username):
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    return client.session


def test_a_password_sign_in_is_read_by_the_fixed_statement(client, staff):
    user = staff(Role.COMPLAINT_OFFICER, username="officer")
    assert sign_in(client, "officer")[BACKEND_SESSION_KEY] == SESSION_USER_BACKEND
    page = client.get(reverse("home"))
    assert page.status_code == 200 and page.wsgi_request.user == user
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_a_session_made_before_stays_signed_in(client, staff):
    user = staff(Role.COMPLAINT_OFFICER, username="officer")
    client.force_login(user)
    session = client.session  # as every session signed in before SessionUserBackend existed
    session[BACKEND_SESSION_KEY] = MODEL_BACKEND
    session.save()
    assert client.session[BACKEND_SESSION_KEY] == MODEL_BACKEND
    page = client.get(reverse("home"))
    assert page.status_code == 200 and page.wsgi_request.user == user


def test_the_same_user_and_statement_as_model_backend(staff):
    user = staff(Role.COMPLAINT_OFFICER, username="officer", first_name="晓", last_name="王")
    with CaptureQueriesContext(connection) as stock:
        expected = ModelBackend().get_user(user.pk)
    with CaptureQueriesContext(connection) as fixed:
        read = SessionUserBackend().get_user(user.pk)
    assert [q["sql"] for q in fixed.captured_queries] == [q["sql"] for q in stock.captured_queries]
    assert type(read) is type(expected) and read.pk == expected.pk and not read._state.adding
    fields = [field.attname for field in get_user_model()._meta.concrete_fields]
    assert [getattr(read, name) for name in fields] == [getattr(expected, name) for name in fields]
    assert read._state.db == expected._state.db


def test_no_user_for_a_deleted_or_inactive_key(staff):
    user = staff(Role.FRONT_DESK, username="desk")
    backend = SessionUserBackend()
    assert backend.get_user(user.pk + 1000) is None
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)
    assert backend.get_user(user.pk) is None and ModelBackend().get_user(user.pk) is None


def test_signed_out_when_made_inactive_or_the_password_changes(client, staff):
    user = staff(Role.FRONT_DESK, username="desk")
    sign_in(client, "desk")
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)
    assert client.get(reverse("home")).status_code == 302
    get_user_model().objects.filter(pk=user.pk).update(is_active=True)
    sign_in(client, "desk")
    user.set_password("another-horse-2027")
    user.save()
    assert client.get(reverse("home")).status_code == 302


def test_it_authenticates_nobody_and_grants_nothing(staff, rf):
    user = staff(Role.MANAGER, username="manager")
    backend = SessionUserBackend()
    assert backend.authenticate(rf.get("/"), username="manager", password=PASSWORD) is None
    assert backend.get_all_permissions(user) == set() and not backend.has_perm(user, "complaints.view_complaint")
    # The password is still checked by ModelBackend, once.
    assert authenticate(rf.post("/"), username="manager", password=PASSWORD) == user
    assert authenticate(rf.post("/"), username="manager", password="wrong") is None


def test_a_wrong_password_still_fails_and_keeps_nobody_signed_in(client, staff):
    staff(Role.FRONT_DESK, username="desk")
    response = client.post(reverse("login"), {"username": "desk", "password": "wrong"})
    assert response.status_code == 200 and BACKEND_SESSION_KEY not in client.session


def test_the_desk_reads_the_signed_in_user_itself_not_through_its_lazy_wrappers(client, mall, staff):
    """CurrentMallMiddleware hands the views the user behind AuthenticationMiddleware's and
    django-otp's lazy objects (a few hundred reads a page), with django-otp's fields on it."""
    from django.utils.functional import LazyObject

    officer = staff(Role.COMPLAINT_OFFICER)
    client.force_login(officer)
    response = client.get(reverse("complaints:index"))
    user = response.wsgi_request.user
    assert response.status_code == 200
    assert not isinstance(user, LazyObject)
    assert type(user) is type(officer) and user.pk == officer.pk
    assert user.otp_device is None and user.is_verified() is False
    client.logout()
    response = client.get(reverse("login"))
    assert not response.wsgi_request.user.is_authenticated
