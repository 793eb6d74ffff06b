"""The filtered register as an Excel workbook with the paper register's headers (what head office asks
for): Chinese by default, English for a reader working in English."""

from django.utils import timezone
from django.utils.translation import pgettext, pgettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from servicedesk.exports import append_row
from servicedesk.phones import mask_phone

HEADERS = [
    (pgettext_lazy("register sheet", "Complaint no."), 22),
    (pgettext_lazy("register sheet", "Mall"), 8),
    (pgettext_lazy("register sheet", "Received at"), 17),
    (pgettext_lazy("register sheet", "Channel"), 10),
    (pgettext_lazy("register sheet", "Customer's name"), 10),
    (pgettext_lazy("register sheet", "Phone"), 14),
    (pgettext_lazy("register sheet", "Booth no."), 10),
    (pgettext_lazy("register sheet", "Merchant's brand"), 14),
    (pgettext_lazy("register sheet", "Goods"), 16),
    (pgettext_lazy("register sheet", "Purchase amount (yuan)"), 12),
    (pgettext_lazy("register sheet", "Unified cashier"), 8),
    (pgettext_lazy("register sheet", "Complaint category"), 16),
    (pgettext_lazy("register sheet", "Demand"), 10),
    (pgettext_lazy("register sheet", "Facts"), 40),
    (pgettext_lazy("register sheet", "Amount claimed (yuan)"), 12),
    (pgettext_lazy("register sheet", "Status"), 12),
    (pgettext_lazy("register sheet", "Handled by"), 10),
    (pgettext_lazy("register sheet", "Next deadline"), 17),
    (pgettext_lazy("register sheet", "Result"), 10),
    (pgettext_lazy("register sheet", "Settled amount (yuan)"), 12),
    (pgettext_lazy("register sheet", "Closed at"), 17),
]


def _when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def register_workbook(complaints):
    """`complaints` comes from Complaint.objects.for_register() (no query per row)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = pgettext("register sheet", "Complaints")
    append_row(sheet, [str(title) for title, _width in HEADERS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, (_title, width) in enumerate(HEADERS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    for c in complaints:
        nxt = c.next_deadline
        append_row(
            sheet,
            [
                c.number,
                c.mall.code,
                _when(c.received_at),
                c.get_channel_display(),
                c.customer.name,
                mask_phone(c.customer.mobile),
                c.booth.number if c.booth_id else "",
                c.merchant.brand if c.merchant_id else pgettext("paper form", "unknown"),
                c.goods,
                c.purchase_amount,
                pgettext("register sheet", "yes") if c.paid_via_unified_cashier else pgettext("register sheet", "no"),
                c.category_label,
                c.demand_label,
                c.facts,
                c.claimed_amount,
                c.get_status_display(),
                (c.assignee.get_full_name() or c.assignee.username) if c.assignee_id else "",
                _when(nxt.due_at) if nxt else "",
                c.get_result_display(),
                c.settled_amount,
                _when(c.closed_at),
            ],
        )
    for row in sheet.iter_rows(min_row=2):
        for index in (9, 14, 19):
            row[index].number_format = "#,##0.00"
    return workbook
