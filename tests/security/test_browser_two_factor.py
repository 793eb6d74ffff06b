"""In a real browser: a manager signs in with the password, sets up the authenticator app from
the QR page (the code computed from the key shown, as the app would), keeps the recovery codes,
and on the next login types the app's code."""

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code(device, offset=0):
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset * device.step
    return f"{totp.token():06d}"


def password(page, username):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_manager_sets_up_the_app_then_signs_in_with_its_code(demo, page, settings, screenshot):
    settings.TWO_FACTOR_REQUIRED = True
    password(page, "manager")
    page.wait_for_url("**/accounts/two-factor/setup/**")
    assert page.locator("#two-factor-qr").evaluate("img => img.naturalWidth > 0")  # the QR code drew
    screenshot("two-factor-setup")
    manager = get_user_model().objects.get(username="manager")
    device = TOTPDevice.objects.get(user=manager, confirmed=False)
    page.get_by_label("验证码").fill(code(device))
    page.get_by_role("button", name="确认").click()
    page.wait_for_selector("#recovery-codes")
    assert page.locator("#recovery-codes li").count() == 10
    screenshot("two-factor-recovery-codes")
    page.get_by_role("link", name="继续").click()
    page.wait_for_url("**/")
    assert page.locator("nav").inner_text()

    password(page, "manager")
    page.wait_for_url("**/accounts/two-factor/**")
    page.get_by_label("验证码").fill(code(device, offset=1))
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url("**/")
    assert "/accounts/" not in page.url
