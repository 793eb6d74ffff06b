from .accounts import merchant_user_deactivate, merchant_users
from .inspections import inspection_fixed, inspection_list, inspection_notice, inspection_record_view
from .registry import (
    booth_add,
    deposit_entry_add,
    document_add,
    document_file,
    exit_checklist,
    merchant_confirm_exit_view,
    merchant_detail,
    merchant_edit,
    merchant_exit_view,
    merchant_file,
    merchant_flag_clear,
    merchant_list,
    merchant_register_view,
    merchant_transition,
)
from .roster import roster_import

__all__ = [
    "booth_add",
    "deposit_entry_add",
    "document_add",
    "document_file",
    "exit_checklist",
    "inspection_fixed",
    "inspection_list",
    "inspection_notice",
    "inspection_record_view",
    "merchant_confirm_exit_view",
    "merchant_detail",
    "merchant_edit",
    "merchant_exit_view",
    "merchant_file",
    "merchant_flag_clear",
    "merchant_list",
    "merchant_register_view",
    "merchant_transition",
    "merchant_user_deactivate",
    "merchant_users",
    "roster_import",
]
