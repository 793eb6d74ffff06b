"""Every write of the exchanges app, one function per action of EXCHANGE_TRANSITIONS."""

from .flow import (
    exchange_agree_replacement,
    exchange_close,
    exchange_confirm,
    exchange_deliver,
    exchange_merchant_refuse,
    exchange_override,
    exchange_pick_up,
    exchange_record_freight,
    exchange_refuse,
    exchange_register,
    exchange_settle,
)

__all__ = [
    "exchange_agree_replacement",
    "exchange_close",
    "exchange_confirm",
    "exchange_deliver",
    "exchange_merchant_refuse",
    "exchange_override",
    "exchange_pick_up",
    "exchange_record_freight",
    "exchange_refuse",
    "exchange_register",
    "exchange_settle",
]
