"""The filtered register as an Excel workbook with Chinese headers (what head office asks for)."""

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from servicedesk.exports import append_row
from servicedesk.phones import mask_phone

HEADERS = [
    ("投诉编号", 22),
    ("商场", 8),
    ("受理时间", 17),
    ("渠道", 10),
    ("顾客姓名", 10),
    ("联系电话", 14),
    ("展位号", 10),
    ("商户品牌", 14),
    ("商品", 16),
    ("购买金额（元）", 12),
    ("统一收银", 8),
    ("投诉类别", 16),
    ("诉求", 10),
    ("事实经过", 40),
    ("索赔金额（元）", 12),
    ("状态", 12),
    ("处理人", 10),
    ("下一时限", 17),
    ("处理结果", 10),
    ("和解金额（元）", 12),
    ("结案时间", 17),
]


def _when(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def register_workbook(complaints):
    """`complaints` comes from Complaint.objects.for_register() (no query per row)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "投诉登记"
    append_row(sheet, [title for title, _width in HEADERS])
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
                c.merchant.brand if c.merchant_id else "不明",
                c.goods,
                c.purchase_amount,
                "是" if c.paid_via_unified_cashier else "否",
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
