"""Phone numbers as DOMAIN.md §9 defines them: mainland mobiles and landlines with area code."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
# Brand and company service lines (400-820-1234, 800-820-1234): valid business phones, never a
# customer's own number.
SERVICE_LINE_RE = re.compile(r"^[48]00-?\d{3}-?\d{4}$")
_SEPARATORS = re.compile(r"[\s\-()（）]")


def normalise_mobile(value):
    """Strip what people type around a mobile number: spaces, dashes, a +86 / 0086 prefix."""
    digits = _SEPARATORS.sub("", value or "")
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits


def normalise_phone(value):
    """A mobile is normalised as above; a landline keeps its single dash after the area code."""
    value = (value or "").strip()
    mobile = normalise_mobile(value)
    if MOBILE_RE.match(mobile):
        return mobile
    return re.sub(r"[\s()（）]", "", value)


def validate_mobile(value):
    if not MOBILE_RE.match(value or ""):
        raise ValidationError(
            _("Enter an 11-digit mainland mobile number starting with 13-19, e.g. 13812345678."),
            code="invalid_mobile",
        )


def validate_phone(value):
    """A mobile or a landline with its area code (021-62345678)."""
    if not (MOBILE_RE.match(value or "") or LANDLINE_RE.match(value or "")):
        raise ValidationError(
            _("Enter a mobile number or a landline with area code, e.g. 021-62345678."),
            code="invalid_phone",
        )


def validate_business_phone(value):
    """Where a business answers: a mobile, a landline with area code or a 400/800 service line."""
    if not (MOBILE_RE.match(value or "") or LANDLINE_RE.match(value or "") or SERVICE_LINE_RE.match(value or "")):
        raise ValidationError(
            _("Enter a mobile number, a landline with area code (021-62345678) or a service line (400-820-1234)."),
            code="invalid_phone",
        )


def mask_phone(value):
    """138****5678: lists show only the first three and last four digits."""
    if not value:
        return ""
    if MOBILE_RE.match(value):
        return f"{value[:3]}****{value[-4:]}"
    if len(value) > 6:
        return f"{value[:-6]}**{value[-4:]}"
    return "****"
