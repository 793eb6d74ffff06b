import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from merchants.models import Booth, BoothTenancy, Merchant, MerchantStatus
from merchants.services import import_roster
from tests.merchants.factories import BoothFactory

pytestmark = pytest.mark.django_db

HEADERS = [
    "品牌",
    "公司名称",
    "统一社会信用代码",
    "法定代表人",
    "联系人",
    "手机",
    "经营类别",
    "楼层",
    "区域",
    "展位号",
    "面积",
    "合同开始",
    "合同结束",
    "保证金",
]
GOOD = [
    [
        "梵居沙发",
        "上海梵居家具有限公司",
        "91350100M000100Y43",
        "张三",
        "李四",
        "13812345678",
        "家具",
        "1F",
        "A",
        "1F-A-008",
        "120",
        "2025-01-01",
        "2027-12-31",
        "50000",
    ],
    [
        "明灯照明",
        "上海明灯照明电器有限公司",
        "",
        "",
        "",
        "",
        "灯饰照明",
        "4F",
        "D",
        "4F-D-006",
        "",
        "2025/03/01",
        "",
        "",
    ],
]


def csv_upload(rows, name="roster.csv", encoding="utf-8-sig"):
    lines = [",".join(HEADERS)] + [",".join(row) for row in rows]
    return SimpleUploadedFile(name, "\n".join(lines).encode(encoding), content_type="text/csv")


def xlsx_upload(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("roster.xlsx", buffer.getvalue())


@pytest.mark.parametrize("make", [csv_upload, xlsx_upload, lambda rows: csv_upload(rows, encoding="gb18030")])
def test_a_clean_roster_is_imported_whole(make, mall, clerk):
    result = import_roster(mall=mall, upload=make(GOOD), actor=clerk)
    assert result.ok and result.merchants == 2 and result.booths_created == 2
    sofa = Merchant.objects.get(brand="梵居沙发")
    assert sofa.status == MerchantStatus.ACTIVE
    assert str(sofa.deposit_required) == "50000.00"
    assert sofa.booths.get().number == "1F-A-008"
    assert BoothTenancy.objects.get(merchant=sofa).start_date.isoformat() == "2025-01-01"
    assert Merchant.objects.get(brand="明灯照明").category == "lighting"
    assert sofa.history.first().history_change_reason == "由商户花名册导入"


def test_one_bad_row_imports_nothing_and_every_problem_is_reported(mall, clerk):
    BoothFactory(merchant__mall=mall, number="2F-A-001")
    bad = [
        *GOOD,
        [
            "",
            "无品牌公司",
            "91350100M000100Y44",
            "",
            "",
            "1234",
            "家私",
            "2F",
            "",
            "2F-A-001",
            "abc",
            "2025-13-01",
            "",
            "-5",
        ],
        ["重复", "重复公司", "91350100M000100Y43", "", "", "", "家具", "1F", "", "1F-A-008", "", "", "", ""],
    ]
    result = import_roster(mall=mall, upload=csv_upload(bad), actor=clerk)
    assert not result.ok
    found = {(p.row, p.column) for p in result.problems}
    assert {
        (4, "品牌"),
        (4, "统一社会信用代码"),
        (4, "手机"),
        (4, "经营类别"),
        (4, "面积"),
        (4, "合同开始"),
        (4, "保证金"),
        (4, "展位号"),
        (5, "统一社会信用代码"),
        (5, "展位号"),
    } <= found
    assert not Merchant.objects.exclude(pk__in=[b.merchant_id for b in Booth.objects.all()]).exists()
    assert Merchant.objects.count() == 1, "only the booth holder made by the test exists"


def test_already_registered_credit_code_is_a_problem(mall, clerk):
    import_roster(mall=mall, upload=csv_upload(GOOD[:1]), actor=clerk)
    result = import_roster(mall=mall, upload=csv_upload([[*GOOD[0][:9], "1F-A-099", *GOOD[0][10:]]]), actor=clerk)
    assert [(p.row, p.column) for p in result.problems] == [(2, "统一社会信用代码")]


def test_missing_required_columns_are_named(mall, clerk):
    upload = SimpleUploadedFile("roster.csv", "品牌,公司名称\n甲,甲公司\n".encode())
    with pytest.raises(ValidationError) as error:
        import_roster(mall=mall, upload=upload, actor=clerk)
    assert "经营类别" in str(error.value) and "展位号" in str(error.value)


def test_other_file_types_are_refused(mall, clerk):
    with pytest.raises(ValidationError):
        import_roster(mall=mall, upload=SimpleUploadedFile("roster.xls", b"\xd0\xcf\x11\xe0"), actor=clerk)


def test_import_uses_a_fixed_number_of_queries(mall, clerk, django_assert_max_num_queries):
    rows = [
        [f"品牌{n}", f"公司{n}", "", "", "", "", "家具", "2F", "B", f"2F-B-{n:03d}", "", "", "", ""] for n in range(60)
    ]
    with django_assert_max_num_queries(40):
        result = import_roster(mall=mall, upload=csv_upload(rows), actor=clerk)
    assert result.merchants == 60
