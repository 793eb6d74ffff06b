"""The merchant screens: who may open and post what, mall isolation, fixed query counts."""

from decimal import Decimal

import pytest
from django.urls import reverse

from merchants.models import DepositEntry, Merchant, MerchantDocument, MerchantStatus, PriceTagInspection
from merchants.services import deposit_collect
from servicedesk.roles import Role
from tests.merchants.factories import BoothFactory, MerchantFactory, document_file

pytestmark = pytest.mark.django_db

READERS = {
    Role.FRONT_DESK,
    Role.COMPLAINT_OFFICER,
    Role.PRICE_TAG_OFFICER,
    Role.CLERK,
    Role.SUPERVISOR,
    Role.MANAGER,
    Role.HEAD_OFFICE,
}
EDITORS = {Role.CLERK, Role.MANAGER}

RECORD_GETS = ["detail", "edit", "exit", "confirm_exit", "print_file", "print_exit_checklist"]
RECORD_POSTS = ["document_add", "deposit_add", "booth_add", "flag_clear"]


@pytest.fixture
def merchant(mall):
    merchant = MerchantFactory(mall=mall, status=MerchantStatus.ACTIVE, brand="梵居沙发")
    BoothFactory(merchant=merchant, number="1F-A-008")
    return merchant


@pytest.mark.parametrize("role", list(Role))
def test_list_and_detail_are_open_to_readers_only(role, client, staff, merchant):
    client.force_login(staff(role))
    expected = 200 if role in READERS else 403
    assert client.get(reverse("merchants:index")).status_code == expected
    assert client.get(reverse("merchants:detail", args=[merchant.pk])).status_code == expected
    assert client.get(reverse("merchants:print_file", args=[merchant.pk])).status_code == expected


@pytest.mark.parametrize("role", list(Role))
def test_edit_page_for_editors_only(role, client, staff, merchant):
    client.force_login(staff(role))
    response = client.get(reverse("merchants:edit", args=[merchant.pk]))
    assert response.status_code == (200 if role in EDITORS else 403)


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.HEAD_OFFICE, Role.ADMIN)])
def test_another_malls_merchant_is_404_on_every_page(role, client, staff, other_mall):
    theirs = MerchantFactory(mall=other_mall)
    client.force_login(staff(role))
    for name in RECORD_GETS:
        assert client.get(reverse(f"merchants:{name}", args=[theirs.pk])).status_code == 404, name
    for name in RECORD_POSTS:
        assert client.post(reverse(f"merchants:{name}", args=[theirs.pk]), {}).status_code == 404, name
    for action in ("verify", "activate", "release_deposit"):
        assert client.post(reverse("merchants:transition", args=[theirs.pk, action])).status_code == 404
    assert client.get(reverse("merchants:document_file", args=[theirs.pk, 1])).status_code == 404


def test_head_office_reads_other_malls_but_cannot_post(client, staff, other_mall):
    theirs = MerchantFactory(mall=other_mall)
    client.force_login(staff(Role.HEAD_OFFICE))
    assert client.get(reverse("merchants:detail", args=[theirs.pk])).status_code == 200
    response = client.post(
        reverse("merchants:deposit_add", args=[theirs.pk]),
        {"kind": "collect", "amount": "100", "entry_date": "2026-11-01", "reason": ""},
    )
    assert response.status_code == 403
    assert not DepositEntry.objects.exists()


def test_list_query_count_is_fixed(client, staff, mall, django_assert_max_num_queries):
    client.force_login(staff(Role.CLERK))
    for _ in range(10):
        BoothFactory(merchant__mall=mall)
    with django_assert_max_num_queries(20) as ten:
        response = client.get(reverse("merchants:index"))
    assert response.status_code == 200
    for _ in range(90):
        BoothFactory(merchant__mall=mall)
    with django_assert_max_num_queries(len(ten.captured_queries)):
        response = client.get(reverse("merchants:index"))
    assert len(response.context["page"]) == 50


def test_list_shows_balance_and_filters(client, staff, mall, merchant):
    clerk = staff(Role.CLERK)
    rich = MerchantFactory(mall=mall, brand="有钱品牌")
    deposit_collect(merchant=rich, amount="60000", actor=clerk)
    deposit_collect(merchant=merchant, amount="500", actor=clerk)
    MerchantFactory(mall=mall, brand="被标记", flagged=True)
    client.force_login(clerk)
    page = client.get(reverse("merchants:index")).content.decode()
    assert "60,000.00" in page
    low = client.get(reverse("merchants:index"), {"low_deposit": "true"}).content.decode()
    assert "梵居沙发" in low and "有钱品牌" not in low
    flagged = client.get(reverse("merchants:index"), {"flagged": "true"}).content.decode()
    assert "被标记" in flagged and "梵居沙发" not in flagged
    by_booth = client.get(reverse("merchants:index"), {"q": "1f-a-008"}).content.decode()
    assert "梵居沙发" in by_booth and "有钱品牌" not in by_booth
    assert "有钱品牌" in client.get(reverse("merchants:index"), {"status": "active"}).content.decode()
    assert "有钱品牌" not in client.get(reverse("merchants:index"), {"floor": "1F"}).content.decode()


