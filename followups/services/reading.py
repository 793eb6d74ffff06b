"""Streamed reading of the cashier's export: .csv (UTF-8 or GB18030) or .xlsx, row by row.

Memory stays flat whatever the file's length: csv is read line by line, xlsx with openpyxl's
read-only mode. Each row comes out as (row number in the file, {field: raw value}).
"""

from operator import itemgetter
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from servicedesk.exports import check_xlsx_archive

# Column header -> field. The first row holds the headers, in any order; the names the
# cashier's exports use and a few everyday variants are all understood.
COLUMNS = {
    "订单号": "order_number",
    "付款时间": "paid_at",
    "顾客姓名": "customer_name",
    "手机": "mobile",
    "商户或展位": "merchant_or_booth",
    "商品": "goods",
    "型号": "model",
    "数量": "quantity",
    "金额": "amount",
    "送货日期": "delivery_date",
    "保修月数": "warranty_months",
}
ALIASES = {
    "销货单号": "order_number",
    "订单编号": "order_number",
    "支付时间": "paid_at",
    "顾客": "customer_name",
    "姓名": "customer_name",
    "手机号": "mobile",
    "联系电话": "mobile",
    "展位": "merchant_or_booth",
    "展位号": "merchant_or_booth",
    "商户": "merchant_or_booth",
    "商品名称": "goods",
    "规格型号": "model",
    "实收金额": "amount",
    "保修期（月）": "warranty_months",
    "order number": "order_number",
    "paid at": "paid_at",
    "customer": "customer_name",
    "mobile": "mobile",
    "merchant or booth": "merchant_or_booth",
    "goods": "goods",
    "model": "model",
    "quantity": "quantity",
    "amount": "amount",
    "delivery date": "delivery_date",
    "warranty months": "warranty_months",
}
REQUIRED = ("order_number", "paid_at", "customer_name", "mobile", "merchant_or_booth", "goods", "amount")
HEADER_BY_FIELD = {field: header for header, field in COLUMNS.items()}
SUFFIXES = (".csv", ".xlsx")


def field_of(header):
    header = str(header or "").strip()
    return COLUMNS.get(header) or ALIASES.get(header) or ALIASES.get(header.lower())


def header_map(headers):
    """{column index: field} for the columns we know; refuses a file missing a required one."""
    mapping = {}
    for index, header in enumerate(headers):
        field = field_of(header)
        if field and field not in mapping.values():
            mapping[index] = field
    missing = [HEADER_BY_FIELD[f] for f in REQUIRED if f not in mapping.values()]
    if missing:
        raise ValidationError(
            _("The first row must hold the column headers; missing: %(columns)s.") % {"columns": "、".join(missing)}
        )
    return mapping


def _encoding(path):
    """UTF-16 when the file starts with its byte-order mark (Excel's "Unicode text"), UTF-8
    (with or without BOM) if the start of the file decodes as such, else GB18030."""
    with open(path, "rb") as handle:
        head = handle.read(64 * 1024)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still UTF-8.
        if error.start < len(head) - 4:
            return "gb18030"
    return "utf-8-sig"


def _csv_rows(path):
    import csv

    with open(path, newline="", encoding=_encoding(path)) as handle:
        first = handle.readline()
        handle.seek(0)
        # Excel's "Unicode text" separates columns with tabs; a cashier's CSV with commas.
        delimiter = "\t" if first.count("\t") > first.count(",") else ","
        yield from csv.reader(handle, delimiter=delimiter)


def _xlsx_rows(path):
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        yield from workbook.active.iter_rows(values_only=True)
    finally:
        workbook.close()


def read_rows(path):
    """Yield (row number, {field: value}); row 1 is the header, blank rows are skipped."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValidationError(_("Upload the cashier's export as .csv or .xlsx."))
    if suffix == ".xlsx":
        check_xlsx_archive(path)
    rows = _csv_rows(path) if suffix == ".csv" else _xlsx_rows(path)
    try:
        headers = next(rows)
    except StopIteration:
        raise ValidationError(_("The file is empty.")) from None
    except UnicodeError:
        raise ValidationError(
            _("The file's characters cannot be read. Save it as CSV (UTF-8 or GB18030), Unicode text, or .xlsx.")
        ) from None
    except Exception:  # openpyxl's and csv's many ways of saying "not this format"
        raise ValidationError(
            _("The file cannot be read as a .csv or .xlsx table. Save it again from the cashier's export.")
        ) from None
    mapping = header_map(headers)
    fields, indexes = tuple(mapping.values()), tuple(mapping)
    pick, width = itemgetter(*indexes), max(indexes) + 1  # at least the 7 required columns
    csv_cells = suffix == ".csv"  # every cell a str: a blank row is one whose cells are all ""
    for number, row in enumerate(rows, start=2):
        if not (any(row) if csv_cells else any(cell not in (None, "") for cell in row)):
            continue
        if len(row) >= width:
            yield number, dict(zip(fields, pick(row), strict=True))
        else:
            yield number, {field: row[index] if index < len(row) else None for index, field in mapping.items()}


def count_rows(path):
    """Data rows in the file, for the progress bar (cheap: newlines, or the sheet's dimension)."""
    path = Path(path)
    if path.suffix.lower() == ".csv" and _encoding(path) == "utf-16":
        with open(path, encoding="utf-16", newline="") as handle:
            return max(0, sum(chunk.count("\n") for chunk in iter(lambda: handle.read(1024 * 1024), "")) - 1)
    if path.suffix.lower() == ".csv":
        lines = 0
        last = b"\n"
        with open(path, "rb") as handle:
            while chunk := handle.read(1024 * 1024):
                lines += chunk.count(b"\n")
                last = chunk[-1:]
        if last != b"\n":
            lines += 1
        return max(0, lines - 1)
    from openpyxl import load_workbook

    check_xlsx_archive(path)
    workbook = load_workbook(path, read_only=True)
    try:
        return max(0, (workbook.active.max_row or 1) - 1)
    finally:
        workbook.close()
