from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ..fixedurls import current_app as url_current_app
from ..fixedurls import fixed_reverse, static_url
from ..history import timeline
from ..navbar import navbar
from ..phones import mask_phone

register = template.Library()


@register.simple_tag(takes_context=True)
def fixed_url(context, name):
    """{% url name %} for a URL without arguments, worked out once per process (base.html's
    navbar writes eight on every page, issue #22): the same URL, escaped the same way."""
    return fixed_reverse(name, url_current_app(context))


@register.simple_tag
def static_file(path):
    """{% static path %}, worked out once per process (base.html links seven, issue #22)."""
    return static_url(path)


@register.simple_tag
def mall_options(malls, current_mall=None):
    """The navbar's mall switcher's <option>s, written in Python: head office switches among
    every mall of the chain (400), which as a template loop cost more than most pages' SQL
    (issue #22). The same HTML as the loop it replaced (tests/servicedesk/test_mall_options.py)."""
    current = current_mall.pk if current_mall else None
    rows = tuple(malls)
    if rows and not isinstance(rows[0], tuple):  # Mall instances (the home page's list)
        rows = tuple((mall.pk, mall.code, mall.name) for mall in rows)
    return _mall_options(rows, current)


@lru_cache(maxsize=64)
def _mall_options(malls, current):
    # Kept by the malls' rows themselves (read on every page): a renamed, new or closed mall is a
    # new key, so nothing stale is shown. Escaping 400 codes and names cost ~1 ms of every head
    # office page (issue #22); the same list comes back page after page.
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'\n          <option value="{pk}"{" selected" if pk == current else ""}>'
            f"{escape(code)} {escape(name)}</option>\n          "
            for pk, code, name in malls
        )
    )


@register.simple_tag(takes_context=True)
def desk_navbar(context):
    """The navbar of every desk page (base.html), kept once rendered (servicedesk/navbar.py)."""
    return navbar(context)


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
