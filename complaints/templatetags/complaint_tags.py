from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

register = template.Library()


def _span(delta):
    seconds = int(abs(delta.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    if days:
        return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": rest // 60}
    return _("%(minutes)d min") % {"minutes": max(rest // 60, 1)}


@register.inclusion_tag("complaints/_deadline.html")
def deadline_badge(deadline, paused=False):
    """The next deadline and how long is left; red when it has passed."""
    if deadline is None:
        return {"deadline": None}
    left = deadline.due_at - timezone.now()
    overdue = left.total_seconds() <= 0 and deadline.met_at is None
    return {
        "deadline": deadline,
        "overdue": overdue,
        "soon": not overdue and left.total_seconds() < 86400,
        "span": _span(left),
        "paused": paused,
    }
