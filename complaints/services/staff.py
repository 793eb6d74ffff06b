"""顾客电话投诉员工登记表: register the call, record the action and answer, manager signs off."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.numbering import issue_number
from servicedesk.phones import normalise_phone
from servicedesk.services import save_by
from servicedesk.workflow import check, lock_and_check

from ..models import STAFF_TRANSITIONS, StaffAction, StaffComplaint


@transaction.atomic
def staff_complaint_register(*, mall, actor, received_at=None, booth=None, **fields):
    new_status = check(STAFF_TRANSITIONS, state=None, action=StaffAction.REGISTER, actor=actor, mall=mall)
    received_at = received_at or timezone.now()
    if received_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"received_at": _("The time received cannot be in the future.")})
    if booth is not None and booth.mall_id != mall.pk:
        raise ValidationError({"booth": _("This booth is not in this mall.")})
    record = StaffComplaint(
        mall=mall,
        status=new_status,
        received_at=received_at,
        booth=booth,
        taken_by=actor,
        caller_name=(fields.get("caller_name") or "").strip(),
        caller_phone=normalise_phone(fields.get("caller_phone", "")),
        staff_name=(fields.get("staff_name") or "").strip(),
        issue=fields.get("issue", ""),
        description=(fields.get("description") or "").strip(),
    )
    record.number = issue_number("YG", mall, timezone.localdate(received_at))
    return save_by(record, actor)


@transaction.atomic
def staff_complaint_answer(*, record, actor, action_taken, result, answered_at=None):
    record, new_status = lock_and_check(record, STAFF_TRANSITIONS, StaffAction.ANSWER, actor)
    errors = {}
    if not (action_taken or "").strip():
        errors["action_taken"] = _("Write down what was done.")
    if not (result or "").strip():
        errors["result"] = _("Write down the result the customer was given.")
    answered_at = answered_at or timezone.now()
    if answered_at > timezone.now() + timedelta(minutes=5):
        errors["answered_at"] = _("This time cannot be in the future.")
    elif answered_at < record.received_at:
        errors["answered_at"] = _("The customer cannot be answered before the call came in.")
    if errors:
        raise ValidationError(errors)
    record.action_taken = action_taken.strip()
    record.result = result.strip()
    record.answered_at = answered_at
    record.status = new_status
    return save_by(record, actor, update_fields=["action_taken", "result", "answered_at", "status"])


@transaction.atomic
def staff_complaint_sign_off(*, record, actor):
    record, new_status = lock_and_check(record, STAFF_TRANSITIONS, StaffAction.SIGN_OFF, actor)
    record.signed_off_by = actor
    record.signed_off_at = timezone.now()
    record.status = new_status
    return save_by(record, actor, update_fields=["signed_off_by", "signed_off_at", "status"])
