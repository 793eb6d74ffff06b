from .broadcast import (
    ANNOUNCEMENT_TEXT_MAX,
    ANNOUNCEMENT_TYPES,
    NEEDS_APPROVAL,
    BroadcastPlay,
    BroadcastScript,
    BroadcastSlot,
    PlayStatus,
    SlotType,
    Weekday,
)
from .desk import Channel, ConversionKind, Enquiry, EnquiryTopic, Handover, Shift
from .policy import FrontDeskPolicy
from .supervision import CHECKLISTS, CheckChannel, SpotCheck, SpotCheckItem, checklist

__all__ = [
    "ANNOUNCEMENT_TEXT_MAX",
    "ANNOUNCEMENT_TYPES",
    "CHECKLISTS",
    "NEEDS_APPROVAL",
    "BroadcastPlay",
    "BroadcastScript",
    "BroadcastSlot",
    "Channel",
    "CheckChannel",
    "ConversionKind",
    "Enquiry",
    "EnquiryTopic",
    "FrontDeskPolicy",
    "Handover",
    "PlayStatus",
    "Shift",
    "SlotType",
    "SpotCheck",
    "SpotCheckItem",
    "Weekday",
    "checklist",
]
