"""The customer's side of an exchange (issue 21): an SMS with the number and the status link when
the desk registers it and at each step the customer waits for, once each and inside the action's
transaction; the status page /c/<token>/ with the state, the dates, the replacement, the price
difference and the freight the customer pays; never the merchant's own reason or contact, the
override's reason, the cashier's reference, the driver or staff names; rate-limited; garbage is a
page, never a 500."""

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from exchanges.models import Direction, ExchangeStatus
from exchanges.services import (
    exchange_agree_replacement,
    exchange_close,
    exchange_confirm,
    exchange_deliver,
    exchange_merchant_refuse,
    exchange_override,
    exchange_pick_up,
    exchange_record_freight,
    exchange_refuse,
    exchange_register,
    exchange_settle,
)
from portal.models import CaseLink, LinkPolicy
from portal.services import link_issue
from servicedesk.roles import Role
from sms.models import SmsMessage
from tests.exchanges.factories import ExchangeFactory
from tests.merchantportal.factories import merchant_user
from tests.merchants.factories import MerchantFactory
from tests.security.test_hostile_input import FEW, SCRIPT, hostile

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2026, 11, 20), tick=False):
        yield


def url(token):
    return reverse("portal:case", args=[token])


def page_of(client, e):
    response = client.get(url(link_issue(case=e, purpose="test")))
    assert response.status_code == 200
    return response.content.decode()


def token_of(sms):
    return sms.params["link"].rstrip("/").rsplit("/", 1)[-1]


def register(mall, desk, merchant=None):
    return exchange_register(
        mall=mall,
        actor=desk,
        customer_name="张三",
        customer_mobile="13812345678",
        merchant=merchant or MerchantFactory(mall=mall),
        goods="布艺沙发",
        price_paid=Decimal("8000.00"),
        payment_date=date(2026, 11, 10),
        delivery_date=date(2026, 11, 15),
        voucher_number="SY00001234",
        reason="尺寸不合适",
    )


def events_of(e):
    return list(
        SmsMessage.objects.filter(key__startswith=f"exchange:{e.pk}:").order_by("pk").values_list("event", flat=True)
    )


def test_each_step_the_customer_waits_for_sends_one_sms_whose_link_opens_the_exchange(client, mall, staff):
    desk, supervisor = staff(Role.FRONT_DESK), staff(Role.SUPERVISOR)
    e = register(mall, desk)
    sms = SmsMessage.objects.get(key=f"exchange:{e.pk}:registered")
    assert sms.event == "case_registered" and sms.mobile == "13812345678"
    assert "换货" in sms.text and e.number in sms.text and token_of(sms) not in sms.text, "the link is masked"
    html = client.get(url(token_of(sms))).content.decode()
    assert e.number in html and "已申请" in html
    exchange_confirm(exchange=e, actor=desk, merchant_contact="王店长")
    exchange_record_freight(exchange=e, actor=desk, freight_amount=Decimal("150"))
    exchange_agree_replacement(exchange=e, actor=desk, new_goods="真皮沙发", new_price=Decimal("9200"))
    replacement = SmsMessage.objects.get(key=f"exchange:{e.pk}:replacement")
    assert "真皮沙发" in replacement.text and "1,200.00" in replacement.text and "150.00" in replacement.text
    exchange_settle(exchange=e, actor=supervisor, cashier_reference="SY-BK-1")
    exchange_pick_up(exchange=e, actor=desk, driver="刘师傅")
    exchange_deliver(exchange=e, actor=desk)
    exchange_close(exchange=e, actor=desk)
    assert events_of(e) == [
        "case_registered",
        "exchange_confirmed",
        "exchange_replacement",
        "exchange_picked_up",
        "exchange_delivered",
    ], "registration, agreement, replacement and money, pick-up, delivery: once each, nothing for the cashier"
    assert "2026-11-20" in SmsMessage.objects.get(key=f"exchange:{e.pk}:delivered").text


def test_a_refusal_tells_the_customer_the_reason(client, mall, staff):
    e = register(mall, staff(Role.FRONT_DESK))
    exchange_refuse(exchange=e, actor=staff(Role.SUPERVISOR), reason="定制商品不适用无理由换货")
    sms = SmsMessage.objects.get(key=f"exchange:{e.pk}:refused")
    assert sms.event == "exchange_refused" and "定制商品不适用无理由换货" in sms.text and mall.service_phone in sms.text
    html = client.get(url(token_of(sms))).content.decode()
    assert "换货未能办理" in html and "定制商品不适用无理由换货" in html
    assert 'id="message-text"' not in html, "a refused exchange is over"


