"""Exchange pages: the register with filters and fixed queries, the request form's errors, the
case page's allowed actions, the slip in Chinese and English, isolation, the summary line and
the weekly report's counts."""

import re
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from exchanges.models import Direction, Exchange, ExchangeStatus
from reports.periods import week_of
from reports.weekly import weekly_figures
from servicedesk.roles import Role
from tests.exchanges.factories import ExchangeFactory
from tests.merchants.factories import MerchantFactory

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u4e00-\u9fff\uff00-\uffef]")


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2026, 11, 20), tick=False):
        yield


def test_list_filters_and_costs_fixed_queries(client, mall, staff, django_assert_max_num_queries):
    client.force_login(staff(Role.FRONT_DESK))
    for _ in range(5):
        ExchangeFactory(merchant__mall=mall)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("exchanges:index"))
    for _ in range(45):
        ExchangeFactory(merchant__mall=mall)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("exchanges:index")).content.decode()
    assert page.count("****") == 50  # masked mobiles, one a row
    quality = ExchangeFactory(merchant__mall=mall, kind="quality", status=ExchangeStatus.CONFIRMED)
    filtered = client.get(reverse("exchanges:index"), {"kind": "quality", "status": "confirmed"})
    assert list(filtered.context["page"]) == [quality]
    by_number = client.get(reverse("exchanges:index"), {"q": quality.number})
    assert list(by_number.context["page"]) == [quality]


def test_form_shows_every_error_at_once_and_saves_nothing(client, mall, other_mall, staff):
    client.force_login(staff(Role.FRONT_DESK))
    response = client.post(
        reverse("exchanges:new"),
        {
            "customer_name": "张三",
            "customer_mobile": "123",
            "kind": "no_reason",
            "merchant": MerchantFactory(mall=other_mall).pk,
            "goods": "沙发",
            "quantity": "1",
            "price_paid": "-1",
            "payment_date": "2099-01-01",
            "failed_repairs": "0",
            "days_in_repair": "0",
        },
    )
    errors = response.context["form"].errors
    assert {"customer_mobile", "price_paid", "payment_date", "merchant", "reason"} <= set(errors)
    assert "手机" in " ".join(errors["customer_mobile"])
    assert not Exchange.objects.exists()


def test_register_then_act_through_the_pages(client, mall, staff):
    desk = staff(Role.FRONT_DESK)
    client.force_login(desk)
    merchant = MerchantFactory(mall=mall)
    response = client.post(
        reverse("exchanges:new"),
        {
            "customer_name": "张三",
            "customer_mobile": "13812345678",
            "kind": "no_reason",
            "voucher_number": "SY001",
            "via_unified_cashier": "on",
            "merchant": merchant.pk,
            "goods": "布艺沙发",
            "quantity": "1",
            "price_paid": "8000",
            "payment_date": "2026-11-10",
            "delivery_date": "2026-11-15",
            "reason": "颜色不合适",
            "failed_repairs": "0",
            "days_in_repair": "0",
        },
    )
    e = Exchange.objects.get()
    assert response.url == reverse("exchanges:detail", args=[e.pk])
    page = client.get(response.url)
    # The front desk may record the merchant's confirmation, not refuse.
    assert set(page.context["forms"]) == {"confirm"}
    client.post(reverse("exchanges:action", args=[e.pk, "confirm"]), {"confirm-merchant_contact": "王店长"})
    e.refresh_from_db()
    assert e.status == ExchangeStatus.CONFIRMED
    # Bad input on an action: the message names the field, nothing changes.
    response = client.post(
        reverse("exchanges:action", args=[e.pk, "agree_replacement"]),
        {"agree_replacement-new_goods": "", "agree_replacement-new_price": "0", "agree_replacement-new_quantity": "1"},
        follow=True,
    )
    text = response.content.decode()
    assert "替换商品" in text and "替换商品价格" in text
    e.refresh_from_db()
    assert e.status == ExchangeStatus.CONFIRMED


def test_supervisor_sees_refuse_and_confirm(client, mall, staff):
    e = ExchangeFactory(merchant__mall=mall)
    client.force_login(staff(Role.SUPERVISOR))
    assert set(client.get(reverse("exchanges:detail", args=[e.pk])).context["forms"]) == {"confirm", "refuse"}


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.SUPERVISOR, Role.MANAGER])
def test_another_malls_exchange_is_404(role, client, other_mall, staff):
    theirs = ExchangeFactory(merchant__mall=other_mall)
    client.force_login(staff(role))
    for name in ("exchanges:detail", "exchanges:slip"):
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404
    assert client.post(reverse("exchanges:action", args=[theirs.pk, "confirm"])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == ExchangeStatus.REQUESTED


def test_head_office_reads_but_cannot_act(client, other_mall, staff):
    theirs = ExchangeFactory(merchant__mall=other_mall)
    client.force_login(staff(Role.HEAD_OFFICE))
    assert client.get(reverse("exchanges:detail", args=[theirs.pk])).status_code == 200
    assert client.post(reverse("exchanges:action", args=[theirs.pk, "confirm"])).status_code == 403


def _settled(mall, **changes):
    fields = {
        "merchant": MerchantFactory(mall=mall, brand="Acme Sofas"),
        "customer__name": "Ms Zhang",
        "goods": "Sofa",
        "reason": "Wrong colour",
        "eligibility_reasons": ["Day 5 of 7"],
        "status": ExchangeStatus.SETTLED,
        "new_goods": "Leather sofa",
        "new_price": Decimal("9000.00"),
        "new_quantity": 1,
        "difference_direction": Direction.CUSTOMER_PAYS,
        "difference_amount": Decimal("1000.00"),
        "cashier_reference": "SY-99",
        "settled_at": timezone.now(),
    }
    return ExchangeFactory(**(fields | changes))


def test_slip_in_chinese_and_english(client, mall, staff):
    e = _settled(mall)
    client.force_login(staff(Role.FRONT_DESK))
    page = client.get(reverse("exchanges:slip", args=[e.pk])).content.decode()
    for words in (
        "换货处理单",
        "单号：",
        "统一收银凭证号",
        "替换商品",
        "差价（元）",
        "顾客补差价",
        "商户签字：",
        "说明：",
    ):
        assert words in page, words
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("exchanges:slip", args=[e.pk])).content.decode()
    assert "Exchange Form" in page and "Customer pays the difference" in page
    main = re.findall(r"<main.*?</main>", page, re.S)[0]
    for value in (mall.name, "Acme Sofas", "Ms Zhang"):
        main = main.replace(value, "")
    assert CJK.findall(re.sub(r"<[^>]+>", " ", main)) == []


