"""Working a complaint: one service per action of the table in complaints.models.transitions.

Each service locks the row, checks the table and the actor's role (servicedesk.workflow.lock_and_check), applies
the rule of DOMAIN.md §2 for that action, saves only the fields it changed, writes a line to
the handling log and starts or stops the clocks the action affects.
"""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from merchants.accounts import merchants_own
from servicedesk.access import has_role, require_role
from servicedesk.amounts import amount_text
from servicedesk.customer_links import case_sms
from servicedesk.notifications import notify, staff_of
from servicedesk.roles import Role
from servicedesk.texts import event
from servicedesk.workflow import lock_and_check

from ..models import (
    OPEN_STATES,
    TRANSITIONS,
    Action,
    DeadlineKind,
    EntryKind,
    MerchantRemedy,
    MerchantReply,
    Result,
)
from .clocks import clock_start, clock_stop
from .common import LOCK_RELATED, complaint_url, log_action, move, require_text
from .intake import store_attachment

ASSIGNABLE_ROLES = (Role.COMPLAINT_OFFICER, Role.SUPERVISOR)
LOG_ROLES = (Role.FRONT_DESK, Role.COMPLAINT_OFFICER, Role.SUPERVISOR, Role.MANAGER)


@transaction.atomic
def complaint_acknowledge(*, complaint, actor, note=""):
    """First contact with the customer (24 h clock)."""
    complaint, new_status = lock_and_check(
        complaint, TRANSITIONS, Action.ACKNOWLEDGE, actor, related=LOCK_RELATED, merchant_party=merchants_own
    )
    if complaint.first_contact_at:
        raise ValidationError(_("The first contact was already recorded."))
    now = timezone.now()
    complaint.first_contact_at = now
    clock_stop(complaint, DeadlineKind.FIRST_CONTACT, at=now)
    text = (
        event("complaint.first_contact_note", note=note.strip()) if note.strip() else event("complaint.first_contact")
    )
    return move(
        complaint, actor=actor, action=Action.ACKNOWLEDGE, new_status=new_status, fields=["first_contact_at"], log=text
    )


@transaction.atomic
def complaint_identify_merchant(*, complaint, actor, booth):
    """Record the booth (and so the merchant) the customer could not name at intake."""
    from .intake import booth_was_active

    complaint, new_status = lock_and_check(
        complaint, TRANSITIONS, Action.IDENTIFY_MERCHANT, actor, related=LOCK_RELATED, merchant_party=merchants_own
    )
    if booth is None:
        raise ValidationError({"booth": _("Pick the booth.")})
    if booth.mall_id != complaint.mall_id:
        raise ValidationError({"booth": _("This booth is not in this mall.")})
    if not booth_was_active(booth, complaint.purchase_date):
        raise ValidationError(
            {"booth": _("Booth %(number)s was not trading on the purchase date.") % {"number": booth.number}}
        )
    complaint.booth = booth
    complaint.merchant = booth.merchant
    return move(
        complaint,
        actor=actor,
        action=Action.IDENTIFY_MERCHANT,
        new_status=new_status,
        fields=["booth", "merchant"],
        log=event("complaint.merchant_recorded", merchant=booth.merchant or "—", booth=booth.number),
    )


@transaction.atomic
def complaint_assign(*, complaint, actor, assignee):
    """The supervisor gives the complaint to an officer (or re-assigns it)."""
    complaint, new_status = lock_and_check(
        complaint, TRANSITIONS, Action.ASSIGN, actor, related=LOCK_RELATED, merchant_party=merchants_own
    )
    return _assign(complaint, actor, assignee, Action.ASSIGN, new_status)


@transaction.atomic
def complaint_take(*, complaint, actor):
    """An officer takes an unassigned complaint on."""
    complaint, new_status = lock_and_check(
        complaint, TRANSITIONS, Action.TAKE, actor, related=LOCK_RELATED, merchant_party=merchants_own
    )
    return _assign(complaint, actor, actor, Action.TAKE, new_status)


def _assign(complaint, actor, assignee, action, new_status):
    if assignee is None:
        raise ValidationError({"assignee": _("Choose who will handle the complaint.")})
    if not has_role(assignee, complaint.mall, *ASSIGNABLE_ROLES):
        raise ValidationError({"assignee": _("Only complaint officers and supervisors of this mall can handle it.")})
    now = timezone.now()
    complaint.assignee = assignee
    complaint.assigned_at = now
    clock_stop(complaint, DeadlineKind.ASSIGNMENT, at=now)
    move(
        complaint,
        actor=actor,
        action=action,
        new_status=new_status,
        fields=["assignee", "assigned_at"],
        log=event("complaint.assigned", name=assignee.get_full_name() or assignee.username),
    )
    if assignee != actor:
        notify(
            [assignee],
            key=f"complaint:{complaint.pk}:assigned:{now.timestamp():.0f}",
            title=event("notice.complaint_assigned", number=complaint.number),
            body=complaint.facts[:200],
            url=complaint_url(complaint),
            mall=complaint.mall,
        )
    return complaint


