"""Excel workbooks laid out like the paper forms: title, mall, period, Chinese headers, totals."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from servicedesk.exports import append_row

from .layout import CATEGORIES, CHANNELS, LINES, ROLLUP

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
FORMATS = {"count": "0", "rate": '0.0"%"', "money": "#,##0.00", "days": "0.0"}


def _value(figures, line):
    value = figures.get(line.key)
    return float(value) if value is not None and line.fmt != "count" else value


def _title(sheet, text, subtitle, width):
    append_row(sheet, [text])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = TITLE
    sheet["A1"].alignment = Alignment(horizontal="center")
    append_row(sheet, [subtitle])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet["A2"].alignment = Alignment(horizontal="center")


def mall_sheet(workbook, mall, period, figures):
    sheet = workbook.create_sheet(mall.code)
    _title(sheet, f"{mall.name}客服中心周报表", f"{period.first_day:%Y年%m月%d日} 至 {period.last_day:%Y年%m月%d日}", 3)
    append_row(sheet, ["项目", "指标", "数值"])
    for cell in sheet[3]:
        cell.font, cell.border = BOLD, BOX
    sheet.freeze_panes = "A4"
    for section, lines in LINES:
        for line in lines:
            append_row(sheet, [str(section), str(line.label), _value(figures, line)])
            row = sheet[sheet.max_row]
            row[2].number_format = FORMATS[line.fmt]
            for cell in row:
                cell.border = BOX
    for title, choices, key in (("按渠道", CHANNELS, "by_channel"), ("按类别", CATEGORIES, "by_category")):
        for code, label in choices:
            append_row(sheet, [title, str(label), figures[key].get(code, 0)])
            for cell in sheet[sheet.max_row]:
                cell.border = BOX
    for rank, merchant in enumerate(figures["top_merchants"], start=1):
        append_row(sheet, ["投诉最多商户", f"{rank}. {merchant['brand']}", merchant["n"]])
    append_row(sheet, [])
    append_row(sheet, ["制表：", "", "客服中心经理："])
    for column, width in zip("ABC", (16, 34, 16), strict=True):
        sheet.column_dimensions[column].width = width
    return sheet


def summary_sheet(workbook, malls, period, figures, totals):
    sheet = workbook.create_sheet("汇总", 0)
    headers = ["商场代码", "商场", *[str(line.label) for line in ROLLUP]]
    _title(
        sheet,
        "商场客服中心周报表（集团汇总）",
        f"{period.first_day:%Y年%m月%d日} 至 {period.last_day:%Y年%m月%d日}",
        len(headers),
    )
    append_row(sheet, headers)
    for cell in sheet[3]:
        cell.font, cell.border = BOLD, BOX
        cell.alignment = Alignment(wrap_text=True, horizontal="center")
    sheet.freeze_panes = "C4"
    for mall in malls:
        append_row(sheet, [mall.code, mall.name, *[_value(figures[mall.pk], line) for line in ROLLUP]])
    append_row(sheet, ["合计", "", *[_value(totals, line) for line in ROLLUP]])
    for row in sheet.iter_rows(min_row=4, max_row=sheet.max_row):
        for cell, line in zip(row[2:], ROLLUP, strict=True):
            cell.number_format = FORMATS[line.fmt]
        for cell in row:
            cell.border = BOX
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    for index in range(1, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 14
    return sheet


def weekly_workbook(malls, period, figures, totals=None, progress=None):
    """One sheet per mall; with `totals`, a head-office summary sheet first. `progress(done, all)`
    is told after each mall's sheet (the export page's progress bar)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    if totals is not None:
        summary_sheet(workbook, malls, period, figures, totals)
    for done, mall in enumerate(malls, start=1):
        mall_sheet(workbook, mall, period, figures[mall.pk])
        if progress is not None:
            progress(done, len(malls))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
