"""Merchant users: invite (SMS or printed QR code), accept (set a password), deactivate.

The invitation's token (192 random bits) is shown once and stored as its SHA-256; it expires
after the mall's `MerchantPolicy.invitation_valid_hours` and works once. A merchant may have
several users (owner, shop guides); all of them are deactivated when the merchant's exit is
confirmed, and a deactivated user cannot sign in (Django refuses inactive users).
"""

import hmac
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.access import require_role
from servicedesk.phones import normalise_mobile, validate_mobile
from servicedesk.services import save_by
from servicedesk.tokens import is_link_token, new_link_token, token_digest

from ..accounts import forget_merchant_account
from ..models import (
    MERCHANT_EDITORS,
    MerchantInvitation,
    MerchantPolicy,
    MerchantStatus,
    MerchantUser,
    MerchantUserKind,
)

# A merchant that has left (or not yet been verified) gets no new users.
INVITABLE = (MerchantStatus.VERIFIED, MerchantStatus.ACTIVE, MerchantStatus.EXIT_NOTICED)
SENT_BY = ("sms", "print")


def invitation_url(token):
    return f"{settings.SITE_URL.rstrip('/')}{reverse('merchantportal:invitation', args=[token])}"


@transaction.atomic
def merchant_user_invite(*, merchant, actor, name, mobile, kind=MerchantUserKind.OWNER, sent_by="sms", now=None):
    """A one-time invitation for the merchant's contact. Returns (invitation, token); the token is
    in the SMS (sent_by="sms", through the outbox) or printed as a QR code, and nowhere else."""
    from sms.services import sms_queue

    require_role(actor, merchant.mall, *MERCHANT_EDITORS)
    now = now or timezone.now()
    errors = {}
    name = (name or "").strip()
    mobile = normalise_mobile(mobile)
    if merchant.status not in INVITABLE:
        raise ValidationError(
            _("Merchant users can be invited while the merchant is verified, trading or giving notice.")
        )
    if not name:
        errors["name"] = _("Enter the name of the person invited.")
    elif len(name) > 50:
        errors["name"] = _("At most 50 characters.")
    try:
        validate_mobile(mobile)
    except ValidationError as error:
        errors["mobile"] = error.messages
    else:
        if get_user_model().objects.filter(username=mobile).exists():
            errors["mobile"] = _("This mobile already has an account; deactivate it first or use another mobile.")
    if kind not in MerchantUserKind.values:
        errors["kind"] = _("Choose owner or shop guide.")
    if sent_by not in SENT_BY:
        errors["sent_by"] = _("Choose SMS or a printed QR code.")
    if errors:
        raise ValidationError(errors)
    policy = MerchantPolicy.for_mall(merchant.mall)
    token = new_link_token()
    invitation = MerchantInvitation(
        merchant=merchant,
        kind=kind,
        name=name,
        mobile=mobile,
        token_hash=token_digest(token),
        sent_by=sent_by,
        expires_at=now + timedelta(hours=policy.invitation_valid_hours),
        created_by=actor,
    )
    save_by(invitation, actor)
    if sent_by == "sms":
        sms_queue(
            mall=merchant.mall,
            mobile=mobile,
            event="merchant_invitation",
            params={"merchant": merchant.brand, "link": invitation_url(token), "hours": policy.invitation_valid_hours},
            key=f"merchant-invitation:{invitation.pk}",
            now=now,
        )
    return invitation, token


def merchant_invitation_open(token, now=None):
    """(invitation, problem) for a token: problem is None, "expired" or "used"; (None, None) when
    there is no such invitation."""
    if not is_link_token(token):
        return None, None
    digest = token_digest(token)
    invitation = MerchantInvitation.objects.select_related("merchant__mall").filter(token_hash=digest).first()
    if invitation is None or not hmac.compare_digest(invitation.token_hash, digest):
        return None, None
    now = now or timezone.now()
    if invitation.used_at or invitation.withdrawn_at:
        return invitation, "used"
    if invitation.expires_at <= now or invitation.merchant.status not in INVITABLE:
        return invitation, "expired"
    return invitation, None


@transaction.atomic
def merchant_invitation_accept(*, token, password, password_again, now=None):
    """The invited person sets a password: the account is made (user name = the mobile) and the
    invitation is spent. Refused when expired, used or withdrawn."""
    invitation, problem = merchant_invitation_open(token, now)
    if invitation is None:
        raise ValidationError(_("This invitation link is not valid."))
    invitation = (
        MerchantInvitation.objects.select_for_update(of=("self",), no_key=True)
        .select_related("merchant")
        .get(pk=invitation.pk)
    )
    if invitation.used_at or invitation.withdrawn_at:
        problem = "used"
    if problem == "used":
        raise ValidationError(
            _("This invitation has already been used. Ask the customer service centre for a new one.")
        )
    if problem == "expired":
        raise ValidationError(_("This invitation has expired. Ask the customer service centre for a new one."))
    User = get_user_model()
    user = User(username=invitation.mobile, first_name=invitation.name)
    errors = {}
    if not password:
        errors["password"] = _("Choose a password.")
    else:
        try:
            validate_password(password, user)
        except ValidationError as error:
            errors["password"] = error.messages
    if password and password != password_again:
        errors["password_again"] = _("The two passwords are not the same.")
    if User.objects.filter(username=invitation.mobile).exists():
        errors["password"] = _("This mobile already has an account. Ask the customer service centre.")
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    account = MerchantUser(
        user=user, merchant=invitation.merchant, kind=invitation.kind, name=invitation.name, mobile=invitation.mobile
    )
    save_by(account, user)
    invitation.used_at = now or timezone.now()
    invitation.account = account
    save_by(invitation, user, update_fields=["used_at", "account"])
    return account


@transaction.atomic
def merchant_user_deactivate(*, account, actor):
    """The account and its Django user stop working at once (an open session too)."""
    account = (
        MerchantUser.objects.select_for_update(of=("self",), no_key=True)
        .select_related("merchant__mall", "user")
        .get(pk=account.pk)
    )
    if actor is not None:
        require_role(actor, account.merchant.mall, *MERCHANT_EDITORS)
    if not account.is_active:
        return account
    account.is_active = False
    account.deactivated_at = timezone.now()
    save_by(account, actor, update_fields=["is_active", "deactivated_at"])
    user = account.user
    user.is_active = False
    user.save(update_fields=["is_active"])
    forget_merchant_account(user)
    return account


def merchant_users_deactivate_all(*, merchant, actor):
    """The merchant's exit is complete: every user of it is deactivated, every open invitation
    withdrawn. Called inside merchant_confirm_exit's transaction."""
    for account in MerchantUser.objects.filter(merchant=merchant, is_active=True):
        account.is_active = False
        account.deactivated_at = timezone.now()
        save_by(account, actor, update_fields=["is_active", "deactivated_at"])
        get_user_model().objects.filter(pk=account.user_id).update(is_active=False)
    MerchantInvitation.objects.filter(merchant=merchant, used_at__isnull=True, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
