import pytest

from servicedesk.roles import Role
from tests.merchants.factories import BoothFactory, MerchantFactory

from .factories import forwarded, merchant_user


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """Rate limits count per address across the suite (the invitation page is public)."""
    settings.RATELIMIT_ENABLE = False


@pytest.fixture
def shop(mall, staff):
    """A merchant with a booth in SH01, its user, an officer and a complaint forwarded to it."""
    merchant = MerchantFactory(mall=mall, mobile="13900000001", contact_name="王店长")
    booth = BoothFactory(merchant=merchant)
    officer = staff(Role.COMPLAINT_OFFICER)
    account = merchant_user(merchant)
    complaint = forwarded(mall, officer, booth)
    return {"merchant": merchant, "booth": booth, "officer": officer, "account": account, "complaint": complaint}
