"""Spreadsheets in and out: zip bombs refused before openpyxl unpacks them; formulas typed into
the desk (or imported from a cashier's file) come out of every export as plain text."""

import io
import re
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from followups.models import Callback, ImportStatus, Sale
from followups.services import sales_import_file
from merchants.models import Merchant
from servicedesk.exports import check_xlsx_archive, safe_cell
from servicedesk.roles import Role
from tests.followups.factories import sale_row, write_csv, write_xlsx
from tests.merchants.factories import BoothFactory, MerchantFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/x","点此领奖")'


def zip_bomb(megabytes=40):
    """An .xlsx-named zip whose one member unpacks to `megabytes` of zeros (~1000:1)."""
    buffer = io.BytesIO()
    block = b"\0" * (1024 * 1024)
    with (
        zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member,
    ):
        for _ in range(megabytes):
            member.write(block)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+8613812345678", "'+8613812345678"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("沙发", "沙发"),
        (-2, -2),
        (None, None),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_a_zip_bomb_is_refused_from_its_table_of_contents():
    with pytest.raises(Exception, match=r"解压|unpack") as refused:
        check_xlsx_archive(io.BytesIO(zip_bomb()))
    assert refused.value.code == "zip_bomb"


def test_the_roster_import_refuses_a_zip_bomb_and_a_renamed_file(client, mall, staff):
    client.force_login(staff(Role.CLERK))
    for name, content in (("roster.xlsx", zip_bomb()), ("roster.xlsx", b"MZ\x90\x00 not a zip at all")):
        response = client.post(reverse("merchants:import"), {"file": SimpleUploadedFile(name, content)})
        assert response.status_code == 200
        assert "Excel" in response.content.decode()
    response = client.post(reverse("merchants:import"), {"file": SimpleUploadedFile("roster.exe", b"MZ")})
    assert response.status_code == 200
    assert not Merchant.objects.exists()


def test_the_sales_import_refuses_a_zip_bomb(mall, tmp_path):
    path = tmp_path / "sales.xlsx"
    path.write_bytes(zip_bomb())
    run = sales_import_file(mall=mall, path=path)
    assert run.status == ImportStatus.FAILED
    assert "解压" in run.error or "unpack" in run.error
    assert not Sale.objects.exists()


def read_back(response):
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]


def assert_no_formula(cells, text):
    hits = [cell for cell in cells if text in cell.value]
    assert hits, "the typed value is in the export"
    for cell in hits:
        assert cell.data_type == "s" and cell.value.startswith("'="), cell.value


def test_a_formula_imported_from_the_cashiers_file_is_text_in_the_callback_register(client, mall, staff, tmp_path):
    BoothFactory(merchant=MerchantFactory(mall=mall), number="2F-A-001")
    # In an .xlsx a formula is a formula: openpyxl reads values only, so the cell is empty and the
    # row is refused with a message. In a CSV it is text, stored as typed, made safe on export.
    row = sale_row(1, 商品=FORMULA, 送货日期=str(timezone.localdate()))
    refused = sales_import_file(mall=mall, path=write_xlsx(tmp_path / "sales.xlsx", [row]))
    assert refused.rejected == 1 and refused.problems[0]["column"] == "商品"
    run = sales_import_file(mall=mall, path=write_csv(tmp_path / "sales.csv", [row]))
    assert run.status == ImportStatus.DONE, run.problems
    assert not run.rejected, run.problems
    sale = Sale.objects.get()
    assert sale.goods == FORMULA  # stored as typed; made safe on the way out
    Callback.objects.create(
        sale=sale, mall=mall, customer=sale.customer, kind="after_sale", due_on=timezone.localdate(),
        deadline_on=timezone.localdate() + timedelta(days=6),
    )  # fmt: skip
    client.force_login(staff(Role.MANAGER))
    response = client.get(reverse("followups:register"), {"format": "xlsx"})
    assert_no_formula(read_back(response), "HYPERLINK")


def test_a_formula_typed_at_intake_is_text_in_the_complaint_register(client, mall, staff):
    booth = BoothFactory(merchant=MerchantFactory(mall=mall, brand=FORMULA))
    client.force_login(staff(Role.FRONT_DESK))
    response = client.post(
        reverse("complaints:intake"),
        {
            "customer_mobile": "13812345678",
            "customer_name": "=cmd|' /C calc'!A0",
            "customer_address": "-1+1",
            "channel": "walk_in",
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "booth": f"{booth.number} {booth.merchant.brand}",
            "purchase_date": (timezone.localdate() - timedelta(days=3)).isoformat(),
            "purchase_amount": "100.00",
            "goods": FORMULA,
            "voucher_number": "SY1",
            "paid_via_unified_cashier": "yes",
            "category": "Q",
            "demand": "repair",
            "facts": "@SUM(1+1)*cmd|' /C calc'!A0",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    client.force_login(staff(Role.MANAGER))
    cells = read_back(client.get(reverse("complaints:register_export")))
    assert_no_formula(cells, "HYPERLINK")
    assert not [cell for cell in cells if cell.data_type == "f"]


# CSV written for the database, never for a person: the sales import's COPY into its temporary
# table (issue 22). A cell there is data PostgreSQL reads, not a formula a spreadsheet runs.
NOT_EXPORTS = {"followups/services/sales_copy.py"}


def test_no_export_writes_a_row_without_making_it_safe():
    """Every workbook the desk writes goes through servicedesk.exports.append_row."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for app in ("complaints", "compensations", "returns", "followups", "merchants", "reports", "frontdesk")
        for path in (root / app).rglob("*.py")
        if "migrations" not in path.parts and re.search(r"\w*sheet\w*\.append\(|writerows?\(", path.read_text())
    ]
    assert set(offenders) <= NOT_EXPORTS, offenders


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("invoice.pdf", b"MZ\x90\x00\x03 a Windows program", "upload_content"),
        ("photo.php.jpg", b"<?php system($_GET['c']); ?>", "upload_content"),
        ("photo.png", b"PK\x03\x04 a zip renamed", "upload_content"),
        ("drawing.svg", b"<svg onload=alert(1)>", "upload_type"),
        ("report.html", b"<script>alert(1)</script>", "upload_type"),
        ("noextension", b"%PDF-1.4", "upload_type"),
        ("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "upload_size"),
    ],
)
def test_uploads_with_a_wrong_type_fake_extension_or_too_large_are_refused(name, content, code):
    from django.core.exceptions import ValidationError

    from servicedesk.uploads import validate_document

    with pytest.raises(ValidationError) as refused:
        validate_document(SimpleUploadedFile(name, content))
    assert refused.value.code == code
