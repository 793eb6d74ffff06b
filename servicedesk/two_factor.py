"""Two-factor sign-in (TOTP with django-otp, and one-time recovery codes) for the roles that
approve money or read every mall: manager, head office, administrator (and any superuser).

Required when `TWO_FACTOR_REQUIRED` is on (the default of servicedesk.settings.production; off in
development so the demo logins work). After the password, such a user sets up an authenticator
app once (QR code, then a code from the app) and gets ten recovery codes; on every later login
the app's 6-digit code, or one recovery code, is asked for. An administrator resets a user who
lost the phone (`manage.py two_factor_reset`, or the action on the users page); every enrolment,
recovery code used and reset is written to TwoFactorEvent.
"""

import segno
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .access import memberships
from .models import TwoFactorEvent
from .roles import Role

TWO_FACTOR_ROLES = frozenset({Role.MANAGER, Role.HEAD_OFFICE, Role.ADMIN})
RECOVERY_CODES = 10
DEVICE_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"


def needs_two_factor(user):
    if not getattr(settings, "TWO_FACTOR_REQUIRED", False) or not user.is_authenticated:
        return False
    return user.is_superuser or any(role in TWO_FACTOR_ROLES for _mall, role in memberships(user))


def is_enrolled(user):
    return any(isinstance(d, TOTPDevice) for d in devices_for_user(user, confirmed=True))


def enrolment_device(user):
    """The user's authenticator not yet confirmed (a new secret the first time the page opens)."""
    device = TOTPDevice.objects.filter(user=user, name=DEVICE_NAME, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def qr_code_data_uri(device):
    """The otpauth:// address as an SVG QR code in a data: URI (the page's policy allows data: images)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def secret_for_typing(device):
    """The secret in base32, in groups of four, for an app that cannot scan."""
    from base64 import b32encode

    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@transaction.atomic
def two_factor_enrol(*, user, device, token):
    """Confirm the authenticator with a code from it; returns the ten new recovery codes."""
    device = TOTPDevice.objects.select_for_update(of=("self",), no_key=True).get(
        pk=device.pk, user=user, confirmed=False
    )
    if not device.verify_token((token or "").strip()):
        raise ValidationError({"token": _("The code is wrong or has expired; type the code the app shows now.")})
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    TwoFactorEvent.objects.create(user=user, actor=user, action=TwoFactorEvent.Action.ENROLLED)
    return device, codes


def _new_recovery_codes(user):
    StaticDevice.objects.filter(user=user).update(confirmed=False)
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def two_factor_verify(*, user, token):
    """The device that accepts `token` (the app's code or an unused recovery code), or a
    ValidationError. A recovery code works once and its use is written to the audit trail."""
    token = (token or "").replace(" ", "").strip()
    for device in devices_for_user(user, confirmed=True):
        if device.verify_is_allowed()[0] and device.verify_token(token):
            if isinstance(device, StaticDevice):
                TwoFactorEvent.objects.create(user=user, actor=user, action=TwoFactorEvent.Action.RECOVERY_CODE_USED)
            return device
    raise ValidationError({"token": _("The code is wrong or has expired.")})


@transaction.atomic
def two_factor_reset(*, user, actor, reason):
    """An administrator's reset for a user who lost the phone: the user's authenticator and
    recovery codes stop working (kept, unconfirmed, never deleted) and the next login sets up a
    new one. Only an administrator (or superuser) may, with a reason; audited."""
    if not (actor.is_superuser or any(role == Role.ADMIN for _mall, role in memberships(actor))):
        raise PermissionDenied(_("Only an administrator may reset two-factor sign-in."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write why two-factor sign-in is reset (e.g. phone lost).")})
    TOTPDevice.objects.filter(user=user).update(confirmed=False)
    StaticDevice.objects.filter(user=user).update(confirmed=False)
    return TwoFactorEvent.objects.create(
        user=user, actor=actor, action=TwoFactorEvent.Action.RESET, reason=reason[:300]
    )
