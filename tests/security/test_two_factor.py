"""Two-factor sign-in (issue #14): TOTP with django-otp and one-time recovery codes for the roles
that approve money or read every mall (manager, head office, administrator), required when
TWO_FACTOR_REQUIRED is on (production); a reset by an administrator, audited."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from servicedesk.models import TwoFactorEvent
from servicedesk.roles import Role
from servicedesk.two_factor import two_factor_reset

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("two_factor_on")]
PASSWORD = "correct-horse-2026"


@pytest.fixture
def two_factor_on(settings):
    settings.TWO_FACTOR_REQUIRED = True


def code_for(device, offset=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset * device.step
    return f"{totp.token():06d}"


def password_login(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def enrol(client, user):
    """Through the pages: the setup page, then a code from the 'app'. Returns the recovery codes."""
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post(reverse("two_factor_setup"), {"token": code_for(device), "next": "/"})
    assert done.status_code == 200
    return re.findall(r'<li class="col-6">([a-z0-9]+)</li>', done.content.decode())


@pytest.mark.parametrize("role", [Role.MANAGER, Role.HEAD_OFFICE, Role.ADMIN])
def test_the_roles_that_approve_money_or_read_every_mall_must_set_it_up(client, staff, role):
    user = staff(role)
    password_login(client, user)
    response = client.get(reverse("complaints:index"))
    assert response.status_code == 302 and response.url.startswith(reverse("two_factor_setup"))
    page = client.get(response.url).content.decode()
    assert 'src="data:image/svg+xml' in page and "two-factor-secret" in page
    codes = enrol(client, user)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get(reverse("complaints:index")).status_code in (200, 403)  # in: the app's own rules now
    assert TwoFactorEvent.objects.filter(user=user, action="enrolled").count() == 1


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.COMPLAINT_OFFICER, Role.CLERK, Role.SUPERVISOR])
def test_other_roles_are_not_asked(client, staff, role):
    password_login(client, staff(role))
    assert client.get(reverse("home")).status_code == 200


def test_a_superuser_is_asked_before_the_admin(client):
    root = get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)
    password_login(client, root)
    response = client.get("/admin/")
    assert response.status_code == 302 and reverse("two_factor_setup") in response.url


def test_a_wrong_code_is_refused_next_to_the_field(client, staff):
    user = staff(Role.MANAGER)
    password_login(client, user)
    client.get(reverse("two_factor_setup"))
    page = client.post(reverse("two_factor_setup"), {"token": "000000"}).content.decode()
    assert "验证码错误或已过期" in page
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_every_later_login_asks_for_the_code_and_a_recovery_code_works_once(client, staff):
    user = staff(Role.MANAGER)
    password_login(client, user)
    codes = enrol(client, user)
    client.post(reverse("logout"))

    password_login(client, user)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("two_factor_verify"))
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    # (A wrong code first would throttle the device for a second: django-otp's brute-force guard.)
    ok = client.post(reverse("two_factor_verify"), {"token": code_for(device, offset=1), "next": "/complaints/"})
    assert ok.status_code == 302 and ok.url == "/complaints/"
    assert client.get(reverse("home")).status_code == 200

    for attempt in (1, 2):
        client.post(reverse("logout"))
        password_login(client, user)
        response = client.post(reverse("two_factor_verify"), {"token": codes[0]})
        assert response.status_code == (302 if attempt == 1 else 200), "a recovery code works once"
    assert TwoFactorEvent.objects.filter(user=user, action="recovery_used").count() == 1


def test_the_administrator_resets_a_lost_phone_audited(client, staff):
    user, admin_user, supervisor = staff(Role.MANAGER), staff(Role.ADMIN), staff(Role.SUPERVISOR)
    password_login(client, user)
    enrol(client, user)
    client.post(reverse("logout"))

    with pytest.raises(PermissionDenied):
        two_factor_reset(user=user, actor=supervisor, reason="丢了")
    with pytest.raises(ValidationError):
        two_factor_reset(user=user, actor=admin_user, reason=" ")
    with pytest.raises(CommandError):
        call_command("two_factor_reset", user.username, "--by", admin_user.username, "--reason", "")
    call_command("two_factor_reset", user.username, "--by", admin_user.username, "--reason", "手机丢失，本人到场核实")
    event = TwoFactorEvent.objects.get(action="reset")
    assert (event.user, event.actor, event.reason) == (user, admin_user, "手机丢失，本人到场核实")
    assert TOTPDevice.objects.filter(user=user).exists(), "kept, not deleted"
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()

    password_login(client, user)
    response = client.get(reverse("home"))
    assert response.url.startswith(reverse("two_factor_setup")), "sets up a new app"


def test_the_admin_action_resets_too(client, staff):
    user = staff(Role.HEAD_OFFICE)
    TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    root = get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)
    client.force_login(root)
    # The superuser passes its own second factor first.
    enrol(client, root)
    response = client.post(
        reverse("admin:auth_user_changelist"), {"action": "reset_two_factor", "_selected_action": [user.pk]}
    )
    assert response.status_code == 302
    assert TwoFactorEvent.objects.get(action="reset").actor == root
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_off_by_default_in_development_so_the_demo_logins_work(client, staff):
    password_login(client, staff(Role.MANAGER))
    assert client.get(reverse("home")).status_code == 200


def test_on_in_production_settings():
    import subprocess
    import sys

    code = "from servicedesk.settings import production as p; print(p.TWO_FACTOR_REQUIRED)"
    env = {"SECRET_KEY": "x" * 60, "PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "servicedesk.settings.production"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert result.stdout.strip() == "True"
