"""Import merchants and booths from a mall's merchant roster (商户花名册) in .xlsx or .csv.

Every row is checked first; if any row is wrong, nothing is imported and the report lists each
problem by row and column. A clean file is saved in one transaction with set-based inserts.
Imported merchants are already trading in the mall, so they start as `active`.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from servicedesk.access import require_role
from servicedesk.exports import check_xlsx_archive
from servicedesk.phones import MOBILE_RE, normalise_mobile

from ..credit_code import validate_credit_code
from ..models import MAX_AMOUNT, MERCHANT_EDITORS, Booth, BoothTenancy, Merchant, MerchantCategory, MerchantStatus

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024

# Roster column header -> field. The first row of the file holds the headers, in any order.
COLUMNS = {
    "品牌": "brand",
    "公司名称": "company_name",
    "统一社会信用代码": "credit_code",
    "法定代表人": "legal_representative",
    "联系人": "contact_name",
    "手机": "mobile",
    "经营类别": "category",
    "楼层": "floor",
    "区域": "zone",
    "展位号": "number",
    "面积": "area",
    "合同开始": "contract_start",
    "合同结束": "contract_end",
    "保证金": "deposit_required",
}
REQUIRED = ("brand", "company_name", "category", "floor", "number")
CATEGORY_BY_LABEL = {
    "家具": MerchantCategory.FURNITURE,
    "建材": MerchantCategory.BUILDING_MATERIALS,
    "软装家纺": MerchantCategory.SOFT_FURNISHINGS,
    "软装": MerchantCategory.SOFT_FURNISHINGS,
    "家纺": MerchantCategory.SOFT_FURNISHINGS,
    "灯饰照明": MerchantCategory.LIGHTING,
    "灯饰": MerchantCategory.LIGHTING,
    "照明": MerchantCategory.LIGHTING,
    "家用电器": MerchantCategory.APPLIANCES,
    "电器": MerchantCategory.APPLIANCES,
    "定制家居": MerchantCategory.CUSTOM,
    "定制": MerchantCategory.CUSTOM,
    "其他": MerchantCategory.OTHER,
}
HEADER_BY_FIELD = {value: key for key, value in COLUMNS.items()}


@dataclass
class RowProblem:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    merchants: int = 0
    booths_created: int = 0
    problems: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems


def read_rows(upload):
    """The file's rows as dicts keyed by field name, with their spreadsheet row numbers."""
    name = Path(upload.name).suffix.lower()
    if upload.size > MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 5 MB; split the roster.")})
    if name == ".csv":
        raw = upload.read()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationError({"file": _("The CSV file is neither UTF-8 nor GBK text.")})
        table = list(csv.reader(io.StringIO(text)))
    elif name == ".xlsx":
        from openpyxl import load_workbook

        try:
            check_xlsx_archive(upload)
        except ValidationError as error:
            raise ValidationError({"file": error.messages}) from error
        try:
            workbook = load_workbook(upload, read_only=True, data_only=True)
        except Exception as exc:
            raise ValidationError({"file": _("The Excel file cannot be read.")}) from exc
        sheet = workbook.worksheets[0]
        table = [list(row) for row in sheet.iter_rows(values_only=True)]
    else:
        raise ValidationError({"file": _("Upload the roster as .xlsx or .csv.")})
    if not table:
        raise ValidationError({"file": _("The file is empty.")})
    headers = [str(cell or "").strip() for cell in table[0]]
    missing = [HEADER_BY_FIELD[f] for f in REQUIRED if HEADER_BY_FIELD[f] not in headers]
    if missing:
        raise ValidationError({"file": _("These columns are missing: %s") % "、".join(missing)})
    index = {COLUMNS[h]: i for i, h in enumerate(headers) if h in COLUMNS}
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(str(c or "").strip() for c in cells):
            continue
        rows.append((number, {f: (cells[i] if i < len(cells) else None) for f, i in index.items()}))
    if len(rows) > MAX_ROWS:
        raise ValidationError({"file": _("At most %(n)d rows per file.") % {"n": MAX_ROWS}})
    return rows


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value, problems, row, column):
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-")
    try:
        parsed = date.fromisoformat(text)
    except ValueError:
        problems.append(RowProblem(row, column, _("Write the date as 2026-01-31.")))
        return None
    return parsed


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean_row(row, data, problems):
    merchant, booth = {}, {}
    for f, value in list(data.items()):
        if isinstance(value, str) and CONTROL.search(value):
            # A NUL byte cannot be stored by PostgreSQL (it was a 500): refused, column named.
            problems.append(
                RowProblem(
                    row, HEADER_BY_FIELD.get(f, f), _("Contains an invisible control character; correct this cell.")
                )
            )
            data[f] = CONTROL.sub("", value)
    for f in REQUIRED:
        if not _text(data.get(f)):
            problems.append(RowProblem(row, HEADER_BY_FIELD[f], _("This column is required.")))
    for f in ("brand", "company_name", "legal_representative", "contact_name"):
        merchant[f] = _text(data.get(f))[:100]
    code = _text(data.get("credit_code")).upper()
    if code:
        try:
            validate_credit_code(code)
        except ValidationError as error:
            problems.append(RowProblem(row, "统一社会信用代码", error.messages[0]))
    merchant["credit_code"] = code
    mobile = normalise_mobile(_text(data.get("mobile")))
    if mobile and not MOBILE_RE.match(mobile):
        problems.append(RowProblem(row, "手机", _("Not a mainland mobile number.")))
    merchant["mobile"] = mobile
    label = _text(data.get("category"))
    if label and label not in CATEGORY_BY_LABEL:
        problems.append(
            RowProblem(row, "经营类别", _("Unknown category; use one of: %s") % "、".join(CATEGORY_BY_LABEL))
        )
    merchant["category"] = CATEGORY_BY_LABEL.get(label, MerchantCategory.OTHER)
    merchant["contract_start"] = _date(data.get("contract_start"), problems, row, "合同开始")
    merchant["contract_end"] = _date(data.get("contract_end"), problems, row, "合同结束")
    start, end = merchant["contract_start"], merchant["contract_end"]
    if start and end and end < start:
        problems.append(RowProblem(row, "合同结束", _("The contract cannot end before it starts.")))
    for f, column, limit in (("deposit_required", "保证金", MAX_AMOUNT), ("area", "面积", Decimal("100000"))):
        text = _text(data.get(f)).replace(",", "")
        value = None
        if text:
            try:
                value = Decimal(text)
                if not value.is_finite():  # "NaN", "Infinity": Decimal takes them, comparisons fail
                    raise InvalidOperation
                value = value.quantize(Decimal("0.01"))
            except InvalidOperation:
                value = None
                problems.append(RowProblem(row, column, _("Not a number.")))
            else:
                if value < 0 or value > limit:
                    problems.append(RowProblem(row, column, _("Out of range.")))
        (merchant if f == "deposit_required" else booth)[f] = value
    merchant["deposit_required"] = merchant["deposit_required"] or Decimal("0.00")
    booth["floor"] = _text(data.get("floor")).upper()[:10]
    booth["zone"] = _text(data.get("zone")).upper()[:10]
    booth["number"] = _text(data.get("number")).upper()[:20]
    return merchant, booth


