"""An amount in yuan written in Chinese capital numerals (大写金额), as a receipt the customer signs
must show it: the People's Bank's rules for filling in bills (one 零 for a run of zeros, 整 after
a whole yuan, 壹 before 拾)."""

from decimal import ROUND_HALF_UP, Decimal

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
