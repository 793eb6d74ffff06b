"""Finding 3 of issue #14: behind nginx every login seemed to come from 127.0.0.1, so five wrong
passwords from anywhere locked the real user out everywhere, and the login records lost the
attacker's address. Finding 12: a username over 255 characters answered 500.

The test puts a real reverse proxy on 127.0.0.1 in front of the live server, doing what the
documented nginx does (`X-Forwarded-For: $proxy_add_x_forwarded_for`), and talks to it over
real HTTP from different loopback addresses (127.0.0.2 the attacker, 127.0.0.3 the user)."""

import http.client
import re
import threading
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode, urlsplit

import pytest
from axes.models import AccessAttempt, AccessLog
from django.test import override_settings

from servicedesk.roles import Role

PASSWORD = "correct-horse-2026"


class Proxy(BaseHTTPRequestHandler):
    """A reverse proxy as nginx is configured in docs/operations.md."""

    upstream = None  # (host, port)

    def _forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in {"connection", "x-forwarded-for"}}
        sent = self.headers.get("X-Forwarded-For")
        headers["X-Forwarded-For"] = f"{sent}, {self.client_address[0]}" if sent else self.client_address[0]
        upstream = http.client.HTTPConnection(*self.upstream, timeout=30)
        upstream.request(self.command, self.path, body=body, headers=headers)
        response = upstream.getresponse()
        payload = response.read()
        self.send_response(response.status)
        for key, value in response.getheaders():
            if key.lower() not in {"connection", "transfer-encoding", "content-length"}:
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        upstream.close()

    do_GET = do_POST = _forward

    def log_message(self, *args):
        pass


@pytest.fixture
def proxy(live_server):
    parts = urlsplit(live_server.url)
    handler = type("BoundProxy", (Proxy,), {"upstream": (parts.hostname, parts.port)})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address
    server.shutdown()
    server.server_close()


class Browser:
    """One client machine at `source` talking HTTP to the proxy, with its own cookies."""

    def __init__(self, proxy, source, forwarded_for=None):
        self.proxy, self.source, self.forwarded_for = proxy, source, forwarded_for
        self.cookies = {}

    def request(self, method, path, form=None):
        connection = http.client.HTTPConnection(*self.proxy, timeout=30, source_address=(self.source, 0))
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Host": "127.0.0.1"}
        if self.forwarded_for:
            headers["X-Forwarded-For"] = self.forwarded_for  # spoofed by the client itself
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = "http://127.0.0.1/accounts/login/"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(header).items():
                self.cookies[key] = morsel.value
        connection.close()
        return response.status, text

    def login(self, username, password):
        status, page = self.request("GET", "/accounts/login/")
        assert status == 200
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.request(
            "POST", "/accounts/login/", {"csrfmiddlewaretoken": token, "username": username, "password": password}
        )


@pytest.mark.django_db(transaction=True)
@override_settings(PROXY_COUNT=1, AXES_FAILURE_LIMIT=5, ALLOWED_HOSTS=["127.0.0.1", "localhost", "testserver"])
def test_wrong_passwords_from_one_address_lock_only_that_address(proxy, staff):
    staff(Role.MANAGER, username="manager")
    attacker = Browser(proxy, "127.0.0.2", forwarded_for="198.51.100.77")
    statuses = [attacker.login("manager", "guess-2026")[0] for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth wrong password locks
    status, page = attacker.login("manager", PASSWORD)
    assert status == 429 and "locked-out" in page  # the attacker's address is locked

    user = Browser(proxy, "127.0.0.3")
    status, _page = user.login("manager", PASSWORD)
    assert status == 302, "the real user, from another address, still logs in"

    attempt = AccessAttempt.objects.get(username="manager")
    assert attempt.ip_address == "127.0.0.2", "the address the proxy saw, not what the client wrote"
    assert AccessLog.objects.get(username="manager").ip_address == "127.0.0.3"


@pytest.mark.django_db(transaction=True)
@override_settings(PROXY_COUNT=0)
def test_without_a_proxy_a_forwarded_header_is_ignored(live_server, staff):
    from django.test import Client

    staff(Role.MANAGER, username="manager")
    client = Client(REMOTE_ADDR="192.0.2.10", HTTP_X_FORWARDED_FOR="203.0.113.1")
    client.post("/accounts/login/", {"username": "manager", "password": "wrong"})
    assert AccessAttempt.objects.get().ip_address == "192.0.2.10"


@pytest.mark.django_db
@pytest.mark.parametrize("length", [151, 256, 5000])
def test_a_very_long_username_is_an_ordinary_failed_login(client, length):
    response = client.post("/accounts/login/", {"username": "u" * length, "password": "x"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode() or "最多" in response.content.decode()
