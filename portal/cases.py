"""What the customer's page shows of each kind of case: loading it in one query, when it ended,
and a customer-facing timeline. Only fields fit for the customer are read here: never the
internal handling log, the merchant's reply text, or staff names."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from servicedesk.amounts import amount_text, yuan_text

from .models import CaseType


@dataclass
class Step:
    label: str
    at: object = None
    detail: str = ""


@dataclass(frozen=True)
class CaseKind:
    """A kind of case that an app above the portal owns (exchanges) and registers in its
    AppConfig.ready(), so the portal shows it without importing upwards. `view(case)` returns
    (timeline, next step, actions); `facts(case)` the (label, value) lines the customer reads."""

    case_type: str
    model_label: str  # "app_label.modelname"
    label: object  # lazy: "exchange", as in "Your exchange"
    load: Callable
    ended_at: Callable
    view: Callable
    status: Callable
    facts: Callable = lambda case: []


CASE_KINDS = {}


def register_case_kind(kind):
    CASE_KINDS[kind.case_type] = kind
    return kind


def load_case(case_type, case_id):
    if case_type in CASE_KINDS:
        return CASE_KINDS[case_type].load(case_id)
    if case_type == CaseType.COMPLAINT:
        from complaints.models import Complaint

        return Complaint.objects.select_related("mall").filter(pk=case_id).first()
    if case_type == CaseType.RETURN:
        from returns.models import ReturnRequest

        return ReturnRequest.objects.select_related("mall", "customer").filter(pk=case_id).first()
    if case_type == CaseType.COMPENSATION:
        from compensations.models import Compensation

        return Compensation.objects.select_related("mall", "complaint__customer").filter(pk=case_id).first()
    return None


def ended_at(case_type, case):
    if case_type in CASE_KINDS:
        return CASE_KINDS[case_type].ended_at(case)
    if case_type == CaseType.COMPLAINT:
        return case.closed_at
    if case_type == CaseType.RETURN:
        from returns.models import ReturnStatus

        return case.closed_at or (case.decided_at if case.status == ReturnStatus.REFUSED else None)
    if case_type == CaseType.COMPENSATION:
        # For the customer it is over once paid or rejected; recovering from the merchant is the
        # mall's business.
        return case.paid_at or case.rejected_at or case.closed_at
    return None


def customer_status(case_type, case):
    """The status as the customer reads it: a compensation's recovery from the merchant (recovering,
    written off ...) is the mall's business, so every state after the payout reads "paid"."""
    if case_type in CASE_KINDS:
        return CASE_KINDS[case_type].status(case)
    if case_type == CaseType.COMPENSATION:
        from compensations.models import Status as CS

        if case.status in (CS.PROPOSED, CS.APPROVED, CS.REJECTED):
            return {
                CS.PROPOSED: _("Under review"),
                CS.APPROVED: _("Approved, to be paid"),
                CS.REJECTED: _("Not approved"),
            }[case.status]
        return pgettext("compensation for the customer", "Paid")
    return case.get_status_display()


def compensation_view(c):
    """(timeline, next step text, actions) for an advance compensation: under review, approved
    with the amount, rejected, paid. Approvers, the merchant's position, the deposit and the
    recovery from the merchant never show."""
    from compensations.models import Status as CS

    amount = yuan_text(c.amount)
    steps = [Step(_("Referred to the mall's advance compensation review"), c.proposed_at)]
    if c.approved_at:
        steps.append(Step(_("Advance compensation approved"), c.approved_at, amount))
    if c.rejected_at:
        steps.append(Step(_("Advance compensation not approved"), c.rejected_at))
    if c.paid_at:
        steps.append(Step(_("Paid to you"), c.paid_at, f"{amount} · {c.get_payment_method_display()}"))
    next_step = ""
    if c.status == CS.PROPOSED:
        next_step = _("The mall is reviewing the advance compensation; we will tell you the decision.")
    elif c.status == CS.APPROVED and c.payment_due_on:
        next_step = _(
            "Please come to the customer service desk by %(day)s with your ID to sign the receipt and "
            "receive %(amount)s."
        ) % {"day": c.payment_due_on.isoformat(), "amount": amount}
    elif c.status == CS.APPROVED:
        next_step = _(
            "Please come to the customer service desk with your ID to sign the receipt and receive %(amount)s."
        ) % {"amount": amount}
    elif c.status == CS.REJECTED:
        next_step = _("The service desk will contact you about how else the case can be settled.")
    return steps, next_step, {"message": c.paid_at is None and c.rejected_at is None}


