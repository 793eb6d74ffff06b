"""Every write of the compensations app. Views, tasks, the admin and tests call these."""

from .approval import (
    AlreadyDecided,
    can_decide,
    compensation_approve,
    compensation_decide,
    compensation_reject,
)
from .payout import (
    compensation_close,
    compensation_pay,
    compensation_record_recovery,
    compensation_write_off,
    recovery_state,
    refuse_before_final_approval,
)
from .pdf import compensation_archive_form, form_context, render_form_pdf
from .proposal import attach_evidence, compensation_propose, validate_proposal
from .reminders import compensations_remind

__all__ = [
    "AlreadyDecided",
    "attach_evidence",
    "can_decide",
    "compensation_approve",
    "compensation_archive_form",
    "compensation_close",
    "compensation_decide",
    "compensation_pay",
    "compensation_propose",
    "compensation_record_recovery",
    "compensation_reject",
    "compensation_write_off",
    "compensations_remind",
    "form_context",
    "recovery_state",
    "refuse_before_final_approval",
    "render_form_pdf",
    "validate_proposal",
]
