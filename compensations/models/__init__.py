"""Advance compensation models; everything is importable from `compensations.models`."""

from .choices import (
    APPROVED_STATES,
    OPEN_STATES,
    OWING_STATES,
    PAID_STATES,
    Action,
    Decision,
    PaymentMethod,
    Reason,
    RecoveryKind,
    Status,
    Tier,
)
from .compensation import (
    AMOUNT_MAX,
    TEXT_MAX,
    ZERO,
    Compensation,
    CompensationApproval,
    CompensationEvidence,
    CompensationRecovery,
)
from .policy import TIER_ROLES, CompensationPolicy
from .transitions import TRANSITIONS

__all__ = [
    "AMOUNT_MAX",
    "APPROVED_STATES",
    "OPEN_STATES",
    "OWING_STATES",
    "PAID_STATES",
    "TEXT_MAX",
    "TIER_ROLES",
    "TRANSITIONS",
    "ZERO",
    "Action",
    "Compensation",
    "CompensationApproval",
    "CompensationEvidence",
    "CompensationPolicy",
    "CompensationRecovery",
    "Decision",
    "PaymentMethod",
    "Reason",
    "RecoveryKind",
    "Status",
    "Tier",
]
