"""The filtered register as an Excel workbook with the paper register's headers (Chinese, or English for
a reader working in English), totals in the last row."""

from django.utils import timezone
from django.utils.translation import pgettext, pgettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from servicedesk.exports import append_row

HEADERS = [
    (pgettext_lazy("register sheet", "Compensation no."), 22),
    (pgettext_lazy("register sheet", "Mall"), 8),
    (pgettext_lazy("register sheet", "Proposed at"), 17),
    (pgettext_lazy("register sheet", "Complaint no."), 22),
    (pgettext_lazy("register sheet", "Customer"), 10),
    (pgettext_lazy("register sheet", "Merchant's brand"), 14),
    (pgettext_lazy("register sheet", "Reason for compensation"), 12),
    (pgettext_lazy("register sheet", "Documented loss (yuan)"), 13),
    (pgettext_lazy("register sheet", "Compensation (yuan)"), 13),
    (pgettext_lazy("register sheet", "Approval tier"), 18),
    (pgettext_lazy("register sheet", "Status"), 12),
    (pgettext_lazy("register sheet", "Finally approved at"), 17),
    (pgettext_lazy("register sheet", "Paid at"), 17),
    (pgettext_lazy("register sheet", "Payment method"), 12),
    (pgettext_lazy("register sheet", "Recovered (yuan)"), 12),
    (pgettext_lazy("register sheet", "Written off (yuan)"), 12),
    (pgettext_lazy("register sheet", "Outstanding (yuan)"), 12),
]
MONEY_COLUMNS = (7, 8, 14, 15, 16)


def _when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def register_workbook(cases, totals):
    """`cases` comes from Compensation.objects.for_list() (no query per row)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = pgettext("register sheet", "Advance compensations")
    append_row(sheet, [str(title) for title, _width in HEADERS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, (_title, width) in enumerate(HEADERS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    for c in cases:
        append_row(
            sheet,
            [
                c.number,
                c.mall.code,
                _when(c.proposed_at),
                c.complaint.number,
                c.complaint.customer.name,
                c.merchant.brand,
                c.get_reason_display(),
                c.documented_loss,
                c.amount,
                c.get_tier_display(),
                c.get_status_display(),
                _when(c.approved_at),
                _when(c.paid_at),
                c.get_payment_method_display(),
                c.recovered_amount,
                c.written_off_amount,
                c.outstanding,
            ],
        )
    append_row(
        sheet,
        [
            pgettext("register sheet", "Total"),
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            totals["proposed"],
            "",
            "",
            "",
            "",
            "",
            totals["recovered"],
            totals["written_off"],
            totals["outstanding"],
        ],
    )
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2):
        for index in MONEY_COLUMNS:
            row[index].number_format = "#,##0.00"
    return workbook
