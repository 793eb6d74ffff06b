"""What a complaint waits for in each state, and who must do it (shown on its page)."""

from django.utils.translation import gettext as _

from servicedesk.next_step import next_step
from servicedesk.roles import Role

from .models import Status


def complaint_next_step(complaint, service_callback=None):
    """None once the complaint has ended (closed, not accepted, withdrawn)."""
    s, mall, assignee = complaint.status, complaint.mall, complaint.assignee
    officer = [assignee] if assignee else None
    if s == Status.REGISTERED:
        return next_step(
            _("assign it to a complaint officer (or an officer takes it)"),
            mall,
            (Role.SUPERVISOR, Role.COMPLAINT_OFFICER),
        )
    if s == Status.ASSIGNED:
        return next_step(
            _("contact the customer, forward to the merchant or propose a solution"),
            mall,
            (Role.COMPLAINT_OFFICER,),
            people=officer,
        )
    if s == Status.WITH_MERCHANT:
        return next_step(
            _("the merchant answers; the officer records the reply"),
            mall,
            (Role.COMPLAINT_OFFICER,),
            people=officer,
            party=complaint.merchant.brand if complaint.merchant_id else "",
        )
    if s == Status.PROPOSED:
        return next_step(
            _("the customer agrees to the proposal; the officer records it"),
            mall,
            (Role.COMPLAINT_OFFICER,),
            people=officer,
            party=complaint.customer.name,
        )
    if s == Status.RESOLVED:
        caller = service_callback.assignee if service_callback is not None else None
        return next_step(
            _("call the customer back (service callback)"),
            mall,
            (Role.COMPLAINT_OFFICER,),
            people=[caller] if caller else officer,
        )
    if s == Status.CALLED_BACK:
        return next_step(_("close the complaint"), mall, (Role.SUPERVISOR,))
    if s == Status.ESCALATED:
        if complaint.compensations.exists():
            return None  # the compensation's own page says who signs next
        return next_step(
            _("propose advance compensation"), mall, (Role.COMPLAINT_OFFICER, Role.SUPERVISOR), people=officer
        )
    if s == Status.EXTERNAL:
        return next_step(
            _("record the outcome the regulator or court reached"), mall, (Role.COMPLAINT_OFFICER,), people=officer
        )
    return None