def test_slip_pdf_carries_the_same_form_in_both_languages(client, mall, staff, pdf_text):
    e = _settled(mall, freight_amount=Decimal("200.00"))
    client.force_login(staff(Role.FRONT_DESK))
    response = client.get(reverse("exchanges:slip_pdf", args=[e.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{e.number}.pdf"' in response["Content-Disposition"]
    text = re.sub(r"\s+", "", pdf_text(response.content))
    for words in (
        "换货处理单",
        e.number,
        "统一收银凭证号",
        "替换商品",
        "顾客补差价",
        "1,000.00",
        "200.00",
        "商户签字：",
    ):
        assert words in text, words
    assert e.customer.mobile in text  # the front desk calls customers: the full number, logged
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # The PDF's title is letter-spaced: compare without white space.
    text = re.sub(r"\s+", "", pdf_text(client.get(reverse("exchanges:slip_pdf", args=[e.pk])).content))
    assert "ExchangeForm" in text and "Customerpaysthedifference" in text
    for value in (mall.name, "Acme Sofas", "Ms Zhang", e.goods, e.new_goods, e.reason):
        text = text.replace(value.replace(" ", ""), "")
    assert CJK.findall(text) == []


def test_slip_pdf_masks_the_mobile_for_head_office_and_links_only_on_a_post(client, mall, staff, pdf_text):
    from portal.models import CaseLink

    e = _settled(mall)
    client.force_login(staff(Role.HEAD_OFFICE))
    text = pdf_text(client.get(reverse("exchanges:slip_pdf", args=[e.pk])).content)
    assert e.customer.mobile not in text and e.customer.mobile[-4:] in text
    assert not CaseLink.objects.filter(case_type="exchange", case_id=e.pk).exists()
    client.force_login(staff(Role.FRONT_DESK))
    client.post(reverse("exchanges:slip_pdf", args=[e.pk]))
    assert CaseLink.objects.filter(case_type="exchange", case_id=e.pk, purpose="print").count() == 1


def test_summary_register_carries_the_exchange_line(client, mall, staff):
    _settled(mall, requested_on=date(2026, 11, 17))
    _settled(
        mall,
        requested_on=date(2026, 11, 18),
        difference_direction=Direction.REFUND,
        difference_amount=Decimal("300.00"),
    )
    ExchangeFactory(merchant__mall=mall, requested_on=date(2026, 11, 18), refusal_reason="定制", status="refused")
    client.force_login(staff(Role.SUPERVISOR))
    response = client.get(reverse("returns:summary"), {"start": "2026-11-16", "end": "2026-11-22"})
    line = response.context["exchanges"]
    assert (line["count"], line["refused"], line["paid_in"], line["refunded"]) == (
        3,
        1,
        Decimal("1000.00"),
        Decimal("300.00"),
    )
    assert "换货" in response.content.decode()


def test_weekly_report_counts_exchanges(mall, other_mall):
    ExchangeFactory(merchant__mall=mall, requested_on=date(2026, 11, 16))
    ExchangeFactory(merchant__mall=mall, requested_on=date(2026, 11, 22))
    ExchangeFactory(merchant__mall=mall, requested_on=date(2026, 11, 23))  # the next week
    ExchangeFactory(merchant__mall=other_mall, requested_on=date(2026, 11, 18))
    week = week_of(date(2026, 11, 16))
    figures = weekly_figures([mall.pk], week)[mall.pk]
    assert figures["exchanges_requested"] == 2


def test_an_exchange_starts_from_an_imported_sale(client, mall, other_mall, staff):
    from tests.followups.factories import SaleFactory

    sale = SaleFactory(mall=mall, order_number="XS-1", goods="餐桌", amount=Decimal("3200.00"))
    theirs = SaleFactory(mall=other_mall, order_number="XS-2")
    client.force_login(staff(Role.FRONT_DESK))
    form = client.get(reverse("exchanges:new"), {"sale": sale.pk}).context["form"]
    assert form.initial["voucher_number"] == "XS-1" and form.initial["goods"] == "餐桌"
    assert form.initial["price_paid"] == Decimal("3200.00") and form.initial["customer_name"] == sale.customer.name
    assert client.get(reverse("exchanges:new"), {"sale": theirs.pk}).context["form"].initial == {}
    page = client.get(reverse("customers:detail", args=[sale.customer_id])).content.decode()
    assert f"{reverse('exchanges:new')}?sale={sale.pk}" in page


def test_the_customer_page_lists_the_exchange(client, mall, staff):
    e = ExchangeFactory(merchant__mall=mall)
    client.force_login(staff(Role.FRONT_DESK))
    page = client.get(reverse("customers:detail", args=[e.customer_id])).content.decode()
    assert e.number in page
