"""The handover rules (值班/交接班): important matters are finished or explicitly taken over by the
incoming shift, and the supervisor signs the day's desk log."""

from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.access import require_role
from servicedesk.services import save_by
from servicedesk.texts import event, join_names
from servicedesk.workflow import lock_and_check

from ..models import (
    MATTER_ROLES,
    MATTER_TRANSITIONS,
    SIGNERS,
    DeskLogSignature,
    DutyMatter,
    Handover,
    HandoverMatter,
    MatterAction,
    MatterStatus,
)


def _local_bounds(day):
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def log_is_signed(mall, day):
    return DeskLogSignature.objects.filter(mall=mall, day=day).exists()


def refuse_if_signed(mall, day):
    if log_is_signed(mall, day):
        raise ValidationError(
            _("The desk log of %(day)s is signed by the supervisor; nothing more is recorded for that day.")
            % {"day": day.isoformat()}
        )


@transaction.atomic
def matter_record(*, mall, actor, text, important=False):
    """A matter the shift must see through; it stays with whoever holds it until finished."""
    require_role(actor, mall, *MATTER_ROLES)
    now = timezone.now()
    matter = DutyMatter(mall=mall, text=text.strip(), important=important, raised_by=actor, raised_at=now, owner=actor)
    return save_by(matter, actor)


@transaction.atomic
def matter_finish(*, matter, actor, outcome=""):
    matter, new_status = lock_and_check(matter, MATTER_TRANSITIONS, MatterAction.FINISH, actor, related=())
    matter.status = new_status
    matter.finished_by = actor
    matter.finished_at = timezone.now()
    matter.outcome = outcome.strip()
    return save_by(matter, actor, update_fields=["status", "finished_by", "finished_at", "outcome"])


def link_open_matters(handover):
    """Called when a handover is recorded: the outgoing person's unfinished matters go on it."""
    matters = DutyMatter.objects.unfinished().filter(mall=handover.mall_id, owner=handover.outgoing_id)
    for matter in matters:
        save_by(HandoverMatter(handover=handover, matter=matter, important=matter.important), handover.outgoing)


def take_over(handover, actor, take):
    """Called when the incoming shift confirms: refused while an important matter on the handover
    is unfinished and not explicitly taken; otherwise every unfinished matter passes to `actor`."""
    take = {int(pk) for pk in take}
    links = list(
        HandoverMatter.objects.select_for_update(of=("self",), no_key=True)
        .filter(handover=handover, matter__status=MatterStatus.OPEN, taken_by__isnull=True)
        .select_related("matter")
    )
    refused = [link.matter for link in links if link.matter.important and link.matter_id not in take]
    if refused:
        raise ValidationError(
            {
                "take": _(
                    "The shift cannot be handed over: important matters are unfinished (%(matters)s). "
                    "Finish them, or tick each one the incoming shift takes over."
                )
                % {"matters": join_names(refused, "semi")}
            }
        )
    now = timezone.now()
    for link in links:
        matter, new_status = lock_and_check(link.matter, MATTER_TRANSITIONS, MatterAction.TAKE, actor, related=())
        matter.status = new_status
        matter.owner = actor
        save_by(
            matter,
            actor,
            update_fields=["status", "owner"],
            reason=event("action", action=MatterAction.TAKE.label),
        )
        link.taken_by = actor
        link.taken_at = now
        save_by(link, actor, update_fields=["taken_by", "taken_at"])
    return links


@transaction.atomic
def desk_log_sign(*, mall, day, actor, remarks=""):
    """The supervisor signs a day's desk log once the day's handovers are all confirmed."""
    require_role(actor, mall, *SIGNERS)
    if day > timezone.localdate():
        raise ValidationError({"day": _("A day that has not come cannot be signed.")})
    start, end = _local_bounds(day)
    waiting = Handover.objects.filter(
        mall=mall, handed_over_at__gte=start, handed_over_at__lt=end, confirmed_at__isnull=True
    ).order_by("handed_over_at")
    if waiting:
        raise ValidationError(
            _("Handovers of that day are not confirmed yet: %(times)s.")
            % {"times": join_names(timezone.localtime(h.handed_over_at).strftime("%H:%M") for h in waiting)}
        )
    signature = DeskLogSignature(mall=mall, day=day, signed_by=actor, signed_at=timezone.now(), remarks=remarks.strip())
    try:
        with transaction.atomic():
            return save_by(signature, actor)
    except IntegrityError:
        raise ValidationError(_("This day's desk log is already signed.")) from None
