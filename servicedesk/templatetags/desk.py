from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ..history import timeline
from ..phones import mask_phone

register = template.Library()


@register.simple_tag
def mall_options(malls, current_mall=None):
    """The navbar's mall switcher's <option>s, written in Python: head office switches among
    every mall of the chain (400), which as a template loop cost more than most pages' SQL
    (issue #22). The same HTML as the loop it replaced (tests/servicedesk/test_mall_options.py)."""
    current = current_mall.pk if current_mall else None
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'\n          <option value="{mall.pk}"{" selected" if mall.pk == current else ""}>'
            f"{escape(mall.code)} {escape(mall.name)}</option>\n          "
            for mall in malls
        )
    )


@register.filter
def masked(value):
    """138****5678."""
    return mask_phone(value)


@register.filter
def minutes(value):
    """A timedelta as whole minutes (for the lockout message)."""
    try:
        return int(value.total_seconds() // 60)
    except AttributeError:
        return value


@register.filter
def percent(value, scale="points"):
    """A rate with its % sign and one place: 0 is "0.0%"; "—" only when there is nothing to
    measure (None). `scale`: "points" for a value already in percent (60.0), "fraction" for a
    share (0.6)."""
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return value
    if scale == "fraction":
        number *= 100
    return f"{number.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


@register.inclusion_tag("servicedesk/_history.html")
def history_timeline(instance):
    return {"timeline": timeline(instance)}


@register.filter
def rmb_capitals(value):
    """An amount in Chinese capital numerals for a receipt (servicedesk.amounts)."""
    from ..amounts import rmb_capitals as words

    try:
        return words(Decimal(value))
    except (InvalidOperation, TypeError, ValueError):
        return ""
