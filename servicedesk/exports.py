"""Spreadsheet safety, both ways: what the desk exports and what it imports.

Exports: a cell whose text starts with = + - @ (or a tab or carriage return) is a formula to
Excel and WPS; a merchant's brand or a customer's note typed as =HYPERLINK("http://…") would run
on the manager's PC when the register is opened (CSV/Excel injection). `safe_cell` prefixes such
text with an apostrophe so it is shown as typed. Numbers, dates and booleans are left alone.

Imports: an .xlsx file is a zip archive. A few kilobytes can unpack to gigabytes (a zip bomb) and
openpyxl would try; `check_xlsx_archive` refuses such a file from its table of contents, before
anything is unpacked.
"""

import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# A 5,000-row roster or a month of sales unpacks to a few MB; allow ample room, refuse absurd.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 1000


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values):
    return [safe_cell(value) for value in values]


def append_row(sheet, values):
    """sheet.append with every text cell made safe: use it for every row that holds typed data."""
    sheet.append(safe_row(values))


def check_xlsx_archive(file):
    """Refuse an .xlsx (path or file object) that is not a zip or would unpack to an absurd size."""
    position = file.tell() if hasattr(file, "tell") else None
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ValidationError(_("The Excel file cannot be read."), code="not_xlsx") from error
    finally:
        if position is not None:
            file.seek(position)
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members) or 1
    if len(members) > MAX_MEMBERS or unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_RATIO:
        raise ValidationError(
            _("The Excel file would unpack to %(size)d MB; it is refused as unsafe. Save it again from Excel.")
            % {"size": unpacked // (1024 * 1024)},
            code="zip_bomb",
        )
