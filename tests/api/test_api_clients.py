"""API clients: token shown once and stored hashed, rotation, revocation, last use, scopes,
per-client throttling on the shared cache, JSON errors in the caller's language, oversized bodies."""

import json

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from api.clients import api_client_revoke, api_client_rotate
from api.models import ApiClient, hash_token

pytestmark = pytest.mark.django_db
ME = "/api/v1/me/"


def test_the_token_is_stored_only_as_its_digest(make_client):
    client, http = make_client(name="收银系统")
    stored = ApiClient.objects.filter(pk=client.pk).values().get()
    assert http.token not in json.dumps(stored, default=str)
    assert stored["token_hash"] == hash_token(http.token)
    assert http.token.startswith(stored["token_hint"])


def test_me_names_the_client_its_malls_and_scopes(make_client, mall):
    _client, http = make_client(scopes=["cases:read"], name="BI")
    answer = http.get(ME)
    assert answer.status_code == 200
    assert answer.json() == {"name": "BI", "malls": ["SH01"], "scopes": ["cases:read"], "rate_per_minute": 10000}


def test_last_use_is_recorded(make_client):
    client, http = make_client()
    assert client.last_used_at is None
    http.get(ME)
    client.refresh_from_db()
    assert client.last_used_at is not None


def test_rotation_stops_the_old_token_at_once(make_client, admin_user):
    client, http = make_client()
    old = http.token
    _client, new = api_client_rotate(client=client, actor=admin_user)
    assert http.get(ME).status_code == 401
    fresh = APIClient()
    fresh.credentials(HTTP_AUTHORIZATION=f"Bearer {new}")
    assert fresh.get(ME).status_code == 200
    assert new != old


def test_a_revoked_token_is_401_with_its_code(make_client, admin_user):
    client, http = make_client()
    api_client_revoke(client=client, actor=admin_user)
    answer = http.get(ME)
    assert answer.status_code == 401
    assert answer.json()["code"] == "token_revoked"
    assert answer["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", [None, "Bearer nope", "Token abc", "Bearer", "Bearer a b"])
def test_no_or_a_wrong_token_is_401(db, header):
    http = APIClient()
    if header:
        http.credentials(HTTP_AUTHORIZATION=header)
    answer = http.get(ME)
    assert answer.status_code == 401
    assert answer.json()["code"] in {"not_authenticated", "token_invalid"}


def test_only_an_administrator_manages_clients(staff, mall):
    from django.core.exceptions import PermissionDenied

    from api.clients import api_client_create

    with pytest.raises(PermissionDenied):
        api_client_create(name="x", malls=[mall], scopes=[], actor=staff("manager"))


def test_a_missing_scope_is_403(make_client):
    _client, http = make_client(scopes=["sales:write"])
    answer = http.get("/api/v1/complaints/")
    assert answer.status_code == 403
    assert answer.json()["code"] == "scope_missing"


def test_errors_speak_the_callers_language(make_client):
    _client, http = make_client(scopes=["sales:write"])
    chinese = http.get("/api/v1/complaints/").json()["message"]
    english = http.get("/api/v1/complaints/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").json()["message"]
    assert english == "This client does not have the scope this needs."
    assert chinese != english and any("\u4e00" <= ch <= "\u9fff" for ch in chinese)


def test_an_unknown_api_path_is_a_json_404(api):
    answer = api.get("/api/v1/nothing-here/")
    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found"


def test_the_rate_limit_is_per_client_and_shared_in_the_cache(make_client, redis_url, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}}
    cache.clear()
    _slow, limited = make_client(rate_per_minute=3, name="limited")
    _other, other = make_client(name="other")
    codes = [limited.get(ME).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    answer = limited.get(ME)
    assert answer.json()["code"] == "throttled" and int(answer["Retry-After"]) > 0
    assert other.get(ME).status_code == 200  # another client has its own count


def test_an_oversized_body_is_refused_before_it_is_read(api, settings, monkeypatch):
    from rest_framework.parsers import JSONParser

    settings.API_MAX_BODY_BYTES = 1000

    def never(*args, **kwargs):
        raise AssertionError("the body was parsed")

    monkeypatch.setattr(JSONParser, "parse", never)
    answer = api.post("/api/v1/sales/", data="x" * 1001, content_type="application/json")
    assert answer.status_code == 413
    assert answer.json()["code"] == "body_too_large"


def test_a_chunked_body_is_refused(api):
    answer = api.post("/api/v1/sales/", data="{}", content_type="application/json", HTTP_TRANSFER_ENCODING="chunked")
    assert answer.status_code == 411


def test_malformed_json_is_a_json_400(api):
    answer = api.post("/api/v1/sales/", data="{not json", content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["code"] == "parse_error"


def test_the_admin_shows_a_new_token_once(client, admin_user, mall):
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(pk=admin_user.pk).update(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    answer = client.post(
        reverse("admin:api_apiclient_add"),
        {"name": "统一收银", "malls": [mall.pk], "scopes": ["sales:write"], "rate_per_minute": 600},
    )
    assert answer.status_code == 200
    token = answer.context["token"]
    made = ApiClient.objects.get(name="统一收银")
    assert made.token_hash == hash_token(token) and made.scopes == ["sales:write"]
    assert token.encode() in answer.content and "no-store" in answer["Cache-Control"]
    page = client.get(reverse("admin:api_apiclient_change", args=[made.pk]))
    assert token.encode() not in page.content
    rotated = client.post(
        reverse("admin:api_apiclient_changelist"), {"action": "rotate_token", "_selected_action": [made.pk]}
    )
    made.refresh_from_db()
    assert made.token_hash == hash_token(rotated.context["token"]) != hash_token(token)
    client.post(reverse("admin:api_apiclient_changelist"), {"action": "revoke", "_selected_action": [made.pk]})
    made.refresh_from_db()
    assert made.revoked_at is not None
