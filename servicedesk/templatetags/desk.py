from django import template

from ..history import timeline
from ..phones import mask_phone

register = template.Library()


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


@register.inclusion_tag("servicedesk/_history.html")
def history_timeline(instance):
    return {"timeline": timeline(instance)}
