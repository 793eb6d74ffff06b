"""What the customer's page shows of each kind of case: loading it in one query, when it ended,
and a customer-facing timeline. Only fields fit for the customer are read here: never the
internal handling log, the merchant's reply text, or staff names."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import CaseType


@dataclass
class Step:
    label: str
    at: object = None
    detail: str = ""


def load_case(case_type, case_id):
    if case_type == CaseType.COMPLAINT:
        from complaints.models import Complaint

        return Complaint.objects.select_related("mall").filter(pk=case_id).first()
    return None


def ended_at(case_type, case):
    if case_type == CaseType.COMPLAINT:
        return case.closed_at
    return None


def complaint_view(complaint):
    """(timeline, next step text, actions the customer may take) for a complaint."""
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
    if complaint.callback_at:
        steps.append(Step(_("Called back"), complaint.callback_at, complaint.get_callback_response_display()))
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
