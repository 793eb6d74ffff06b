"""Excel workbooks laid out like the paper forms: title, mall, period, headers, totals (the paper
form's Chinese, or English for a reader working in English).

The mall sheets and the head-office summary take their rows and columns from reports.layout,
so the workbook holds every figure the screens show.
"""

import io

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from servicedesk.exports import append_row

from .layout import CATEGORIES, CHANNELS, LINES, ROLLUP, ROLLUP_GROUPS, value

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
FORMATS = {"count": "0", "rate": '0.0"%"', "money": "#,##0.00", "days": "0.0"}


def _value(figures, line):
    v = value(figures, line.key)
    return float(v) if v is not None and line.fmt != "count" else v


def _title(sheet, text, subtitle, width):
    append_row(sheet, [text])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = TITLE
    sheet["A1"].alignment = Alignment(horizontal="center")
    append_row(sheet, [subtitle])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet["A2"].alignment = Alignment(horizontal="center")


def _dates(period):
    long_date = pgettext("paper form date", "F j, Y")
    first, last = date_format(period.first_day, long_date), date_format(period.last_day, long_date)
    return pgettext("paper form", "%(first)s to %(last)s (%(key)s)") % {"first": first, "last": last, "key": period.key}


def top_lines(figures):
    """The top-5 list as text rows: "1. 品牌 (SH01)", n; and the "N more with K" line."""
    rows = [
        (f"{m['rank']}. {m['brand']}" + (f" ({m['mall']})" if m.get("mall") else ""), m["n"])
        for m in figures["top_merchants"]
    ]
    more = figures["top_more"]
    if more:
        rows.append((_("and %(count)s more with %(n)s") % more, None))
    return rows


def mall_sheet(workbook, mall, period, figures):
    sheet = workbook.create_sheet(mall.code)
    _title(
        sheet,
        pgettext("paper form", "%(mall)s Customer Service Centre Weekly Report") % {"mall": mall.name},
        _dates(period),
        3,
    )
    append_row(
        sheet,
        [
            pgettext("register sheet", "Section"),
            pgettext("register sheet", "Figure"),
            pgettext("register sheet", "Value"),
        ],
    )
    for cell in sheet[3]:
        cell.font, cell.border = BOLD, BOX
    sheet.freeze_panes = "A4"
    for section, lines in LINES:
        for line in lines:
            append_row(sheet, [str(section), line.title(figures), _value(figures, line)])
            row = sheet[sheet.max_row]
            row[2].number_format = FORMATS[line.fmt]
            for cell in row:
                cell.border = BOX
    by_channel, by_category = pgettext("register sheet", "By channel"), pgettext("register sheet", "By category")
    for title, choices, key in ((by_channel, CHANNELS, "by_channel"), (by_category, CATEGORIES, "by_category")):
        for code, label in choices:
            append_row(sheet, [title, str(label), figures[key].get(code, 0)])
            for cell in sheet[sheet.max_row]:
                cell.border = BOX
    for label, n in top_lines(figures):
        append_row(sheet, [pgettext("register sheet", "Most complained-of merchants"), label, n])
    append_row(sheet, [])
    append_row(
        sheet, [pgettext("paper form", "Prepared by:"), "", pgettext("paper form", "Customer service centre manager:")]
    )
    for column, width in zip("ABC", (16, 40, 16), strict=True):
        sheet.column_dimensions[column].width = width
    return sheet


def summary_sheet(workbook, malls, period, figures, totals):
    """Every figure of a mall's report, one row per mall and the chain's row (rates from the
    sums), under a header of column groups; then the chain's top merchants."""
    sheet = workbook.create_sheet(pgettext("register sheet", "Summary"), 0)
    width = 2 + len(ROLLUP)
    _title(
        sheet,
        pgettext("paper form", "Mall Customer Service Centres Weekly Report (Group Rollup)"),
        _dates(period),
        width,
    )
    groups = [pgettext("register sheet", "Mall code"), pgettext("register sheet", "Mall")]
    column = 3
    for title, lines in ROLLUP_GROUPS:
        groups.extend([str(title)] + [None] * (len(lines) - 1))
    append_row(sheet, groups)
    for _group, lines in ROLLUP_GROUPS:
        if len(lines) > 1:
            sheet.merge_cells(start_row=3, start_column=column, end_row=3, end_column=column + len(lines) - 1)
        column += len(lines)
    append_row(sheet, ["", "", *[line.title(totals) for line in ROLLUP]])
    for row in (3, 4):
        for cell in sheet[row]:
            cell.font, cell.border = BOLD, BOX
            cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    sheet.merge_cells(start_row=3, start_column=1, end_row=4, end_column=1)
    sheet.merge_cells(start_row=3, start_column=2, end_row=4, end_column=2)
    sheet.freeze_panes = "C5"
    for mall in malls:
        append_row(sheet, [mall.code, mall.name, *[_value(figures[mall.pk], line) for line in ROLLUP]])
    append_row(sheet, [pgettext("register sheet", "Total"), "", *[_value(totals, line) for line in ROLLUP]])
    last = sheet.max_row
    for row in sheet.iter_rows(min_row=5, max_row=last):
        for cell, line in zip(row[2:], ROLLUP, strict=True):
            cell.number_format = FORMATS[line.fmt]
        for cell in row:
            cell.border = BOX
    for cell in sheet[last]:
        cell.font = BOLD
    sheet.column_dimensions["A"].width = 10
    sheet.column_dimensions["B"].width = 18
    for index in range(3, width + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 12
    append_row(sheet, [])
    append_row(sheet, [pgettext("register sheet", "Most complained-of merchants in the group")])
    sheet[sheet.max_row][0].font = BOLD
    for label, n in top_lines(totals) or [("—", None)]:
        append_row(sheet, ["", label, n])
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
