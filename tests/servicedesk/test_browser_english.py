"""English mode in a real browser (issue 15 §2): the navbar stays on one line at 1366 px for every
role, and a long text gets a live counter instead of being cut (static JS under the strict CSP)."""

import pytest

from tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def english(page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])


@pytest.mark.parametrize("username", ["manager", "supervisor", "frontdesk", "headoffice", "clerk"])
def test_the_english_navbar_fits_one_line_at_1366(username, demo, page, live_server, screenshot):
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, username)
    english(page, live_server)
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(f"navbar-en-1366-{username}")
    navbar = page.locator("nav.navbar").bounding_box()
    items = page.locator("#desk-nav .nav-link, #desk-nav form, #desk-nav .desk-shortcut, #language-switcher")
    boxes = [items.nth(i).bounding_box() for i in range(items.count())]
    boxes = [box for box in boxes if box and box["width"] > 0]
    assert len(boxes) >= 4
    tops = {round(box["y"] + box["height"] / 2) for box in boxes}
    # Every item on one row (their middles within a few pixels), the bar one row high, nothing off-screen.
    assert max(tops) - min(tops) <= 6, f"the navbar wraps for {username}: rows at {sorted(tops)}"
    assert navbar["height"] <= 64, f"the navbar is {navbar['height']} px high for {username}"
    assert all(box["x"] + box["width"] <= 1366 for box in boxes)


def test_a_long_text_counts_up_and_is_refused_whole_not_cut(demo, page, live_server, screenshot):
    login(page, "frontdesk")
    english(page, live_server)
    page.goto("/complaints/new/")
    facts = page.locator("textarea[name=facts]")
    assert facts.get_attribute("maxlength") is None  # the browser would cut pasted text silently
    counter = page.locator("#id_facts-count")
    assert counter.inner_text() == "0 / 2000"
    facts.fill("x" * 2005)
    assert counter.inner_text() == "2005 / 2000"
    assert "text-danger" in counter.get_attribute("class")
    page.locator("input[name=customer_mobile]").fill("12345")
    page.locator("input[name=purchase_amount]").fill("0")
    with page.expect_navigation():
        page.locator("#register-button").click()  # the form is novalidate: the server judges
    text = page.locator("main").inner_text()
    assert "At most 2000 characters; this has 2005" in text
    assert "This must be more than 0." in text
    assert page.locator("textarea[name=facts]").input_value() == "x" * 2005  # nothing cut
    screenshot("intake-errors-at-once-en")
