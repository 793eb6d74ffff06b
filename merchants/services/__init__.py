"""Every write of the merchants app. Views, tasks, imports and other apps call these."""

from .accounts import (
    merchant_invitation_accept,
    merchant_invitation_open,
    merchant_user_deactivate,
    merchant_user_invite,
)
from .booths import booth_assign, booth_release, merchant_at
from .deposit import deposit_balance, deposit_collect, deposit_deduct, deposit_top_up
from .entry import (
    document_upload,
    merchant_activate,
    merchant_register,
    merchant_update,
    merchant_verify,
    missing_documents,
)
from .exit import deposit_hold_scan, merchant_confirm_exit, merchant_notice_exit, merchant_release_deposit
from .inspections import (
    inspection_mark_fixed,
    inspection_record,
    inspection_report_fixed,
    merchant_clear_flag,
    weekly_coverage,
)
from .roster_import import import_roster

__all__ = [
    "booth_assign",
    "booth_release",
    "deposit_balance",
    "deposit_collect",
    "deposit_deduct",
    "deposit_hold_scan",
    "deposit_top_up",
    "document_upload",
    "import_roster",
    "inspection_mark_fixed",
    "inspection_record",
    "inspection_report_fixed",
    "merchant_activate",
    "merchant_at",
    "merchant_clear_flag",
    "merchant_confirm_exit",
    "merchant_invitation_accept",
    "merchant_invitation_open",
    "merchant_notice_exit",
    "merchant_register",
    "merchant_release_deposit",
    "merchant_update",
    "merchant_user_deactivate",
    "merchant_user_invite",
    "merchant_verify",
    "missing_documents",
    "weekly_coverage",
]
