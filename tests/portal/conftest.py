import pytest


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """Rate limits count per address across the suite; tests of them turn them back on with an
    address of their own (tests/portal/test_status_link.py::test_rate_limits)."""
    settings.RATELIMIT_ENABLE = False
