"""Complaint models, split by subject; everything is importable from `complaints.models`."""

from .choices import (
    ADDRESS_CATEGORIES,
    ADDRESS_DEMANDS,
    FACE_TO_FACE_CHANNELS,
    FINAL_STATES,
    OPEN_STATES,
    REFERRAL_CHANNELS,
    Action,
    CallbackResponse,
    Category,
    Channel,
    Demand,
    ExternalBody,
    MerchantRemedy,
    MerchantReply,
    NotAcceptedReason,
    Result,
    Status,
    needs_address,
)
from .clocks import ComplaintDeadline, ComplaintPause, DeadlineKind
from .complaint import AMOUNT_MAX, TEXT_MAX, Complaint, ComplaintPolicy
from .records import ComplaintAttachment, EntryKind, HandlingEntry
from .staff import StaffComplaint, StaffComplaintStatus, StaffIssue
from .transitions import TRANSITIONS, allowed_actions

__all__ = [
    "ADDRESS_CATEGORIES",
    "ADDRESS_DEMANDS",
    "AMOUNT_MAX",
    "FACE_TO_FACE_CHANNELS",
    "FINAL_STATES",
    "OPEN_STATES",
    "REFERRAL_CHANNELS",
    "TEXT_MAX",
    "TRANSITIONS",
    "Action",
    "CallbackResponse",
    "Category",
    "Channel",
    "Complaint",
    "ComplaintAttachment",
    "ComplaintDeadline",
    "ComplaintPause",
    "ComplaintPolicy",
    "DeadlineKind",
    "Demand",
    "EntryKind",
    "ExternalBody",
    "HandlingEntry",
    "MerchantRemedy",
    "MerchantReply",
    "NotAcceptedReason",
    "Result",
    "StaffComplaint",
    "StaffComplaintStatus",
    "StaffIssue",
    "Status",
    "allowed_actions",
    "needs_address",
]