def test_the_merchants_refusal_tells_the_customer_nothing_until_the_mall_decides(client, mall, staff):
    merchant = MerchantFactory(mall=mall)
    e = register(mall, staff(Role.FRONT_DESK), merchant)
    exchange_merchant_refuse(exchange=e, actor=merchant_user(merchant).user, reason="MERCHANT-OWN-REASON")
    assert events_of(e) == ["case_registered"]
    html = page_of(client, e)
    assert "审核中" in html and "MERCHANT-OWN-REASON" not in html and "不同意" not in html
    exchange_override(exchange=e, actor=staff(Role.MANAGER), reason="OVERRIDE-REASON-INTERNAL")
    assert events_of(e) == ["case_registered", "exchange_confirmed"]
    html = page_of(client, e)
    assert "换货已同意" in html and "OVERRIDE-REASON-INTERNAL" not in html and "MERCHANT-OWN-REASON" not in html


def test_a_rolled_back_action_sends_nothing(mall, staff):
    e = ExchangeFactory(merchant__mall=mall)
    with pytest.raises(RuntimeError), transaction.atomic():
        exchange_confirm(exchange=e, actor=staff(Role.FRONT_DESK))
        raise RuntimeError("the caller fails after the service")
    assert not SmsMessage.objects.filter(key__startswith=f"exchange:{e.pk}:").exists()


def test_the_page_shows_the_replacement_the_money_and_the_dates_and_nothing_internal(client, mall, staff):
    officer = staff(Role.SUPERVISOR, first_name="小李", last_name="王大锤")
    now = timezone.now()
    e = ExchangeFactory(
        merchant__mall=mall,
        status=ExchangeStatus.PICKED_UP,
        registered_by=officer,
        confirmed_by=officer,
        confirmed_at=now,
        merchant_contact="MERCHANT-CONTACT",
        merchant_refusal_reason="MERCHANT-OWN-REASON",
        merchant_refused_at=now,
        override_reason="OVERRIDE-REASON",
        overridden_by=officer,
        overridden_at=now,
        new_goods="真皮沙发",
        new_model="L-200",
        new_quantity=1,
        new_price=Decimal("6500.50"),
        difference_direction=Direction.REFUND,
        difference_amount=Decimal("1499.50"),
        freight_amount=Decimal("200.00"),
        freight_payer="customer",
        cashier_reference="CASHIER-REF-9",
        settled_at=now,
        picked_up_on=date(2026, 11, 20),
        driver="DRIVER-NAME",
    )
    html = page_of(client, e)
    for shown in ("真皮沙发 L-200", "1,499.50 元", "退还", "200.00 元", "2026-11-20", "旧货已取回", e.number):
        assert shown in html, shown
    for secret in (
        "MERCHANT-CONTACT",
        "MERCHANT-OWN-REASON",
        "OVERRIDE-REASON",
        "CASHIER-REF-9",
        "DRIVER-NAME",
        "王大锤",
        "小李",
        officer.username,
        e.reason,
    ):
        assert secret not in html, secret
    for staff_path in ("/exchanges/", "/admin/", "/customers/", "/merchants/"):
        assert f'href="{staff_path}' not in html


def test_what_the_customer_pays_before_the_pick_up(client, mall):
    e = ExchangeFactory(
        merchant__mall=mall,
        status=ExchangeStatus.REPLACEMENT_AGREED,
        new_goods="真皮沙发",
        new_quantity=1,
        new_price=Decimal("9000.00"),
        difference_direction=Direction.CUSTOMER_PAYS,
        difference_amount=Decimal("1000.00"),
        freight_amount=Decimal("200.00"),
        freight_payer="customer",
    )
    html = page_of(client, e)
    assert "1,200.00 元" in html and "统一收银" in html, "difference and freight, paid at the unified cashier"


def test_the_link_expires_after_the_exchange_ends_by_the_malls_setting(client, mall):
    e = ExchangeFactory(merchant__mall=mall)
    token = link_issue(case=e, purpose="t")
    ended = timezone.now() - timedelta(days=100)
    type(e).objects.filter(pk=e.pk).update(status=ExchangeStatus.CLOSED, closed_at=ended)
    page = client.get(url(token))
    assert page.status_code == 404 and e.number not in page.content.decode()
    LinkPolicy.objects.create(
        mall=mall, effective_from=timezone.localdate(ended) - timedelta(days=1), valid_days_after_end=200
    )
    assert client.get(url(token)).status_code == 200


def test_another_exchanges_token_opens_only_that_one(client, mall):
    e, other = ExchangeFactory(merchant__mall=mall), ExchangeFactory(merchant__mall=mall)
    html = page_of(client, other)
    assert other.number in html and e.number not in html
    assert CaseLink.objects.filter(case_type="exchange", case_id=other.pk).count() == 1


