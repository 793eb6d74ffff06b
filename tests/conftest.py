"""Shared fixtures. Services the suite needs (PostgreSQL, Redis, Chromium) are skipped with a
visible reason on a developer's machine when missing, and fail the run in CI (CI=true)."""

import os
import shutil
from pathlib import Path

import pytest
from django.db import connection

# pytest-django's live_server runs in a thread; Playwright's sync API runs an event loop in
# the test thread, which Django would otherwise take for async code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.factories import MallFactory, make_staff

# PIN_CLOCK=2026-12-07T23:30:00Z runs the whole suite with the clock set there (and ticking):
# at 23:30 UTC it is already 07:30 the next day in Shanghai, so a test or a line of code that
# takes the UTC date of an aware datetime instead of timezone.localdate() fails (issue 15).
# .ci/run runs the suite a second time this way. Subprocesses (a real worker, Chromium) and
# PostgreSQL keep the real clock.
PIN_CLOCK = os.environ.get("PIN_CLOCK", "")
_pinned_clock = None


def pytest_configure(config):
    global _pinned_clock
    if PIN_CLOCK and _pinned_clock is None:
        from datetime import datetime

        import time_machine

        moment = datetime.fromisoformat(PIN_CLOCK.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            raise pytest.UsageError("PIN_CLOCK needs a time zone, e.g. 2026-12-07T23:30:00Z")
        _pinned_clock = time_machine.travel(moment, tick=True)
        _pinned_clock.start()


def pytest_unconfigure(config):
    global _pinned_clock
    if _pinned_clock is not None:
        _pinned_clock.stop()
        _pinned_clock = None


IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = next((p for p in ("/usr/lib/chromium/chromium", "/usr/bin/chromium") if Path(p).exists()), None)
SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"


def missing_service(reason):
    """Skip outside CI; in CI a missing service is a failure, never a silent skip."""
    if IN_CI:
        pytest.fail(f"CI needs this service: {reason}")
    pytest.skip(reason)


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        missing_service("needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/servicedesk")
    return connection


@pytest.fixture(scope="session")
def redis_url():
    url = os.environ.get("REDIS_URL", "")
    if not url:
        missing_service("needs Redis: set REDIS_URL=redis://127.0.0.1:6379/0")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        missing_service(f"Redis at {url} does not answer: {exc}")
    return url


@pytest.fixture
def mall(db):
    return MallFactory(code="SH01", name="上海真北商场")


@pytest.fixture
def other_mall(db):
    return MallFactory(code="WX01", name="无锡商场", city="无锡")


@pytest.fixture
def staff(db, mall):
    """staff("front_desk") -> a user holding that role in `mall` (chain roles get no mall)."""

    def make(role, in_mall=mall, **kwargs):
        return make_staff(role, in_mall, **kwargs)

    return make


# --- Browser ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _playwright():
    if CHROMIUM is None:
        missing_service("needs Debian's Chromium: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def chromium(_playwright):
    browser = _playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    )
    yield browser
    browser.close()


@pytest.fixture
def page(chromium, live_server, request):
    """A Chromium page on the live server. Any script error, and anything the page's
    Content-Security-Policy refused (an inline script or style left in a template), fails the
    test: a page that "works" with broken JS or a blocked style must not pass."""
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems = []
    page.on("pageerror", lambda error: problems.append(f"script error on {page.url}: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(f"{page.url}: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()
    if "csp_violations_expected" not in request.keywords:
        assert not problems, "\n".join(problems)


@pytest.fixture
def screenshot(page):
    """screenshot("home-frontdesk") saves var/screenshots/home-frontdesk.png for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name):
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


# The replica/PgBouncer tests run through the topology that `bench/topology.sh test` starts (it
# sets TOPOLOGY_SCRIPT). In CI's plain `make test` they are left out rather than skipped: .ci/run
# runs them in that second step, where a missing part fails them.
IN_TOPOLOGY = bool(os.environ.get("TOPOLOGY_SCRIPT"))


def pytest_collection_modifyitems(config, items):
    if IN_CI and not IN_TOPOLOGY:
        left_out = [item for item in items if item.get_closest_marker("topology")]
        if left_out:
            config.hook.pytest_deselected(items=left_out)
            items[:] = [item for item in items if not item.get_closest_marker("topology")]


def pytest_report_header(config):
    return [
        f"database: {os.environ.get('DATABASE_URL', 'SQLite (default)')}",
        f"redis: {os.environ.get('REDIS_URL', 'none')}",
        f"chromium: {CHROMIUM or 'not installed'}; CI={IN_CI}",
        f"clock: {'pinned at ' + PIN_CLOCK + ' (ticking)' if PIN_CLOCK else 'real'}",
        f"replica: {os.environ.get('DATABASE_REPLICA_URL', 'none')}; "
        + ("topology tests run here" if IN_TOPOLOGY else "topology tests: bench/topology.sh test"),
    ]


def pytest_sessionfinish(session, exitstatus):
    # Keep the browser's screenshots folder but nothing else the run made.
    shutil.rmtree(Path("var/celery-test"), ignore_errors=True)


@pytest.fixture(autouse=True)
def _language_back_to_chinese():
    """A request in English mode leaves English active in the thread (the locale middleware
    activates a language per request and does not undo it), so a later test on the same worker
    that calls a service directly would read English messages: every test starts in Chinese."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path_factory):
    """Uploaded files from tests never land in the project's var/media."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))


@pytest.fixture
def pdf_text(tmp_path):
    """pdf_text(bytes) -> the PDF's text (pdftotext -enc UTF-8); needs WeasyPrint's libraries."""
    import subprocess

    try:
        import weasyprint  # noqa: F401
    except OSError as exc:  # Pango/HarfBuzz missing
        missing_service(f"WeasyPrint's system libraries: {exc}")
    if shutil.which("pdftotext") is None:
        missing_service("pdftotext: apt-get install -y poppler-utils")

    def read(content):
        path = tmp_path / "document.pdf"
        path.write_bytes(content)
        result = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
        )
        return result.stdout

    return read


@pytest.fixture
def demo(settings):
    """The demo malls, merchants and users (no cases) for a browser test."""
    from django.core.management import call_command

    settings.DEBUG = True  # demo_data refuses otherwise
    call_command("demo_data", without_cases=True)
    settings.DEBUG = False
    _sms_at_any_hour()


def _sms_at_any_hour():
    """Browser tests run at any hour: without this, from 21:00 to 08:00 Shanghai a test that
    follows the customer's SMS finds it held for the morning. Quiet hours have their own tests
    (tests/sms), with the clock set."""
    from datetime import time

    from servicedesk.models import POLICY_EPOCH, Mall
    from sms.models import SmsPolicy

    SmsPolicy.objects.update(quiet_from=time(0), quiet_until=time(0))
    for mall in Mall.objects.exclude(sms_policies__isnull=False):
        SmsPolicy.objects.create(mall=mall, effective_from=POLICY_EPOCH, quiet_from=time(0), quiet_until=time(0))


def _save_paths():
    from django.conf import settings

    postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    return ["copy", "batched"] if postgres else ["batched"]


@pytest.fixture(params=_save_paths())
def save_path(request, settings):
    """Run the test on each way the sales import saves: "copy" (PostgreSQL's COPY and set-based
    statements) and "batched" (the INSERTs SQLite uses; SALES_IMPORT_COPY=false). On SQLite only
    "batched". A module uses it with `pytestmark = pytest.mark.usefixtures("save_path")`."""
    settings.SALES_IMPORT_COPY = request.param == "copy"
    return request.param