def test_register_form_shows_errors_next_to_fields(client, staff, mall):
    client.force_login(staff(Role.CLERK))
    response = client.post(
        reverse("merchants:register"),
        {
            "brand": "新品牌",
            "company_name": "新公司",
            "category": "furniture",
            "credit_code": "91350100M000100Y44",
            "mobile": "12345",
            "booth_number": "9F-Z-001",
            "deposit_required": "0",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "credit_code" in errors and "mobile" in errors
    assert not Merchant.objects.filter(brand="新品牌").exists()


def test_register_form_names_the_missing_booth_floor(client, staff, mall):
    client.force_login(staff(Role.CLERK))
    response = client.post(
        reverse("merchants:register"),
        {
            "brand": "新品牌",
            "company_name": "新公司",
            "category": "furniture",
            "booth_number": "9F-Z-001",
            "deposit_required": "0",
        },
    )
    assert "booth_floor" in response.context["form"].errors
    assert not Merchant.objects.filter(brand="新品牌").exists()


def test_document_upload_through_the_page(client, staff, merchant):
    client.force_login(staff(Role.CLERK))
    client.post(reverse("merchants:document_add", args=[merchant.pk]), {"kind": "licence", "file": document_file()})
    document = MerchantDocument.objects.get()
    response = client.get(reverse("merchants:document_file", args=[merchant.pk, document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_fake_pdf_is_refused_with_a_message(client, staff, merchant):
    client.force_login(staff(Role.CLERK))
    response = client.post(
        reverse("merchants:document_add", args=[merchant.pk]),
        {"kind": "licence", "file": document_file("licence.pdf", b"MZ not a pdf")},
        follow=True,
    )
    assert "不是真正的 PDF 文件" in response.content.decode()
    assert not MerchantDocument.objects.exists()


def test_deposit_form_records_and_refuses_future_dates(client, staff, merchant):
    client.force_login(staff(Role.CLERK))
    client.post(
        reverse("merchants:deposit_add", args=[merchant.pk]),
        {"kind": "collect", "amount": "5000", "entry_date": "2026-11-01", "reason": "入场"},
    )
    response = client.post(
        reverse("merchants:deposit_add", args=[merchant.pk]),
        {"kind": "top_up", "amount": "5000", "entry_date": "2099-01-01", "reason": ""},
        follow=True,
    )
    assert "日期不能晚于今天" in response.content.decode()
    assert DepositEntry.objects.get().amount == Decimal("5000.00")


def test_transition_buttons_follow_the_table(client, staff, mall):
    merchant = MerchantFactory(mall=mall, status=MerchantStatus.APPLIED)
    client.force_login(staff(Role.MANAGER))
    page = client.get(reverse("merchants:detail", args=[merchant.pk])).content.decode()
    assert "审核准入资料" in page and "确认撤场" not in page
    response = client.post(reverse("merchants:transition", args=[merchant.pk, "verify"]), follow=True)
    assert "前须先上传" in response.content.decode()
    assert client.post(reverse("merchants:transition", args=[merchant.pk, "nonsense"])).status_code == 404


def test_exit_notice_page_lists_open_cases_and_requires_the_agent(client, staff, merchant):
    client.force_login(staff(Role.CLERK))
    page = client.get(reverse("merchants:exit", args=[merchant.pk])).content.decode()
    assert 'id="open-cases"' in page
    response = client.post(
        reverse("merchants:exit", args=[merchant.pk]),
        {
            "notice_date": "2026-11-01",
            "planned_exit_date": "2026-11-30",
            "after_sales_agent": "",
            "after_sales_phone": "",
        },
    )
    assert "after_sales_agent" in response.context["form"].errors
    merchant.refresh_from_db()
    assert merchant.status == MerchantStatus.ACTIVE


def test_prints_look_like_the_paper_forms(client, staff, merchant):
    client.force_login(staff(Role.CLERK))
    page = client.get(reverse("merchants:print_file", args=[merchant.pk])).content.decode()
    assert "商铺经营户档案" in page and "客服中心经理：" in page and "日期：" in page
    checklist = client.get(reverse("merchants:print_exit_checklist", args=[merchant.pk])).content.decode()
    assert "商户撤场交接清单" in checklist and "商户签字：" in checklist


def test_inspection_pages(client, staff, merchant):
    client.force_login(staff(Role.PRICE_TAG_OFFICER))
    assert client.get(reverse("merchants:inspections")).status_code == 200
    booth = merchant.booths.get()
    response = client.post(
        reverse("merchants:inspection_new"),
        {"booth": booth.pk, "items_checked": "12", "failures": ["tag_missing"], "goods": "餐桌"},
    )
    assert response.status_code == 302
    inspection = PriceTagInspection.objects.get()
    assert not inspection.passed
    page = client.get(reverse("merchants:inspections")).content.decode()
    assert "未放置标价签" in page and 'id="coverage"' in page


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.CLERK, Role.MANAGER])
def test_others_cannot_record_inspections(role, client, staff):
    client.force_login(staff(role))
    assert client.get(reverse("merchants:inspection_new")).status_code == 403


def test_import_page_reports_problems(client, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(staff(Role.CLERK))
    csv = "品牌,公司名称,经营类别,楼层,展位号\n,公司,家具,1F,1F-A-1\n".encode()
    response = client.post(reverse("merchants:import"), {"file": SimpleUploadedFile("r.csv", csv)})
    page = response.content.decode()
    assert 'id="import-problems"' in page and "此列必填" in page
    assert not Merchant.objects.exists()
