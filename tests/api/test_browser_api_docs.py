"""The API's docs page (Swagger UI from drf-spectacular-sidecar, no CDN) renders in Chromium
under the desk's strict Content-Security-Policy: the `page` fixture fails on any CSP refusal or
script error."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_docs_page_renders_every_endpoint_under_the_csp(page, live_server, screenshot):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    answer = page.goto("/api/v1/docs/")
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    page.locator(".swagger-ui .info .title").wait_for()
    assert "servicedesk API" in page.locator(".swagger-ui .info .title").inner_text()
    page.locator(".opblock").first.wait_for()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/sales/" in [p.replace("\u200b", "") for p in paths]
    assert len(paths) >= 17
    assert all(url.startswith(live_server.url) for url in requests), "everything from the desk, nothing from a CDN"
    screenshot("api-docs")
