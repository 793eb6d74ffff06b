"""Every API endpoint x every kind of caller: no token, a revoked token, a client without the
scope, a client with it, and (for a record) a client of another mall. The endpoints come from
the URL conf, so a new one fails here until it has its rows. Staff sessions get nothing from the
API, and an API client's user gets nothing from the desk's pages (the API-client role)."""

import pytest
from django.urls import URLPattern, get_resolver
from rest_framework.test import APIClient

from api.clients import api_client_revoke
from api.models import Referral
from servicedesk.roles import Role
from tests.complaints.factories import ComplaintFactory
from tests.factories import CustomerFactory, make_staff
from tests.merchants.factories import MerchantFactory
from tests.returns.factories import ReturnFactory

pytestmark = pytest.mark.django_db
COLUMNS = ("anon", "revoked", "no_scope", "scoped", "other_mall")

# fmt: off
TABLE = """
# url name               verb     anon revoked no_scope scoped other_mall
me                       GET      401  401     200      200    200
complaint-list           GET      401  401     403      200    200
complaint-detail         GET      401  401     403      200    404
return-list              GET      401  401     403      200    200
return-detail            GET      401  401     403      200    404
compensation-list        GET      401  401     403      200    200
compensation-detail      GET      401  401     403      404    404
merchant-list            GET      401  401     403      200    200
merchant-detail          GET      401  401     403      200    404
sales                    POST     401  401     403      400    400
referral-list            GET      401  401     403      200    200
referral-list            POST     401  401     403      400    400
referral-detail          GET      401  401     403      200    404
webhook-list             GET      401  401     403      200    200
webhook-list             POST     401  401     403      400    400
webhook-detail           GET      401  401     403      200    404
webhook-detail           DELETE   401  401     403      200    404
"""
# fmt: on
EXPECTED = {}
for line in TABLE.strip().splitlines():
    if not line.startswith("#"):
        name, verb, *cells = line.split()
        EXPECTED[(name, verb)] = dict(zip(COLUMNS, cells, strict=True))
# Scopes each endpoint needs (the scoped column has exactly these; no_scope has the others).
SCOPES = {
    "me": [],
    "sales": ["sales:write"],
    "referral-list": ["referrals:write"],
    "referral-detail": ["referrals:write"],
    "webhook-list": ["webhooks"],
    "webhook-detail": ["webhooks"],
}
NOT_ENDPOINTS = {"schema", "docs"}


def api_endpoints():
    resolver = get_resolver()
    api = next(p for p in resolver.url_patterns if str(p.pattern) == "api/v1/")
    return {
        entry.name: entry.callback
        for entry in api.url_patterns
        if isinstance(entry, URLPattern) and entry.name and entry.name not in NOT_ENDPOINTS
    }


def test_every_endpoint_and_method_is_in_the_table():
    found = set()
    for name, callback in api_endpoints().items():
        view = callback.cls
        found |= {
            (name, verb.upper())
            for verb in view.http_method_names
            if hasattr(view, verb) and verb not in ("options", "head")
        }
    assert found == set(EXPECTED), f"missing: {sorted(found - set(EXPECTED))}, stale: {sorted(set(EXPECTED) - found)}"


@pytest.fixture
def world(mall, make_client, other_mall):
    merchant = MerchantFactory(mall=mall)
    complaint = ComplaintFactory(mall=mall, customer=CustomerFactory(mall=mall), booth__merchant=merchant)
    return_request = ReturnFactory(merchant=merchant, customer=CustomerFactory(mall=mall))
    owner, owner_http = make_client(name="owner")
    Referral.objects.create(complaint=complaint, client=owner, mall=mall, platform="12315", external_reference="REF-1")
    subscription = owner_http.post(
        "/api/v1/webhooks/", {"url": "http://127.0.0.1:9/x", "events": ["complaint.closed"]}, format="json"
    ).json()
    return {
        "complaint-detail": complaint.number,
        "return-detail": return_request.number,
        "compensation-detail": "PC-SH01-20260101-0001",
        "merchant-detail": str(merchant.pk),
        "referral-detail": "REF-1",
        "webhook-detail": str(subscription["id"]),
        "owner": owner_http,
    }


def url_of(name, world):
    if name.endswith("-detail"):
        prefix = {"webhook-detail": "webhooks"}.get(name, name.removesuffix("-detail") + "s")
        return f"/api/v1/{prefix}/{world[name]}/"
    return {"me": "/api/v1/me/", "sales": "/api/v1/sales/"}.get(name, f"/api/v1/{name.removesuffix('-list')}s/")


def caller(column, make_client, admin_user, other_mall, name):
    needed = SCOPES.get(name, ["cases:read"])
    if column == "anon":
        return APIClient()
    if column == "revoked":
        client, http = make_client(scopes=needed)
        api_client_revoke(client=client, actor=admin_user)
        return http
    if column == "no_scope":
        everything = ["sales:write", "referrals:write", "cases:read", "webhooks"]
        return make_client(scopes=[s for s in everything if s not in needed])[1]
    if column == "other_mall":
        return make_client(scopes=needed, malls=[other_mall])[1]
    return make_client(scopes=needed)[1]


@pytest.mark.parametrize("column", COLUMNS)
def test_api_matrix(column, world, make_client, admin_user, other_mall):
    wrong = []
    for (name, verb), expected in EXPECTED.items():
        http = world["owner"] if column == "scoped" and name.startswith("webhook-detail") else None
        http = http or caller(column, make_client, admin_user, other_mall, name)
        url = url_of(name, world)
        answer = (
            getattr(http, verb.lower())(url, {}, format="json") if verb == "POST" else getattr(http, verb.lower())(url)
        )
        if str(answer.status_code) != expected[column]:
            wrong.append(f"{verb} {url} ({name}): expected {expected[column]}, got {answer.status_code}")
        if verb == "DELETE" and answer.status_code == 200:
            from api.models import WebhookSubscription

            WebhookSubscription.objects.update(is_active=True)
        assert answer["Content-Type"].startswith("application/json"), url
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.FRONT_DESK])
def test_a_staff_session_gets_nothing_from_the_api(client, mall, role):
    client.force_login(make_staff(role, None if role == Role.ADMIN else mall, username=f"s-{role}"))
    assert client.get("/api/v1/complaints/").status_code == 401
    assert client.post("/api/v1/sales/", {}, content_type="application/json").status_code == 401


def test_an_api_clients_user_gets_nothing_from_the_desk(client, make_client, mall):
    api_client, _http = make_client()
    assert not api_client.user.has_usable_password()
    client.force_login(api_client.user)  # even if it somehow had a session
    for url in ("/complaints/", "/complaints/new/", "/followups/imports/", "/reports/"):
        answer = client.get(url)
        assert answer.status_code in (403, 404), (url, answer.status_code)