def import_roster(*, mall, upload, actor):
    """Check every row; import all of them or none. Returns an ImportResult with the problems."""
    require_role(actor, mall, *MERCHANT_EDITORS)
    rows = read_rows(upload)
    problems, cleaned = [], []
    for row, data in rows:
        cleaned.append((row, *_clean_row(row, data, problems)))

    # Clashes inside the file and with what the mall already has, checked as sets.
    seen_codes, seen_booths = {}, {}
    for row, merchant, booth in cleaned:
        code = merchant["credit_code"]
        if code and code in seen_codes:
            problems.append(RowProblem(row, "统一社会信用代码", _("Same code as row %d.") % seen_codes[code]))
        seen_codes.setdefault(code, row)
        if booth["number"] in seen_booths:
            problems.append(RowProblem(row, "展位号", _("Same booth as row %d.") % seen_booths[booth["number"]]))
        seen_booths.setdefault(booth["number"], row)
    taken_codes = set(
        Merchant.objects.filter(mall=mall, credit_code__in=[c for c in seen_codes if c]).values_list(
            "credit_code", flat=True
        )
    )
    booths = {b.number: b for b in Booth.objects.filter(mall=mall, number__in=list(seen_booths))}
    for row, merchant, booth in cleaned:
        if merchant["credit_code"] in taken_codes:
            problems.append(RowProblem(row, "统一社会信用代码", _("Already registered in this mall.")))
        existing = booths.get(booth["number"])
        if existing and (existing.merchant_id or not existing.is_active):
            problems.append(RowProblem(row, "展位号", _("This booth is already taken or closed.")))

    if problems:
        return ImportResult(problems=sorted(problems, key=lambda p: p.row))
    return _save(mall, actor, cleaned, booths)


@transaction.atomic
def _save(mall, actor, cleaned, booths):
    today = timezone.localdate()
    reason = _("imported from the merchant roster")
    merchants = bulk_create_with_history(
        [Merchant(mall=mall, status=MerchantStatus.ACTIVE, **m) for _row, m, _b in cleaned],
        Merchant,
        default_user=actor,
        default_change_reason=reason,
    )
    if any(m.pk is None for m in merchants):  # databases that do not return ids
        by_code = {m.credit_code: m for m in Merchant.objects.filter(mall=mall, created_at__date=today)}
        merchants = [by_code[m.credit_code] for m in merchants]
    new_booths, reused = [], []
    for merchant, (_row, _m, b) in zip(merchants, cleaned, strict=True):
        booth = booths.get(b["number"])
        if booth is None:
            new_booths.append(Booth(mall=mall, merchant=merchant, **b))
        else:
            booth.merchant = merchant
            reused.append(booth)
    created = bulk_create_with_history(new_booths, Booth, default_user=actor, default_change_reason=reason)
    if reused:
        bulk_update_with_history(reused, Booth, ["merchant"], default_user=actor, default_change_reason=reason)
    booth_of = {b.number: b for b in [*created, *reused]}
    bulk_create_with_history(
        [
            BoothTenancy(
                mall=mall, booth=booth_of[b["number"]], merchant=merchant, start_date=m["contract_start"] or today
            )
            for merchant, (_row, m, b) in zip(merchants, cleaned, strict=True)
        ],
        BoothTenancy,
        default_user=actor,
        default_change_reason=reason,
    )
    return ImportResult(merchants=len(merchants), booths_created=len(created))
