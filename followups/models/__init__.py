"""Followups models, split by subject; everything is importable from `followups.models`."""

from .callbacks import (
    CALLBACK_STAFF,
    CALLBACK_TRANSITIONS,
    COMPLAINT_KINDS,
    FINISHED_CALLBACK_STATES,
    OPEN_CALLBACK_STATES,
    REACHED,
    SALE_KINDS,
    SATISFIED,
    AnswerSource,
    Callback,
    CallbackAttempt,
    CallbackKind,
    CallbackPolicy,
    CallbackStatus,
    Outcome,
)
from .sales import ImportStatus, Sale, SalesImport
from .visits import HomeVisit, HomeVisitPhoto

__all__ = [
    "CALLBACK_STAFF",
    "CALLBACK_TRANSITIONS",
    "COMPLAINT_KINDS",
    "FINISHED_CALLBACK_STATES",
    "OPEN_CALLBACK_STATES",
    "REACHED",
    "SALE_KINDS",
    "SATISFIED",
    "AnswerSource",
    "Callback",
    "CallbackAttempt",
    "CallbackKind",
    "CallbackPolicy",
    "CallbackStatus",
    "HomeVisit",
    "HomeVisitPhoto",
    "ImportStatus",
    "Outcome",
    "Sale",
    "SalesImport",
]
