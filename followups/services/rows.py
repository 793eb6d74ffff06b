"""Check one row of the cashier's export against DOMAIN.md §9; no database access here."""

import calendar
import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.limits import AMOUNT_MAX
from servicedesk.phones import MOBILE_RE, normalise_mobile

from .reading import HEADER_BY_FIELD

DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")
DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y%m%d%H%M%S")


class RowError(Exception):
    def __init__(self, field, message):
        super().__init__(message)
        self.field = field
        self.column = HEADER_BY_FIELD.get(field, field)
        self.message = message


DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(day, months):
    """The same day `months` later, or the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = DAYS_IN_MONTH[month] if month != 2 or not calendar.isleap(year) else 29
    return day.replace(year=year, month=month, day=min(day.day, last))


CENT = Decimal("0.01")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(raw, field, max_length, required=True):
    value = "" if raw is None else str(raw).strip()
    if isinstance(raw, float) and raw.is_integer():
        value = str(int(raw))  # spreadsheets turn order numbers and mobiles into floats
    if CONTROL.search(value):
        # A NUL byte or another control character: PostgreSQL cannot store a NUL, and no name
        # or order number has one; the row is refused with the column named.
        raise RowError(field, _("Contains an invisible control character; correct this cell in the export."))
    if required and not value:
        raise RowError(field, _("Required."))
    if len(value) > max_length:
        raise RowError(field, _("At most %(n)s characters.") % {"n": max_length})
    return value


def _date(raw, field):
    if raw in (None, ""):
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = str(raw).strip()
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.isascii():
        # The cashier's usual "2026-03-15": fromisoformat is ~10x strptime; anything else it
        # refuses goes through the formats below as before.
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 a calendar day
        except ValueError:
            continue
    raise RowError(field, _("Not a date: “%(value)s” (write 2026-03-15).") % {"value": text})


def _datetime(raw, field, tz):
    if isinstance(raw, datetime):
        moment = raw
    else:
        text = "" if raw is None else str(raw).strip()
        if not text:
            raise RowError(field, _("Required."))
        moment = None
        if len(text) in (16, 19) and text[4] == "-" and text[10] == " ":
            # The cashier's usual "2026-03-15 14:30[:00]": fromisoformat is ~10x strptime.
            try:
                moment = datetime.fromisoformat(text)
            except ValueError:
                moment = None
        for fmt in DATETIME_FORMATS if moment is None else ():
            try:
                moment = datetime.strptime(text, fmt)  # noqa: DTZ007 made aware below
                break
            except ValueError:
                continue
        if moment is None:
            moment = datetime.combine(_date(text, field), time(0, 0))
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=tz)  # timezone.make_aware, without its look-up per row
    return moment


def _int(raw, field, default, low, high):
    if raw in (None, ""):
        return default
    if isinstance(raw, str) and raw.isascii() and raw.isdigit():
        number = int(raw)  # the usual "1" or "12", without the Decimal below
        if low <= number <= high:
            return number
    try:
        number = Decimal(str(raw).strip())
    except InvalidOperation:
        number = None
    if number is None or number != number.to_integral_value() or not low <= number <= high:
        raise RowError(field, _("A whole number from %(low)s to %(high)s.") % {"low": low, "high": high})
    return int(number)


def _amount(raw, field):
    try:
        amount = Decimal(str(raw).strip().replace(",", "").replace("¥", "").replace("￥", ""))
    except InvalidOperation:
        raise RowError(field, _("Not an amount: “%(value)s”.") % {"value": raw}) from None
    if not amount.is_finite() or amount <= 0 or amount > AMOUNT_MAX:
        raise RowError(field, _("The amount must be more than 0 and at most 10,000,000 yuan."))
    cents = amount.quantize(CENT)
    if amount != cents:
        raise RowError(field, _("At most two decimal places."))
    return cents


def parse_row(raw, *, today, now, warranty_months, tz=None):
    """The row's values, checked; RowError names the first column that is wrong. A row without
    warranty months gets `warranty_months`, the mall's furniture warranty. `tz` is the current
    time zone (a million-row import passes it once instead of looking it up twice a row)."""
    tz = tz or timezone.get_current_timezone()
    default_warranty = warranty_months
    mobile = _text(raw.get("mobile"), "mobile", 20)
    if not (len(mobile) == 11 and mobile.isascii() and mobile.isdigit()):  # else nothing to strip
        mobile = normalise_mobile(mobile)
    if not MOBILE_RE.match(mobile):
        raise RowError("mobile", _("Not a mainland mobile number (11 digits starting 13-19)."))
    paid_at = _datetime(raw.get("paid_at"), "paid_at", tz)
    paid_on = paid_at.astimezone(tz).date()  # timezone.localdate(paid_at)
    if paid_at > now:
        raise RowError("paid_at", _("The payment time is in the future."))
    delivery_date = _date(raw.get("delivery_date"), "delivery_date")
    if delivery_date is not None:
        if delivery_date > today:
            raise RowError("delivery_date", _("The delivery date is in the future."))
        if delivery_date < paid_on:
            raise RowError("delivery_date", _("Delivered before it was paid for."))
    warranty_months = _int(raw.get("warranty_months"), "warranty_months", default_warranty, 0, 120)
    return {
        "order_number": _text(raw.get("order_number"), "order_number", 40),
        "paid_at": paid_at,
        "paid_on": paid_on,
        "customer_name": _text(raw.get("customer_name"), "customer_name", 50),
        "mobile": mobile,
        "merchant_or_booth": _text(raw.get("merchant_or_booth"), "merchant_or_booth", 100),
        "goods": _text(raw.get("goods"), "goods", 100),
        "model": _text(raw.get("model"), "model", 100, required=False),
        "quantity": _int(raw.get("quantity"), "quantity", 1, 1, 100000),
        "amount": _amount(raw.get("amount"), "amount"),
        "delivery_date": delivery_date,
        "warranty_months": warranty_months,
        "warranty_ends_on": add_months(delivery_date, warranty_months) if delivery_date else None,
    }