def test_the_slip_prints_a_fresh_link(client, mall, staff):
    e = ExchangeFactory(merchant__mall=mall)
    client.force_login(staff(Role.FRONT_DESK))
    slip = reverse("exchanges:slip", args=[e.pk])
    detail = client.get(reverse("exchanges:detail", args=[e.pk])).content.decode()
    assert f'method="post" action="{slip}"' in detail, "the case page prints with a POST"
    html = client.post(slip).content.decode()
    assert 'id="slip-qr"' in html and 'src="data:image/svg+xml' in html
    assert CaseLink.objects.filter(case_type="exchange", case_id=e.pk, purpose="print").count() == 1
    client.post(slip)
    assert CaseLink.objects.filter(case_type="exchange", case_id=e.pk, purpose="print").count() == 2


def test_a_get_of_the_exchange_slip_issues_no_link(client, mall, staff):
    """A GET never writes: the slip opened by its address shows no QR code and offers the POST."""
    e = ExchangeFactory(merchant__mall=mall)
    client.force_login(staff(Role.FRONT_DESK))
    html = client.get(reverse("exchanges:slip", args=[e.pk])).content.decode()
    assert 'id="slip-qr"' not in html and 'id="issue-link"' in html
    assert not CaseLink.objects.filter(case_type="exchange", case_id=e.pk).exists()


def test_only_messages_reach_an_exchange_through_its_link_and_the_desk_reads_them(client, mall, staff):
    e = ExchangeFactory(merchant__mall=mall)
    target = url(link_issue(case=e, purpose="t"))
    response = client.post(target, {"action": "accept"})
    assert response.status_code == 200 and "请选择" in response.content.decode()
    e.refresh_from_db()
    assert e.status == ExchangeStatus.REQUESTED
    assert client.post(target, {"action": "message", "text": "什么时候来取旧沙发？"}).status_code == 302
    assert "什么时候来取旧沙发？" in client.get(target).content.decode()
    client.force_login(staff(Role.FRONT_DESK))
    desk_page = client.get(reverse("exchanges:detail", args=[e.pk])).content.decode()
    assert 'id="customer-messages"' in desk_page and "什么时候来取旧沙发？" in desk_page


def test_the_page_costs_few_queries(client, mall, django_assert_max_num_queries):
    token = link_issue(case=ExchangeFactory(merchant__mall=mall), purpose="t")
    with django_assert_max_num_queries(6):
        assert client.get(url(token)).status_code == 200


def test_rate_limits(client, settings, mall):
    settings.RATELIMIT_ENABLE = True
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    token = link_issue(case=ExchangeFactory(merchant__mall=mall), purpose="t")
    answers = [client.post(url(token), {"action": "nothing"}, REMOTE_ADDR=address).status_code for _ in range(11)]
    assert answers[:10] == [200] * 10 and answers[10] == 429


def test_hostile_posts_and_tokens_are_pages_never_500s(client, mall):
    e = ExchangeFactory(merchant__mall=mall, new_goods=SCRIPT)
    target = url(link_issue(case=e, purpose="t"))

    @FEW
    @given(field=st.sampled_from(["action", "text", "reason", "outcome", "unexpected"]), value=hostile)
    def post(field, value):
        response = client.post(target, {"action": "message", "text": "好"} | {field: value}, follow=True)
        assert response.status_code in (200, 404) and SCRIPT.encode() not in response.content

    @FEW
    @given(token=st.text(max_size=60))
    def get(token):
        response = client.get("/c/" + uuid.uuid4().hex[:4] + token.replace("/", "") + "/")
        assert response.status_code in (301, 404) and e.number.encode() not in response.content

    post()
    get()


def test_the_page_reads_in_english_in_english_mode(client, mall, settings):
    import re

    e = ExchangeFactory(
        merchant__mall=mall,
        status=ExchangeStatus.REPLACEMENT_AGREED,
        goods="Sofa",
        new_goods="Grey sofa",
        new_quantity=1,
        new_price=Decimal("9000.00"),
        difference_direction=Direction.CUSTOMER_PAYS,
        difference_amount=Decimal("1000.00"),
        freight_amount=Decimal("200.00"),
        freight_payer="customer",
    )
    token = link_issue(case=e, purpose="t")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(url(token)).content.decode()
    body = html.split("<main", 1)[-1].split("</main>", 1)[0]
    assert "Please pay 1,200.00 yuan" in body and "you pay 1,000.00 yuan" in body
    leftover = re.findall(r"[\u4e00-\u9fff]+", body.replace(mall.name, ""))
    assert not leftover, leftover
