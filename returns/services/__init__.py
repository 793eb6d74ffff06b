"""Every write of the returns app, one function per step of DOMAIN.md §3."""

from .flow import (
    return_approve,
    return_check,
    return_close,
    return_goods_back,
    return_inspect,
    return_merchant_reply,
    return_override,
    return_receive_goods,
    return_refund,
    return_refuse,
    return_register,
    return_register_online,
)
from .reminders import refund_reminder_scan

__all__ = [
    "refund_reminder_scan",
    "return_approve",
    "return_check",
    "return_close",
    "return_goods_back",
    "return_inspect",
    "return_merchant_reply",
    "return_override",
    "return_receive_goods",
    "return_refund",
    "return_refuse",
    "return_register",
    "return_register_online",
]
