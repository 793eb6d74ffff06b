"""Home visits (上门拜访): planned with date, address, officer and driver; the outcome and photos
finish the home-visit callback."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.access import has_role
from servicedesk.services import save_by
from servicedesk.uploads import validate_photo
from servicedesk.workflow import lock

from ..models import CALLBACK_STAFF, CallbackKind, HomeVisit, HomeVisitPhoto
from .outcomes import callback_record, check_worker


@transaction.atomic
def home_visit_schedule(*, callback, actor, visit_on, address, officer, driver=""):
    callback = check_worker(lock(callback, "mall"), actor)
    if callback.kind != CallbackKind.HOME_VISIT:
        raise ValidationError(_("Only a home-visit callback is visited."))
    if not callback.is_open:
        raise ValidationError(_("This home visit is already finished."))
    if not has_role(officer, callback.mall, *CALLBACK_STAFF):
        raise ValidationError({"officer": _("Choose a complaint officer or supervisor of this mall.")})
    if visit_on < timezone.localdate():
        raise ValidationError({"visit_on": _("The visit date cannot be in the past.")})
    visit = HomeVisit.objects.filter(callback=callback).first() or HomeVisit(mall=callback.mall, callback=callback)
    visit.visit_on = visit_on
    visit.address = (address or "").strip()
    visit.officer = officer
    visit.driver = (driver or "").strip()
    return save_by(visit, actor)


@transaction.atomic
def home_visit_record(*, visit, actor, outcome, report, photos=()):
    """After the visit: what the customer said, the report, the photos; the callback is done."""
    visit = lock(visit, "callback")
    report = (report or "").strip()
    if not report:
        raise ValidationError({"report": _("Write down what was found on the visit.")})
    for photo in photos:
        validate_photo(photo)
    recorded = callback_record(callback=visit.callback, actor=actor, outcome=outcome, note=report)
    visit.outcome = outcome
    visit.report = report
    visit.visited_at = timezone.now()
    save_by(visit, actor, update_fields=["outcome", "report", "visited_at"])
    for photo in photos:
        HomeVisitPhoto.objects.create(visit=visit, image=photo)
    return recorded