def return_view(r):
    """(timeline, next step text, actions) for a no-reason return request: registered, checked
    (with the desk's reasons when it is not covered), approved or refused, goods received,
    refunded, closed. The merchant's reply text and staff names never show."""
    from returns.models import ReturnStatus as RS

    steps = [Step(_("Return requested"), r.registered_at)]
    if r.eligible is False:
        steps.append(Step(_("Not covered by the no-reason promise"), None, " ".join(r.ineligibility_reasons)))
    if r.decided_at and r.status != RS.REFUSED:
        pickup = _("Pick-up on %(day)s") % {"day": r.pickup_date.isoformat()} if r.pickup_date else ""
        steps.append(Step(_("Return approved"), r.decided_at, pickup))
    if r.status == RS.REFUSED:
        steps.append(Step(_("Return refused"), r.decided_at, r.refusal_reason))
    if r.goods_received_on:
        steps.append(Step(_("Goods received"), None, r.goods_received_on.isoformat()))
    if r.refunded_at:
        amount = (
            _("%(amount)s yuan refunded") % {"amount": amount_text(r.refund_amount)}
            if r.refund_amount is not None
            else ""
        )
        steps.append(Step(_("Refunded"), r.refunded_at, amount))
    if r.closed_at:
        steps.append(Step(_("Closed"), r.closed_at))
    next_step = {
        RS.REQUESTED: _("The service desk will check your request and contact you."),
        RS.CHECKED: _("The service desk is asking the merchant and will tell you the decision."),
        RS.APPROVED: _("Please have the goods ready for pick-up, with the receipt and any gifts."),
        RS.GOODS_RECEIVED: _("We are checking the goods; the refund follows."),
        RS.INTACT: _("The goods are in order; the refund follows."),
        RS.NOT_INTACT: _("The service desk will contact you about the goods' condition."),
    }.get(r.status, "")
    return steps, next_step, {"message": r.closed_at is None and r.status != RS.REFUSED}


def complaint_view(complaint):
    """(timeline, next step text, actions the customer may take) for a complaint."""
    from complaints import callbacks
    from complaints.models import ComplaintPolicy, Status

    policy = ComplaintPolicy.for_mall(complaint.mall_id, on=timezone.localdate(complaint.received_at))
    steps = [Step(_("Registered"), complaint.received_at)]
    if complaint.first_contact_at:
        steps.append(Step(_("We contacted you"), complaint.first_contact_at))
    if complaint.forwarded_at:
        steps.append(Step(_("Forwarded to the merchant"), complaint.forwarded_at))
    if complaint.proposed_at:
        steps.append(Step(_("Proposed resolution"), complaint.proposed_at, complaint.proposal))
    if complaint.resolved_at:
        steps.append(Step(_("Resolved"), complaint.resolved_at, complaint.get_result_display()))
    # The service callbacks that reached the customer (by phone or their own survey answer), each round's.
    for callback in callbacks.service_callbacks(complaint) if complaint.resolved_at else ():
        if callback.response:
            steps.append(Step(_("Called back"), callback.reached_at, callback.response_label))
    if complaint.closed_at:
        ending = {
            Status.CLOSED: _("Closed"),
            Status.WITHDRAWN: _("Withdrawn"),
            Status.NOT_ACCEPTED: _("Not accepted"),
            Status.ESCALATED: _("Passed to the mall's advance compensation review"),
        }.get(complaint.status, _("Closed"))
        detail = complaint.get_not_accepted_reason_display() if complaint.status == Status.NOT_ACCEPTED else ""
        steps.append(Step(ending, complaint.closed_at, detail))

    status = complaint.status
    compensation = None
    if status == Status.ESCALATED:
        # The customer follows the advance compensation on the complaint's own link.
        compensation = complaint.compensations.order_by("-proposed_at", "-pk").first()
        if compensation is not None:
            steps.extend(compensation_view(compensation)[0][1:])
    survey = False
    if status == Status.RESOLVED:
        from followups.services import survey_for

        survey = survey_for(complaint) is not None
    next_step = ""
    if status == Status.REGISTERED and not complaint.first_contact_at:
        by = complaint.received_at + timedelta(hours=policy.first_contact_hours)
        next_step = _("We will contact you by %(when)s.") % {"when": _local(by)}
    elif status in (Status.REGISTERED, Status.ASSIGNED, Status.WITH_MERCHANT):
        by = complaint.received_at + timedelta(days=policy.resolution_days)
        next_step = _("We aim to propose a resolution by %(when)s.") % {"when": _local(by)}
    elif status == Status.PROPOSED and complaint.customer_agreement:
        next_step = _("You agreed to the proposal. We will carry it out and record the result.")
    elif status == Status.PROPOSED:
        next_step = _("Please read the proposal and tell us whether you agree.")
    elif status == Status.RESOLVED and survey:
        next_step = _("Please tell us how satisfied you are with how we handled it (below).")
    elif status == Status.RESOLVED:
        by = complaint.resolved_at + timedelta(days=policy.callback_days)
        next_step = _("We will ask you about our service by %(when)s.") % {"when": _local(by)}
    elif status == Status.EXTERNAL:
        next_step = _("The case is with %(body)s.") % {"body": complaint.get_external_body_display()}
    elif compensation is not None:
        next_step = compensation_view(compensation)[1]

    actions = {
        "accept": status == Status.PROPOSED and not complaint.customer_agreement,
        "reject": status == Status.PROPOSED,
        "withdraw": status in (Status.REGISTERED, Status.ASSIGNED, Status.WITH_MERCHANT, Status.PROPOSED),
        "message": complaint.closed_at is None,
        "survey": survey,
    }
    return steps, next_step, actions


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
