"""The Content-Security-Policy (issue #14, finding 1): one escaping mistake must not become
script execution. Every page carries a strict policy, and no template needs 'unsafe-inline'."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from servicedesk.roles import Role
from tests.browser import login

TEMPLATES = Path(settings.BASE_DIR) / "templates"
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> block"),
    (re.compile(r"\sstyle=", re.I), "style= attribute"),
    (re.compile(r"\son[a-z]+=", re.I), "inline event handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_template_has_inline_script_or_style():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text()
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(TEMPLATES)}:{line}: {what}")
    assert not found, "\n".join(found)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["login", "home", "complaints:index", "compensations:index", "followups:index", "reports:weekly"]
)
def test_every_page_carries_a_strict_policy(client, staff, url):
    if url != "login":
        client.force_login(staff(Role.MANAGER))
    response = client.get(reverse(url))
    assert response.status_code == 200
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip())
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]


@pytest.mark.browser
@pytest.mark.csp_violations_expected
@pytest.mark.django_db(transaction=True)
def test_a_script_that_slips_into_a_page_does_not_run(demo, page):
    """As if a template forgot to escape: the page's HTML gets a script and an inline style."""
    login(page, "manager")

    def inject(route):
        response = route.fetch()
        body = response.text().replace(
            "</main>",
            "<script>document.title = 'pwned';</script><p id='styled' style='color: rgb(255, 0, 0)'>x</p></main>",
        )
        route.fulfill(response=response, body=body)

    page.route("**/complaints/", inject)
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto("/complaints/")
    page.wait_for_load_state("networkidle")
    assert page.title() != "pwned"
    assert page.evaluate("getComputedStyle(document.getElementById('styled')).color") != "rgb(255, 0, 0)"
    assert any("Content Security Policy" in text for text in messages)
