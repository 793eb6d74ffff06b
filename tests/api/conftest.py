"""API fixtures: clients made through the administrator's service, with their one-time token."""

import pytest
from rest_framework.test import APIClient

from api.clients import api_client_create
from servicedesk.roles import Role
from tests.factories import make_staff

ALL_SCOPES = ("sales:write", "referrals:write", "cases:read", "pii:read", "webhooks")


@pytest.fixture
def admin_user(db):
    return make_staff(Role.ADMIN, None, username="api-admin")


@pytest.fixture
def make_client(db, admin_user, mall):
    """make_client(scopes=..., malls=[...]) -> (ApiClient, an APIClient sending its token)."""
    made = []

    def make(scopes=ALL_SCOPES, malls=None, name=None, rate_per_minute=10_000):
        client, token = api_client_create(
            name=name or f"client-{len(made) + 1}",
            malls=malls or [mall],
            scopes=scopes,
            actor=admin_user,
            rate_per_minute=rate_per_minute,
        )
        http = APIClient()
        http.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        http.token = token
        made.append(client)
        return client, http

    return make


@pytest.fixture
def api(make_client):
    """An HTTP client with every scope in SH01."""
    return make_client()[1]
