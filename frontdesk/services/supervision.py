"""Service supervision (顾客服务监督): recording a spot check against the checklist."""

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.access import require_role, roles_in
from servicedesk.roles import Role
from servicedesk.services import save_by

from ..models import SpotCheck, SpotCheckItem, checklist
from .common import CHECKERS


@transaction.atomic
def spot_check_record(*, mall, actor, channel, staff_checked, scores, findings="", checked_at=None):
    """`scores` maps each checklist item's code to the points given (0 to the item's most)."""
    require_role(actor, mall, *CHECKERS)
    checked_at = checked_at or timezone.now()
    errors = {}
    if checked_at > timezone.now() + timedelta(minutes=5):
        errors["checked_at"] = _("The time cannot be in the future.")
    if staff_checked is None or not (roles_in(staff_checked, mall) - {Role.HEAD_OFFICE, Role.ADMIN}):
        errors["staff_checked"] = _("Choose a member of this mall's staff.")
    elif staff_checked.pk == actor.pk:
        errors["staff_checked"] = _("Nobody spot-checks their own service.")
    items = []
    for code, label, most in checklist(channel):
        points = scores.get(code)
        if points is None or not 0 <= points <= most:
            errors[code] = _("Give %(item)s between 0 and %(most)d points.") % {"item": label, "most": most}
        else:
            items.append(SpotCheckItem(code=code, points=points, most_points=most))
    unknown = set(scores) - {code for code, _label, _most in checklist(channel)}
    if unknown:
        errors["__all__"] = _("Unknown checklist items: %s") % ", ".join(sorted(unknown))
    if errors:
        raise ValidationError(errors)
    check = SpotCheck(
        mall=mall,
        channel=channel,
        checked_at=checked_at,
        staff_checked=staff_checked,
        checker=actor,
        score=Decimal(sum(item.points for item in items)),
        findings=findings.strip(),
    )
    save_by(check, actor)
    for item in items:
        item.spot_check = check
    SpotCheckItem.objects.bulk_create(items)
    return check
