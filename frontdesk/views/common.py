from datetime import date

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _


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