@transaction.atomic
def complaint_forward_to_merchant(*, complaint, actor, note=""):
    """Hand the complaint to the merchant; the merchant's 5-day reply clock starts."""
    complaint, new_status = lock_and_check(
        complaint, TRANSITIONS, Action.FORWARD, actor, related=LOCK_RELATED, merchant_party=merchants_own
    )
    if not complaint.merchant_id:
        raise ValidationError(_("The merchant is unknown; record the merchant first."))
    now = timezone.now()
    complaint.forwarded_at = now
    clock_start(complaint, DeadlineKind.MERCHANT_REPLY, now)
    return move(
        complaint,
        actor=actor,
        action=Action.FORWARD,
        new_status=new_status,
        fields=["forwarded_at"],
        log=(
            event("complaint.forwarded_note", merchant=complaint.merchant, note=note.strip())
            if note.strip()
            else event("complaint.forwarded", merchant=complaint.merchant)
        ),
    )


@transaction.atomic
def complaint_record_merchant_reply(
    *, complaint, actor, answer, reply, remedy="", amount=None, attachments=(), now=None
):
    """What the merchant said: recorded by the officer, or by the merchant's own user in the
    merchant portal. Stops the merchant's clock; a refusal marks the complaint for escalation.

    From the portal: the merchant answers once per forwarding, may propose a remedy (repair,
    exchange, return, an amount, an explanation) and attach photos; the assigned officer (or,
    with nobody assigned, the supervisors) is notified and the timeline shows it as the merchant's.
    """
    from merchants.accounts import is_merchant_user

    complaint, new_status = lock_and_check(
        complaint, TRANSITIONS, Action.MERCHANT_REPLY, actor, related=LOCK_RELATED, merchant_party=merchants_own
    )
    by_merchant = is_merchant_user(actor)
    errors = {}
    if answer not in MerchantReply.values:
        errors["answer"] = _("Choose the merchant's answer.")
    reply = (reply or "").strip()
    if not reply:
        errors["reply"] = (
            _("Explain your answer to the customer service centre.")
            if by_merchant
            else _("Write down what the merchant replied.")
        )
    if remedy and remedy not in MerchantRemedy.values:
        errors["remedy"] = _("Choose what you propose.")
    if answer == MerchantReply.PARTLY and not remedy:
        errors["remedy"] = _("Choose what you propose instead.")
    if answer != MerchantReply.PARTLY:
        remedy = ""
    if remedy == MerchantRemedy.AMOUNT:
        if amount is None:
            errors["amount"] = _("Enter the amount you offer.")
        elif Decimal(amount) <= 0:
            errors["amount"] = _("The amount must be more than 0.")
    else:
        amount = None
    if by_merchant and complaint.merchant_replied_at and complaint.merchant_replied_at >= complaint.forwarded_at:
        errors.setdefault("answer", _("Your answer to this complaint was already recorded."))
    from .intake import attachment_check

    for upload in attachments:
        try:
            attachment_check(upload)
        except ValidationError as error:
            errors.setdefault("attachments", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    complaint.merchant_replied_at = now
    complaint.merchant_reply = answer
    complaint.merchant_reply_text = reply
    complaint.merchant_remedy = remedy
    complaint.merchant_amount = amount
    complaint.merchant_replied_by = actor
    fields = [
        "merchant_replied_at",
        "merchant_reply",
        "merchant_reply_text",
        "merchant_remedy",
        "merchant_amount",
        "merchant_replied_by",
    ]
    if answer == MerchantReply.REFUSES and not complaint.needs_escalation:
        complaint.needs_escalation = True
        fields.append("needs_escalation")
    clock_stop(complaint, DeadlineKind.MERCHANT_REPLY, at=now)
    for upload in attachments:
        store_attachment(complaint, actor, upload)
    if by_merchant:
        log = event(
            "complaint.merchant_answered",
            answer=MerchantReply(answer).label,
            remedy=MerchantRemedy(remedy).label if remedy else "—",
            amount=amount if amount is not None else "—",
            reply=reply,
            files=len(attachments),
        )
    else:
        log = event("complaint.merchant_replied", answer=MerchantReply(answer).label, reply=reply)
    move(
        complaint,
        actor=actor,
        action=Action.MERCHANT_REPLY,
        new_status=new_status,
        fields=fields,
        log=log,
        log_kind=EntryKind.MERCHANT,
    )
    if by_merchant:
        notify(
            [complaint.assignee] if complaint.assignee_id else staff_of(complaint.mall, Role.SUPERVISOR),
            key=f"complaint:{complaint.pk}:merchant_answered:{now.timestamp():.0f}",
            title=event("notice.merchant_answered", number=complaint.number, merchant=str(complaint.merchant)),
            body=reply[:200],
            url=complaint_url(complaint),
            mall=complaint.mall,
        )
    return complaint


@transaction.atomic
def complaint_propose(*, complaint, actor, proposal):
    complaint, new_status = lock_and_check(
        complaint, TRANSITIONS, Action.PROPOSE, actor, related=LOCK_RELATED, merchant_party=merchants_own
    )
    complaint.proposal = require_text(proposal, "proposal", _("Describe the proposed resolution."))
    complaint.proposed_at = timezone.now()
    complaint.customer_agreement = ""  # a new proposal waits for the customer's answer again
    move(
        complaint,
        actor=actor,
        action=Action.PROPOSE,
        new_status=new_status,
        fields=["proposal", "proposed_at", "customer_agreement"],
        log=event("complaint.proposed", proposal=complaint.proposal),
    )
    case_sms(complaint, event="proposal_made", occasion=f"proposal:{complaint.proposed_at.timestamp():.0f}")
    return complaint


@transaction.atomic
def complaint_resolve(*, complaint, actor, result, customer_agreement, settled_amount=None):
    """The customer agrees: the result is recorded, the callback clock starts."""
    complaint, new_status = lock_and_check(
        complaint, TRANSITIONS, Action.RESOLVE, actor, related=LOCK_RELATED, merchant_party=merchants_own
    )
    errors = {}
    if result not in Result.values:
        errors["result"] = _("Choose the result.")
    agreement = (customer_agreement or "").strip()
    if not agreement:
        errors["customer_agreement"] = _("Record how the customer agreed (who, when, what was said).")
    if settled_amount is not None:
        settled_amount = Decimal(settled_amount)
        if settled_amount < 0:
            errors["settled_amount"] = _("The amount cannot be negative.")
        elif (
            result == Result.RETURNED
            and complaint.purchase_amount is not None
            and settled_amount > complaint.purchase_amount
        ):
            errors["settled_amount"] = _("A refund cannot be more than the %(paid)s yuan paid.") % {
                "paid": amount_text(complaint.purchase_amount)
            }
    if result == Result.COMPENSATED and not settled_amount:
        errors.setdefault("settled_amount", _("Enter the amount of compensation."))
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    complaint.result = result
    complaint.customer_agreement = agreement
    complaint.settled_amount = settled_amount
    complaint.resolved_at = now
    clock_stop(complaint, at=now)
    clock_start(complaint, DeadlineKind.CALLBACK, now)
    move(
        complaint,
        actor=actor,
        action=Action.RESOLVE,
        new_status=new_status,
        fields=["result", "customer_agreement", "settled_amount", "resolved_at"],
        log=event("complaint.resolved", result=Result(result).label, agreement=agreement),
    )
    with override("zh-hans"):
        result_text = str(Result(result).label)
    case_sms(complaint, event="case_resolved", occasion=f"resolved:{now.timestamp():.0f}", result=result_text)
    return complaint


@transaction.atomic
def complaint_reject_proposal(*, complaint, actor, note):
    complaint, new_status = lock_and_check(
        complaint, TRANSITIONS, Action.REJECT_PROPOSAL, actor, related=LOCK_RELATED, merchant_party=merchants_own
    )
    note = require_text(note, "note", _("Write down why the customer does not agree."))
    return move(
        complaint,
        actor=actor,
        action=Action.REJECT_PROPOSAL,
        new_status=new_status,
        log=event("complaint.disagrees", note=note),
    )


@transaction.atomic
def complaint_log(*, complaint, actor, kind, text, happened_at=None):
    """A line of 处理经过: a call, a visit, a merchant's words, a note."""
    require_role(actor, complaint.mall, *LOG_ROLES)
    if complaint.status not in OPEN_STATES:
        raise ValidationError(_("This complaint is finished; nothing more can be logged."))
    if kind not in EntryKind.values or kind == EntryKind.ACTION:
        raise ValidationError({"kind": _("Choose what kind of contact this was.")})
    text = require_text(text, "text", _("Write down what happened."))
    happened_at = happened_at or timezone.now()
    if happened_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"happened_at": _("This time cannot be in the future.")})
    return log_action(complaint, actor=actor, text=text, kind=kind, at=happened_at)


def assignable_staff(mall):
    return (
        get_user_model()
        .objects.filter(
            is_active=True, memberships__mall=mall, memberships__is_active=True, memberships__role__in=ASSIGNABLE_ROLES
        )
        .distinct()
        .order_by("first_name", "username")
    )
