"""Merchant users and forwarded complaints for the merchant portal's tests."""

from complaints import services as complaint_services
from merchants.models import MerchantUser
from tests.complaints.factories import register
from tests.factories import UserFactory

PASSWORD = "Shop-pass-2026!"


def merchant_user(merchant, username=None, name="王店长", mobile="13900000001"):
    """An active merchant user made directly (the invitation itself is tested through its service)."""
    user = UserFactory(username=username or f"m-{merchant.pk}-{mobile}", first_name=name)
    user.set_password(PASSWORD)
    user.save()
    return MerchantUser.objects.create(user=user, merchant=merchant, name=name, mobile=mobile)


def forwarded(mall, officer, booth, **overrides):
    """A complaint registered, taken by `officer` and forwarded to the booth's merchant."""
    complaint = register(mall, officer, booth=booth, **overrides)
    complaint_services.complaint_take(complaint=complaint, actor=officer)
    return complaint_services.complaint_forward_to_merchant(complaint=complaint, actor=officer)
