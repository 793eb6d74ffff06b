from datetime import date

import pytest
from django.urls import reverse

from returns.models import ReturnRequest, ReturnStatus
from servicedesk.roles import Role
from tests.merchants.factories import MerchantFactory
from tests.returns.factories import ReturnFactory

pytestmark = pytest.mark.django_db
SECTION = {Role.FRONT_DESK, Role.COMPLAINT_OFFICER, Role.SUPERVISOR, Role.MANAGER, Role.HEAD_OFFICE}


@pytest.mark.parametrize("role", list(Role))
def test_register_and_case_pages_per_role(role, client, mall, staff):
    r = ReturnFactory(merchant__mall=mall)
    client.force_login(staff(role))
    expected = 200 if role in SECTION else 403
    assert client.get(reverse("returns:index")).status_code == expected
    assert client.get(reverse("returns:detail", args=[r.pk])).status_code == expected
    assert client.get(reverse("returns:slip", args=[r.pk])).status_code == expected
    new = client.get(reverse("returns:new")).status_code
    assert new == (200 if role in {Role.FRONT_DESK, Role.COMPLAINT_OFFICER, Role.SUPERVISOR, Role.MANAGER} else 403)


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.HEAD_OFFICE, Role.ADMIN)])
def test_another_malls_return_is_404_everywhere(role, client, other_mall, staff):
    theirs = ReturnFactory(merchant__mall=other_mall)
    client.force_login(staff(role))
    assert client.get(reverse("returns:detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("returns:slip", args=[theirs.pk])).status_code == 404
    for action in ("check", "approve", "refuse", "refund", "close", "override", "merchant_reply"):
        assert client.post(reverse("returns:action", args=[theirs.pk, action])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == ReturnStatus.REQUESTED


def test_head_office_reads_but_cannot_act(client, other_mall, staff):
    theirs = ReturnFactory(merchant__mall=other_mall)
    client.force_login(staff(Role.HEAD_OFFICE))
    assert client.get(reverse("returns:detail", args=[theirs.pk])).status_code == 200
    assert client.post(reverse("returns:action", args=[theirs.pk, "check"])).status_code == 403


def test_list_masks_phones_and_costs_fixed_queries(client, mall, staff, django_assert_max_num_queries):
    client.force_login(staff(Role.FRONT_DESK))
    for _ in range(5):
        ReturnFactory(merchant__mall=mall)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("returns:index"))
    for _ in range(45):
        ReturnFactory(merchant__mall=mall)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("returns:index")).content.decode()
    assert page.count("****") == 50


def test_form_errors_next_to_fields_and_nothing_saved(client, mall, staff):
    client.force_login(staff(Role.FRONT_DESK))
    merchant = MerchantFactory(mall=mall)
    response = client.post(
        reverse("returns:new"),
        {
            "customer_name": "张三",
            "customer_mobile": "123",
            "kind": "no_reason",
            "merchant": merchant.pk,
            "goods": "沙发",
            "quantity": "1",
            "price_paid": "-1",
            "payment_date": "2099-01-01",
        },
    )
    errors = response.context["form"].errors
    assert {"customer_mobile", "price_paid", "payment_date"} <= set(errors)
    assert not ReturnRequest.objects.exists()


def test_eligibility_preview_explains_in_chinese(client, mall, staff):
    client.force_login(staff(Role.FRONT_DESK))
    page = client.get(
        reverse("returns:eligibility"),
        {"payment_date": "2020-01-01", "delivery_date": "2020-01-02", "voucher_number": "", "custom_made": "on"},
    ).content.decode()
    assert "不符合条件" in page and "定制商品" in page and "统一收银凭证" in page and "统一收银付款" in page


def test_action_errors_are_shown(client, mall, staff):
    supervisor = staff(Role.SUPERVISOR)
    r = ReturnFactory(merchant__mall=mall, status=ReturnStatus.INTACT, goods_received_on=date(2026, 11, 18))
    client.force_login(supervisor)
    response = client.post(
        reverse("returns:action", args=[r.pk, "refund"]),
        {
            "refund-method": "original",
            "refund-repackaging_fee": "9999",
            "refund-freight_fee": "0",
            "refund-installation_fee": "0",
            "refund-gift_deduction": "0",
        },
        follow=True,
    )
    assert "重新包装费最多为商品价格的 3%" in response.content.decode()
    r.refresh_from_db()
    assert r.status == ReturnStatus.INTACT


def test_open_returns_show_on_the_merchants_page_and_exit_checklist(client, mall, staff):
    r = ReturnFactory(merchant__mall=mall)
    ReturnFactory(merchant=r.merchant, status=ReturnStatus.CLOSED, number="TH-CLOSED-1")
    client.force_login(staff(Role.CLERK))
    page = client.get(reverse("merchants:detail", args=[r.merchant_id])).content.decode()
    assert r.number in page and "TH-CLOSED-1" not in page
    checklist = client.get(reverse("merchants:print_exit_checklist", args=[r.merchant_id])).content.decode()
    assert r.number in checklist


def test_slip_looks_like_the_paper_form(client, mall, staff):
    r = ReturnFactory(merchant__mall=mall)
    client.force_login(staff(Role.FRONT_DESK))
    page = client.get(reverse("returns:slip", args=[r.pk])).content.decode()
    for words in ("无理由退货处理单", r.number, "顾客签字：", "商户签字：", "客服中心：", "日期："):
        assert words in page


def test_a_refused_return_starts_a_prefilled_complaint(client, mall, staff):
    from tests.merchants.factories import BoothFactory

    booth = BoothFactory(merchant__mall=mall, number="1F-A-008")
    r = ReturnFactory(
        merchant=booth.merchant,
        booth=booth,
        escalated_at="2026-11-20T10:00+08:00",
        merchant_agrees=False,
        merchant_reply="已拆封不退",
    )
    client.force_login(staff(Role.FRONT_DESK))
    page = client.get(reverse("returns:detail", args=[r.pk])).content.decode()
    assert 'id="escalate-to-complaint"' in page
    form = client.get(reverse("complaints:intake"), {"return": r.pk}).context["form"]
    assert form.initial["customer_mobile"] == r.customer.mobile
    assert form.initial["category"] == "R" and form.initial["booth"].startswith("1F-A-008")
    assert r.number in form.initial["facts"]


def test_prefill_never_reads_another_malls_return(client, mall, other_mall, staff):
    theirs = ReturnFactory(merchant__mall=other_mall)
    client.force_login(staff(Role.FRONT_DESK))
    form = client.get(reverse("complaints:intake"), {"return": theirs.pk, "customer": theirs.customer_id}).context[
        "form"
    ]
    assert "customer_mobile" not in form.initial


def test_a_return_starts_from_an_imported_sale(client, mall, staff):
    from tests.followups.factories import SaleFactory
    from tests.merchants.factories import BoothFactory

    booth = BoothFactory(merchant__mall=mall)
    sale = SaleFactory(mall=mall, merchant=booth.merchant, booth=booth, goods="实木餐桌", amount="4200.00")
    client.force_login(staff(Role.FRONT_DESK))
    customer_page = client.get(reverse("customers:detail", args=[sale.customer_id])).content.decode()
    assert f"{reverse('returns:new')}?sale={sale.pk}" in customer_page
    form = client.get(reverse("returns:new"), {"sale": sale.pk}).context["form"]
    assert form.initial["voucher_number"] == sale.order_number
    assert (form.initial["merchant"], form.initial["goods"], str(form.initial["price_paid"])) == (
        booth.merchant_id,
        "实木餐桌",
        "4200.00",
    )
    assert form.initial["customer_mobile"] == sale.customer.mobile


def test_another_malls_sale_fills_nothing(client, mall, other_mall, staff):
    from tests.followups.factories import SaleFactory

    theirs = SaleFactory(mall=other_mall)
    client.force_login(staff(Role.FRONT_DESK))
    assert client.get(reverse("returns:new"), {"sale": theirs.pk}).context["form"].initial == {}
