"""Shift handovers (交接班) and the enquiry log (咨询登记)."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.access import require_role
from servicedesk.models import Mall
from servicedesk.notifications import notify, staff_of
from servicedesk.roles import Role
from servicedesk.services import customer_find_or_create, save_by

from ..models import ConversionKind, Enquiry, FrontDeskPolicy, Handover
from .common import DESK_ROLES

HANDOVER_ROLES = (Role.FRONT_DESK, Role.SUPERVISOR)


def _not_future(when, field):
    if when > timezone.now() + timedelta(minutes=5):
        raise ValidationError({field: _("The time cannot be in the future.")})


# --- Handover ---------------------------------------------------------------------------------


@transaction.atomic
def handover_record(*, mall, actor, shift, keys_and_items, open_matters="", notes="", handed_over_at=None):
    require_role(actor, mall, *HANDOVER_ROLES)
    handed_over_at = handed_over_at or timezone.now()
    _not_future(handed_over_at, "handed_over_at")
    handover = Handover(
        mall=mall,
        shift=shift,
        outgoing=actor,
        handed_over_at=handed_over_at,
        keys_and_items=keys_and_items.strip(),
        open_matters=open_matters.strip(),
        notes=notes.strip(),
    )
    return save_by(handover, actor)


@transaction.atomic
def handover_confirm(*, handover, actor, discrepancies=""):
    """The incoming shift confirms what it received; anything missing goes to the supervisor."""
    require_role(actor, handover.mall_id, *DESK_ROLES)
    handover = Handover.objects.select_for_update(of=("self",), no_key=True).select_related("mall").get(pk=handover.pk)
    if handover.confirmed_at is not None:
        raise ValidationError(_("This handover was already confirmed."))
    if handover.outgoing_id == actor.pk:
        raise ValidationError(_("The incoming shift, not the outgoing one, confirms a handover."))
    handover.confirmed_by = actor
    handover.confirmed_at = timezone.now()
    handover.discrepancies = discrepancies.strip()
    save_by(handover, actor, update_fields=["confirmed_by", "confirmed_at", "discrepancies"], reason=_("confirmed"))
    if handover.discrepancies:
        notify(
            staff_of(handover.mall, Role.SUPERVISOR),
            key=f"handover:{handover.pk}:discrepancies",
            title=_("Handover received with discrepancies"),
            body=handover.discrepancies,
            url=f"/frontdesk/handovers/{handover.pk}/",
            mall=handover.mall,
        )
    return handover


def flag_unconfirmed_handovers(now=None):
    """Every quarter hour: handovers not confirmed within the mall's time go to the supervisor,
    once each (the flag time is the state that makes a second run do nothing)."""
    now = now or timezone.now()
    flagged = 0
    mall_ids = Handover.objects.unconfirmed().filter(flagged_at__isnull=True).values_list("mall_id", flat=True)
    for mall in Mall.objects.filter(pk__in=set(mall_ids)):
        limit = timedelta(minutes=FrontDeskPolicy.for_mall(mall).handover_confirm_minutes)
        with transaction.atomic():
            late = (
                Handover.objects.select_for_update(skip_locked=True, of=("self",), no_key=True)
                .unconfirmed()
                .filter(mall=mall, flagged_at__isnull=True, handed_over_at__lte=now - limit)
                .select_related("outgoing")
            )
            for handover in late:
                handover.flagged_at = now
                save_by(handover, None, update_fields=["flagged_at"], reason=_("not confirmed in time"))
                notify(
                    staff_of(mall, Role.SUPERVISOR),
                    key=f"handover:{handover.pk}:unconfirmed",
                    title=_("Handover not confirmed: %(handover)s") % {"handover": handover},
                    body=_("Handed over by %(who)s at %(time)s; nobody has confirmed receiving it.")
                    % {
                        "who": handover.outgoing.get_full_name() or handover.outgoing.username,
                        "time": timezone.localtime(handover.handed_over_at).strftime("%Y-%m-%d %H:%M"),
                    },
                    url=f"/frontdesk/handovers/{handover.pk}/",
                    mall=mall,
                )
                flagged += 1
    return flagged


# --- Enquiries --------------------------------------------------------------------------------


@transaction.atomic
def enquiry_record(
    *,
    mall,
    actor,
    channel,
    topic,
    question,
    answer="",
    minutes_taken=1,
    customer_name="",
    customer_mobile="",
    received_at=None,
):
    """Log a walk-in or phone enquiry. A mobile number makes (or finds) the customer, so the
    enquiry can later become a complaint or return request with the customer carried over."""
    require_role(actor, mall, *DESK_ROLES)
    received_at = received_at or timezone.now()
    _not_future(received_at, "received_at")
    customer = None
    if customer_mobile.strip():
        if not customer_name.strip():
            raise ValidationError({"customer_name": _("Give the customer's name with the mobile number.")})
        try:
            customer, _created = customer_find_or_create(
                mall=mall, name=customer_name, mobile=customer_mobile, actor=actor
            )
        except ValidationError as error:
            raise ValidationError({"customer_mobile": error.messages}) from None
    elif customer_name.strip():
        raise ValidationError({"customer_mobile": _("Give the customer's mobile number with the name.")})
    enquiry = Enquiry(
        mall=mall,
        channel=channel,
        received_at=received_at,
        received_on=timezone.localdate(received_at),
        topic=topic,
        question=question.strip(),
        answer=answer.strip(),
        minutes_taken=minutes_taken,
        customer=customer,
        recorded_by=actor,
    )
    return save_by(enquiry, actor)


@transaction.atomic
def enquiry_mark_converted(*, enquiry, kind, reference, actor):
    """Called by the complaint intake or return request when it saves a case opened from an
    enquiry (`?enquiry=<id>`): the enquiry shows the case it became."""
    require_role(actor, enquiry.mall_id, *DESK_ROLES, Role.COMPLAINT_OFFICER)
    enquiry = Enquiry.objects.select_for_update(of=("self",), no_key=True).get(pk=enquiry.pk)
    if enquiry.converted_at is not None:
        raise ValidationError(
            _("This enquiry has already become %(reference)s.") % {"reference": enquiry.converted_reference}
        )
    enquiry.converted_to = ConversionKind(kind)
    enquiry.converted_reference = reference
    enquiry.converted_at = timezone.now()
    return save_by(enquiry, actor, update_fields=["converted_to", "converted_reference", "converted_at"])
