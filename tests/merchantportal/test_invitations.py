"""Merchant users: the clerk's one-time invitation, the password, deactivation (issue #19 §1)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from merchants import services
from merchants.models import MerchantInvitation, MerchantStatus, MerchantUser
from servicedesk.roles import Role
from sms.models import SmsMessage
from tests.merchants.factories import BoothFactory, MerchantFactory

pytestmark = pytest.mark.django_db
PASSWORD = "Shop-pass-2026!"


@pytest.fixture
def clerk(staff):
    return staff(Role.CLERK)


@pytest.fixture
def merchant(mall):
    merchant = MerchantFactory(mall=mall)
    BoothFactory(merchant=merchant)
    return merchant


def invite(merchant, clerk, **kwargs):
    data = {"name": "王店长", "mobile": "13900001234", "sent_by": "sms"} | kwargs
    return services.merchant_user_invite(merchant=merchant, actor=clerk, **data)


def test_an_sms_invitation_goes_through_the_outbox_and_keeps_only_the_tokens_hash(merchant, clerk):
    invitation, token = invite(merchant, clerk)
    message = SmsMessage.objects.get(key=f"merchant-invitation:{invitation.pk}")
    assert message.mobile == "13900001234"
    assert message.event == "merchant_invitation"
    assert token not in message.text  # the logged text is masked
    assert token not in invitation.token_hash
    assert not MerchantInvitation.objects.filter(token_hash=token).exists()


def test_a_printed_invitation_sends_no_sms(merchant, clerk):
    invitation, _token = invite(merchant, clerk, sent_by="print")
    assert not SmsMessage.objects.filter(key=f"merchant-invitation:{invitation.pk}").exists()


def test_accepting_makes_a_user_of_that_merchant_who_signs_in_with_the_mobile(merchant, clerk):
    _invitation, token = invite(merchant, clerk)
    account = services.merchant_invitation_accept(token=token, password=PASSWORD, password_again=PASSWORD)
    assert account.merchant == merchant
    assert account.user.username == "13900001234"
    assert account.user.check_password(PASSWORD)
    assert not account.user.memberships.exists(), "a merchant user holds no staff role"


def test_an_invitation_works_once(merchant, clerk):
    _invitation, token = invite(merchant, clerk)
    services.merchant_invitation_accept(token=token, password=PASSWORD, password_again=PASSWORD)
    with pytest.raises(ValidationError, match=r"already been used|已使用"):
        services.merchant_invitation_accept(token=token, password=PASSWORD, password_again=PASSWORD)
    assert MerchantUser.objects.count() == 1


def test_an_invitation_expires_after_the_malls_hours(merchant, clerk):
    from merchants.models import MerchantPolicy

    MerchantPolicy.objects.create(mall=merchant.mall, invitation_valid_hours=2, effective_from=timezone.localdate())
    invitation, token = invite(merchant, clerk)
    assert invitation.expires_at - invitation.created_at < timedelta(hours=2, seconds=5)
    later = timezone.now() + timedelta(hours=2, minutes=1)
    assert services.merchant_invitation_open(token, now=later)[1] == "expired"
    with pytest.raises(ValidationError):
        services.merchant_invitation_accept(token=token, password=PASSWORD, password_again=PASSWORD, now=later)
    assert not MerchantUser.objects.exists()


def test_a_weak_or_mismatched_password_is_refused_with_every_problem(merchant, clerk):
    _invitation, token = invite(merchant, clerk)
    with pytest.raises(ValidationError) as refused:
        services.merchant_invitation_accept(token=token, password="123", password_again="456")
    assert {"password", "password_again"} <= set(refused.value.message_dict)
    assert not MerchantUser.objects.exists()


def test_only_the_clerk_and_the_manager_invite(merchant, staff):
    for role in (Role.FRONT_DESK, Role.COMPLAINT_OFFICER, Role.SUPERVISOR, Role.PRICE_TAG_OFFICER):
        with pytest.raises(PermissionDenied):
            invite(merchant, staff(role))
    invite(merchant, staff(Role.MANAGER))


def test_bad_input_is_reported_per_field(merchant, clerk):
    with pytest.raises(ValidationError) as refused:
        invite(merchant, clerk, name=" ", mobile="12345", kind="boss", sent_by="fax")
    assert set(refused.value.message_dict) == {"name", "mobile", "kind", "sent_by"}


def test_a_merchant_that_has_left_gets_no_invitation(merchant, clerk):
    merchant.status = MerchantStatus.EXITED
    merchant.save()
    with pytest.raises(ValidationError):
        invite(merchant, clerk)


def test_a_deactivated_user_cannot_sign_in(client, merchant, clerk):
    _invitation, token = invite(merchant, clerk)
    account = services.merchant_invitation_accept(token=token, password=PASSWORD, password_again=PASSWORD)
    signed_in = client.post(reverse("login"), {"username": account.user.username, "password": PASSWORD})
    assert signed_in.status_code == 302 and "_auth_user_id" in client.session
    assert client.get(reverse("merchantportal:home")).status_code == 200
    services.merchant_user_deactivate(account=account, actor=clerk)
    # the open session is gone too
    assert client.get(reverse("merchantportal:home"))["Location"].startswith(reverse("login"))
    client.cookies.clear()
    response = client.post(reverse("login"), {"username": account.user.username, "password": PASSWORD})
    assert response.status_code == 200  # the login form again, with its error
    assert "_auth_user_id" not in client.session


def test_the_merchants_exit_deactivates_every_user_and_withdraws_open_invitations(merchant, clerk, staff):
    manager = staff(Role.MANAGER)
    _invitation, token = invite(merchant, clerk)
    account = services.merchant_invitation_accept(token=token, password=PASSWORD, password_again=PASSWORD)
    _open_invitation, open_token = invite(merchant, clerk, mobile="13900005678", name="导购小李", kind="guide")
    services.merchant_notice_exit(
        merchant=merchant,
        actor=clerk,
        notice_date=timezone.localdate(),
        planned_exit_date=timezone.localdate(),
        after_sales_agent="品牌工厂",
        after_sales_phone="400-123-4567",
    )
    services.merchant_confirm_exit(merchant=merchant, actor=manager, exited_on=timezone.localdate())
    account.refresh_from_db()
    account.user.refresh_from_db()
    assert not account.is_active and not account.user.is_active
    assert services.merchant_invitation_open(open_token)[1] == "used"


def test_the_invitation_page_sets_the_password(client, merchant, clerk):
    _invitation, token = invite(merchant, clerk)
    url = reverse("merchantportal:invitation", args=[token])
    page = client.get(url)
    assert page.status_code == 200 and merchant.brand in page.content.decode()
    refused = client.post(url, {"password": "1", "password_again": "2"})
    assert refused.status_code == 200 and not MerchantUser.objects.exists()
    done = client.post(url, {"password": PASSWORD, "password_again": PASSWORD})
    assert done.status_code == 200 and MerchantUser.objects.filter(merchant=merchant).exists()
    again = client.get(url)
    assert again.status_code == 410 and merchant.brand not in again.content.decode()
    assert client.get(reverse("merchantportal:invitation", args=["x" * 32])).status_code == 404


def test_the_clerk_invites_from_the_merchants_page_with_a_printed_qr_code(client, merchant, clerk):
    client.force_login(clerk)
    url = reverse("merchants:users", args=[merchant.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "王店长", "mobile": "139 0000 1234", "kind": "owner", "sent_by": "print"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="invitation-qr"' in body and "data:image/svg+xml" in body
    invitation = MerchantInvitation.objects.get(merchant=merchant)
    assert invitation.mobile == "13900001234"
