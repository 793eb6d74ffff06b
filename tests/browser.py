"""What every browser test does first: log in through the real login page."""

DEMO_PASSWORD = "demo-pass-2026"


def login(page, username, password=DEMO_PASSWORD):
    page.context.clear_cookies()  # a fresh session: the previous user is gone
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/")
