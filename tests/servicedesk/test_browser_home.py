"""A front-desk clerk opens the desk in a real browser, logs in and sees the Chinese home page."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_frontdesk_logs_in_and_sees_the_chinese_home_page(demo, page, screenshot):
    page.goto("/")
    assert "/accounts/login/" in page.url
    screenshot("login")
    page.get_by_label("用户名").fill("frontdesk")
    page.get_by_label("密码").fill("demo-pass-2026")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/")
    assert page.locator("h1").inner_text() == "欢迎，王前台"
    assert "SH01 上海真北商场" in page.locator("#home-mall").inner_text()
    assert "前台接待专员" in page.locator("#home-roles").inner_text()
    nav = page.locator("#desk-nav").inner_text()
    assert "投诉" in nav and "无理由退货" in nav
    assert "先行赔偿" not in nav, "front desk does not work compensations"
    screenshot("home-frontdesk")


def test_language_switcher_turns_the_page_english_and_back(demo, page):
    page.goto("/accounts/login/")
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert page.locator("h1").inner_text() == "Staff login"
    with page.expect_navigation():
        page.get_by_role("button", name="简体中文").click()
    assert page.locator("h1").inner_text() == "员工登录"


def test_head_office_switches_mall(demo, page, screenshot):
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("headoffice")
    page.get_by_label("密码").fill("demo-pass-2026")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/")
    assert "全部商场" in page.locator("#home-mall").inner_text()
    with page.expect_navigation():
        page.select_option("#mall-switcher select", label="WX01 无锡商场")
    assert "WX01 无锡商场" in page.locator("#home-mall").inner_text()
    page.goto("/merchants/")
    assert page.locator("#mall-switcher option[value=all]").count() == 1, "head office can go back to all malls"
    table = page.locator("#merchant-list").inner_text()
    assert "锦绣家纺" in table and "梵居沙发" not in table
    screenshot("merchants-headoffice-wx01")
