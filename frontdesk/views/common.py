from datetime import date

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.access import has_role


def working_mall(request, *roles):
    """The mall the user works in now, if they hold one of `roles` there (else 403)."""
    mall = request.mall
    if mall is None or not has_role(request.user, mall, *roles):
        raise PermissionDenied(_("Choose a mall where your role may do this."))
    return mall


def day_from(request, name="date"):
    """The day asked for in the query string, today if none or unreadable."""
    try:
        return date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return timezone.localdate()


def chosen_mall(request):
    """The mall being read now; head office reading "all malls" is asked to pick one."""
    if request.mall is None:
        raise PermissionDenied(_("Choose a mall first."))
    return request.mall
