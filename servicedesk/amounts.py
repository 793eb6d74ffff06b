"""Money as people read it, and in Chinese capital numerals for a receipt.

`amount_text(6800)` -> "6,800.00" and `yuan_text(6800)` -> "6,800.00 元" ("6,800.00 yuan" in
English) are the one way the product writes an amount for a person: on pages, slips, texts, SMS
and notices, in every app (templates: `{{ value|amount }}` in a column headed "(yuan)" or inside a
sentence that names the unit, `{{ value|yuan }}` for an amount standing alone). Two places,
rounded half up; thousands separated by commas in both languages, as the unified cashier's
receipts and the banks print them (Django's Chinese locale would group by ten thousand with no
mark, so the format is written here, not left to the locale); a minus sign for a negative amount
(a refund shown as money going back); None is "" so a template's `|default` still applies.
Exports (xlsx, CSV, the API) keep numbers as numbers and do not come through here.

`rmb_capitals`: the People's Bank's rules for filling in bills (one 零 for a run of zeros, 整
after a whole yuan, 壹 before 拾)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

CENT = Decimal("0.01")


def amount_text(value):
    """6800 -> "6,800.00"; Decimal("1234.565") -> "1,234.57"; -50 -> "-50.00"; None -> ""."""
    if value is None or value == "":
        return ""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
        number = number.quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError) as error:
        raise ValueError(f"not an amount: {value!r}") from error
    if number.is_zero():
        number = abs(number)  # never "-0.00"
    return f"{number:,.2f}"


def yuan_text(value):
    """6800 -> "6,800.00 元" (English: "6,800.00 yuan"); None -> ""."""
    text = amount_text(value)
    return _("%(amount)s yuan") % {"amount": text} if text else ""


DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("仟", "佰", "拾", "")
GROUPS = ("", "万", "亿", "万亿")


def _group(number):
    """0 < number < 10000, without the group's unit."""
    out, zero = "", False
    for power, place in zip(range(3, -1, -1), PLACES, strict=True):
        digit = number // 10**power % 10
        if digit == 0:
            zero = zero or bool(out)
            continue
        if zero:
            out += DIGITS[0]
            zero = False
        out += DIGITS[digit] + place
    return out


def rmb_capitals(amount):
    """12345.67 -> 壹万贰仟叁佰肆拾伍元陆角柒分; 10 -> 壹拾元整; 0.05 -> 伍分."""
    cents = int((Decimal(amount) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    if cents < 0:
        raise ValueError("a negative amount has no capitals on a receipt")
    yuan, rest = divmod(cents, 100)
    jiao, fen = divmod(rest, 10)
    groups = []
    while yuan:
        yuan, group = divmod(yuan, 10000)
        groups.append(group)
    text, zero = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            zero = zero or bool(text)
            continue
        if text and (zero or group < 1000):
            text += DIGITS[0]
        text += _group(group) + GROUPS[index]
        zero = False
    if text:
        text += "元"
    if not jiao and not fen:
        return (text or "零元") + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif text:
        text += DIGITS[0]
    if fen:
        text += DIGITS[fen] + "分"
    return text
