"""统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, Z, S, V
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17):
    total = sum(ALPHABET.index(ch) * weight for ch, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value):
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(
            _("The unified social credit code has 18 characters; this one has %(n)d.") % {"n": len(code)},
            code="credit_code_length",
        )
    if any(ch not in ALPHABET for ch in code):
        raise ValidationError(
            _("The unified social credit code uses only digits and capital letters other than I, O, Z, S, V."),
            code="credit_code_characters",
        )
    if check_character(code[:17]) != code[17]:
        raise ValidationError(
            _("The check character (last character) of this credit code is wrong; please check the licence."),
            code="credit_code_check",
        )


def with_check_character(first17):
    """A whole code from its first 17 characters (for demo data and tests)."""
    return first17 + check_character(first17)
