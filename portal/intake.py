"""Online intake (/m/<mall code>/, DOMAIN.md §8a): the customer confirms the mobile with a 6-digit
SMS code, then files a complaint (channel 网络) or a no-reason return request through the same
services as the desk.

Codes: valid 5 minutes, 5 tries; at most 5 codes per mobile and 20 per client address in an
hour. The code is stored as a salted HMAC (never in clear, never in a log: the SMS event marks it
secret), the address only as a hash. A confirmed code lets the customer file one case within
30 minutes.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.models import Mall
from servicedesk.phones import normalise_mobile, validate_mobile

from .models import VerificationCode

CODE_VALID = timedelta(minutes=5)
CODE_TRIES = 5
CODES_PER_MOBILE_PER_HOUR = 5
CODES_PER_ADDRESS_PER_HOUR = 20
CONFIRMED_FOR = timedelta(minutes=30)


def new_code():
    return f"{secrets.randbelow(1_000_000):06d}"


def _digest(salt, mobile, code):
    message = f"{salt}:{mobile}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def address_hash(address):
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address or 'unknown'}".encode()).hexdigest()


@transaction.atomic
def code_send(*, mall, mobile, address, purpose, now=None):
    """Send a code to `mobile` (the SMS ignores quiet hours: the customer is waiting for it).
    Refused past the hourly limits, with a message next to the mobile."""
    now = now or timezone.now()
    mobile = normalise_mobile(mobile or "")
    try:
        validate_mobile(mobile)
    except ValidationError:
        raise ValidationError({"mobile": _("Enter an 11-digit mobile number starting with 1.")}) from None
    # One code request at a time per mall: the hourly counts below cannot be raced past.
    Mall.objects.select_for_update(of=("self",), no_key=True).filter(pk=mall.pk).first()
    hour_ago = now - timedelta(hours=1)
    hashed = address_hash(address)
    if VerificationCode.objects.filter(mobile=mobile, created_at__gt=hour_ago).count() >= CODES_PER_MOBILE_PER_HOUR:
        raise ValidationError(
            {
                "mobile": _("This number has had %(n)d codes in the last hour; please try again later.")
                % {"n": CODES_PER_MOBILE_PER_HOUR}
            }
        )
    if (
        VerificationCode.objects.filter(address_hash=hashed, created_at__gt=hour_ago).count()
        >= CODES_PER_ADDRESS_PER_HOUR
    ):
        raise ValidationError(_("Too many codes were asked for from this network; please try again later."))
    code = new_code()
    salt = secrets.token_hex(8)
    verification = VerificationCode.objects.create(
        mall=mall,
        mobile=mobile,
        code_hash=f"{salt}${_digest(salt, mobile, code)}",
        address_hash=hashed,
        purpose=purpose,
        created_at=now,
        expires_at=now + CODE_VALID,
    )
    from sms.services import sms_queue

    sms_queue(mall=mall, mobile=mobile, event="verification_code", params={"code": code}, key=f"code:{verification.pk}")
    return verification


def code_check(*, verification, code, now=None):
    """Check a typed code. Each try counts (kept even when the code is wrong); expired, used up
    or wrong: a message next to the code field."""
    now = now or timezone.now()
    code = (code or "").strip()
    with transaction.atomic():
        row = VerificationCode.objects.select_for_update(of=("self",), no_key=True).get(pk=verification.pk)
        if row.verified_at is not None and row.used_at is None:
            return row
        if row.used_at is not None or row.attempts >= CODE_TRIES:
            raise ValidationError({"code": _("Too many wrong codes: ask for a new code.")})
        if now > row.expires_at:
            raise ValidationError({"code": _("The code has expired (5 minutes): ask for a new code.")})
        row.attempts += 1
        salt, digest = row.code_hash.split("$", 1)
        right = len(code) == 6 and code.isdigit() and hmac.compare_digest(digest, _digest(salt, row.mobile, code))
        if right:
            row.verified_at = now
        row.save(update_fields=["attempts", "verified_at"])
    if not right:
        left = CODE_TRIES - row.attempts
        if left <= 0:
            raise ValidationError({"code": _("Too many wrong codes: ask for a new code.")})
        raise ValidationError({"code": _("The code is not right; %(left)d tries left.") % {"left": left}})
    return row


def confirmed(verification_id, mall, now=None):
    """The confirmed, unused verification of this mall still good for filing, or None."""
    now = now or timezone.now()
    return (
        VerificationCode.objects.filter(
            pk=verification_id,
            mall=mall,
            verified_at__gt=now - CONFIRMED_FOR,
            used_at__isnull=True,
        )
        .only("pk", "mobile", "purpose", "verified_at")
        .first()
    )


def _take(verification_id, mall, purpose, now):
    row = (
        VerificationCode.objects.select_for_update(of=("self",), no_key=True)
        .filter(pk=verification_id, mall=mall, purpose=purpose, used_at__isnull=True)
        .first()
    )
    if row is None or row.verified_at is None or row.verified_at <= now - CONFIRMED_FOR:
        raise ValidationError(_("Please confirm your mobile number again."), code="verification")
    row.used_at = now
    row.save(update_fields=["used_at"])
    return row


@transaction.atomic
def intake_complaint(*, mall, verification_id, customer_name, customer_address="", attachments=(), **details):
    """File the customer's complaint: returns (complaint, token of a link to show on screen).
    Any error rolls everything back, the confirmation included, so the customer may fix it."""
    from complaints.services import complaint_register_online

    from .services import link_issue

    verification = _take(verification_id, mall, "complaint", timezone.now())
    complaint = complaint_register_online(
        mall=mall,
        customer_name=customer_name,
        customer_mobile=verification.mobile,
        customer_address=customer_address,
        attachments=attachments,
        **details,
    )
    return complaint, link_issue(case=complaint, purpose="intake")


@transaction.atomic
def intake_return(*, mall, verification_id, customer_name, **sale):
    """File the customer's no-reason return request: (request, eligibility, link token). An
    ineligible request is still registered for the desk; the customer reads the same reasons."""
    from returns.services import return_register_online

    from .services import link_issue

    verification = _take(verification_id, mall, "return", timezone.now())
    return_request, eligibility = return_register_online(
        mall=mall, customer_name=customer_name, customer_mobile=verification.mobile, **sale
    )
    return return_request, eligibility, link_issue(case=return_request, purpose="intake")
