"""Schemathesis against the live schema: every endpoint of /api/v1/schema/, with valid
(positive) and invalid (negative) data generated from the schema, through the live server.
No 500, every answer's status, content type and body as the schema says, invalid data refused.

Left out on purpose: schemathesis's positive_data_acceptance (a schema-valid body naming a mall
the client does not have, or a record that does not exist, is rightly refused with 400/404; the
schema cannot say which mall codes a client holds).
"""

import pytest
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.openapi import from_url

from api.clients import api_client_create
from tests.merchants.factories import BoothFactory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = 12  # per endpoint and mode: about 400 requests in all


@pytest.fixture
def live_api(live_server, admin_user, mall):
    BoothFactory(merchant__mall=mall, number="2F-A-001")
    _client, token = api_client_create(
        name="schemathesis",
        malls=[mall],
        scopes=["sales:write", "referrals:write", "cases:read", "pii:read", "webhooks"],
        actor=admin_user,
        rate_per_minute=1_000_000,
    )
    schema = from_url(f"{live_server.url}/api/v1/schema/")
    return schema, live_server.url, {"Authorization": f"Bearer {token}"}


def operations(schema):
    found = [result.ok() for result in schema.get_all_operations()]
    assert len(found) >= 17, [op.label for op in found]
    return found


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_endpoint_answers_as_its_schema_says(live_api, mode):
    schema, base_url, headers = live_api
    checks = [*CHECKS, negative_data_rejection] if mode == GenerationMode.NEGATIVE else CHECKS
    failures = []
    for operation in operations(schema):

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def run(case):
            case.call_and_validate(base_url=base_url, headers=headers, checks=checks)

        try:
            run()
        except Exception as error:  # collect every endpoint's failure, not only the first
            failures.append(f"{operation.label} ({mode.value}): {error}")
    assert not failures, "\n\n".join(failures)
