"""The filtered register as an Excel workbook with Chinese headers, totals in the last row."""

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from servicedesk.exports import append_row

HEADERS = [
    ("赔偿编号", 22),
    ("商场", 8),
    ("申请时间", 17),
    ("投诉编号", 22),
    ("顾客", 10),
    ("商户品牌", 14),
    ("赔偿原因", 12),
    ("损失合计（元）", 13),
    ("赔偿金额（元）", 13),
    ("审批层级", 18),
    ("状态", 12),
    ("终审时间", 17),
    ("付款时间", 17),
    ("付款方式", 12),
    ("已追偿（元）", 12),
    ("已核销（元）", 12),
    ("未追回（元）", 12),
]
MONEY_COLUMNS = (7, 8, 14, 15, 16)


def _when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def register_workbook(cases, totals):
    """`cases` comes from Compensation.objects.for_list() (no query per row)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "先行赔偿登记"
    append_row(sheet, [title for title, _width in HEADERS])
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
            "合计",
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
