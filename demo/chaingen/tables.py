"""The tables the generator writes, parents before children, with every NOT NULL column named
(Django keeps defaults in Python, not in the database, so COPY must give them all)."""

from .copywriter import CopyTable

COLUMNS = {
    "servicedesk_mall": "id code name city address service_phone opens_at closes_at is_active",
    "auth_user": "id password is_superuser username first_name last_name email is_staff is_active date_joined",
    "servicedesk_staffmembership": "id role is_active created_at mall_id user_id",
    "merchants_merchant": (
        "id company_name brand credit_code legal_representative contact_name mobile category status "
        "contract_start contract_end notes created_at mall_id after_sales_agent after_sales_contact "
        "after_sales_phone deposit_hold_until deposit_required exit_notice_date exited_on flagged flagged_reason "
        "other_brands planned_exit_date"
    ),
    "merchants_booth": "id floor zone number area is_active mall_id merchant_id",
    "merchants_boothtenancy": "id start_date end_date booth_id mall_id merchant_id",
    "servicedesk_customer": "id name mobile other_phone address notes created_at mall_id",
    "complaints_complaint": (
        "id number status channel received_at official_visit purchase_date voucher_number "
        "paid_via_unified_cashier goods goods_model purchase_amount delivery_date category category_other demand "
        "demand_other facts claimed_amount first_contact_at assigned_at forwarded_at merchant_replied_at "
        "merchant_reply merchant_reply_text merchant_remedy proposed_at proposal resolved_at result customer_agreement "
        "settled_amount not_accepted_reason external_body decision_note "
        "reopen_count needs_escalation closed_at created_at assignee_id booth_id "
        "customer_id mall_id merchant_id registered_by_id"
    ),
    "complaints_complaintdeadline": "id kind started_at due_at met_at complaint_id",
    "complaints_handlingentry": "id kind happened_at text created_at author_id complaint_id",
    "compensations_compensation": (
        "id number status reason loss_price loss_costs loss_penalties amount merchant_position "
        "paid_via_unified_cashier deposit_balance_at_proposal proposal_note proposed_at tier chain next_tier "
        "waiting_since approved_at rejected_at payment_due_on paid_at payment_method payment_reference "
        "upload_token receipt claim_assigned recovered_amount written_off_amount write_off_reason closed_at "
        "form_pdf form_pdf_version created_at complaint_id mall_id merchant_id paid_by_id proposed_by_id"
    ),
    "compensations_compensationapproval": "id step tier decision decided_at comment approver_id compensation_id",
    "compensations_compensationrecovery": (
        "id kind amount received_on reference recorded_at compensation_id recorded_by_id"
    ),
    "merchants_depositentry": (
        "id kind amount entry_date reason source_id recorded_at mall_id merchant_id recorded_by_id source_type_id"
    ),
    "returns_returnrequest": (
        "id number status kind requested_on registered_at voucher_number via_unified_cashier goods model quantity "
        "price_paid payment_date delivery_date custom_made sample special_price imported_special_order installed "
        "gifts eligible ineligibility_reasons override_reason merchant_agrees merchant_reply merchant_replied_at "
        "decided_at refusal_reason pickup_date pickup_address driver goods_received_on not_intact_reasons "
        "inspection_note gifts_returned freight_payer freight_fee installation_fee repackaging_fee gift_deduction "
        "refund_amount refund_method refunded_at refund_reference delay_flagged closed_at booth_id customer_id "
        "decided_by_id mall_id merchant_id registered_by_id"
    ),
    "followups_sale": (
        "id order_number paid_at goods model quantity amount delivery_date warranty_months warranty_ends_on "
        "created_at booth_id customer_id mall_id merchant_id"
    ),
    "followups_callback": (
        "id kind round due_on deadline_on status attempts first_attempt_at outcome note finished_at overdue_at "
        "created_at assignee_id complaint_id customer_id mall_id sale_id source"
    ),
    "followups_callbackattempt": "id number made_at outcome note callback_id made_by_id source",
    "servicedesk_numbersequence": "id prefix day last mall_id",
}


def open_tables(cursor):
    """{table name: CopyTable}, in the order their rows must reach the database."""
    tables = {name: CopyTable(cursor, name, columns.split()) for name, columns in COLUMNS.items()}
    in_order = list(tables.values())
    for n, table in enumerate(in_order):
        table.parents = in_order[:n]
    set_defaults(tables)
    return tables


# What a left-out NOT NULL column holds (Django's field defaults: "" for texts, False, 0, []).
_EMPTY_TEXT = {
    "complaints_complaint": (
        "voucher_number goods goods_model category_other demand_other merchant_reply merchant_reply_text "
        "merchant_remedy proposal result customer_agreement not_accepted_reason external_body decision_note"
    ),
    "compensations_compensation": (
        "merchant_position proposal_note next_tier payment_method payment_reference upload_token receipt "
        "write_off_reason form_pdf form_pdf_version"
    ),
    "returns_returnrequest": (
        "voucher_number model gifts override_reason merchant_reply refusal_reason pickup_address driver "
        "inspection_note freight_payer refund_method refund_reference"
    ),
    "merchants_merchant": (
        "credit_code legal_representative contact_name mobile notes after_sales_agent after_sales_contact "
        "after_sales_phone flagged_reason other_brands"
    ),
    "servicedesk_customer": "other_phone notes",
    "followups_callback": "outcome note",
    "followups_callbackattempt": "note",
    "compensations_compensationapproval": "comment",
    "compensations_compensationrecovery": "reference",
}
_OTHER_DEFAULTS = {
    "complaints_complaint": {
        "official_visit": False,
        "paid_via_unified_cashier": True,
        "reopen_count": 0,
        "needs_escalation": False,
    },
    "compensations_compensation": {
        "loss_costs": 0,
        "loss_penalties": 0,
        "paid_via_unified_cashier": True,
        "claim_assigned": False,
        "recovered_amount": 0,
        "written_off_amount": 0,
    },
    "returns_returnrequest": {
        **dict.fromkeys(("custom_made", "sample", "special_price", "imported_special_order", "installed"), False),
        "via_unified_cashier": True,
        "quantity": 1,
        "ineligibility_reasons": "[]",
        "not_intact_reasons": "[]",
        "gifts_returned": True,
        "delay_flagged": False,
        **dict.fromkeys(("freight_fee", "installation_fee", "repackaging_fee", "gift_deduction"), 0),
    },
    "merchants_merchant": {"flagged": False},
    # The chain's callbacks were all answered by phone (the survey by link is newer).
    "followups_callback": {"source": "phone"},
    "followups_callbackattempt": {"source": "phone"},
}


def set_defaults(tables):
    for name, columns in _EMPTY_TEXT.items():
        tables[name].defaults.update(dict.fromkeys(columns.split(), ""))
    for name, values in _OTHER_DEFAULTS.items():
        tables[name].defaults.update(values)
