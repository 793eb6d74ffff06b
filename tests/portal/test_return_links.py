"""Status links for returns (issue #18 §1, §2): the return slip prints a fresh link as a QR code;
the page shows a customer-facing timeline (requested, not covered and why, approved or refused,
goods received, refunded, closed) and never the merchant's reply or staff names."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.models import CaseLink
from portal.services import link_issue
from returns.models import ReturnStatus
from tests.returns.factories import ReturnFactory

pytestmark = pytest.mark.django_db


def page_of(client, r):
    response = client.get(reverse("portal:case", args=[link_issue(case=r, purpose="test")]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_return_slip_prints_a_fresh_link_as_a_qr_code(client, mall, staff):
    r = ReturnFactory(merchant__mall=mall)
    client.force_login(staff("front_desk"))
    slip = reverse("returns:slip", args=[r.pk])
    detail = client.get(reverse("returns:detail", args=[r.pk])).content.decode()
    assert f'method="post" action="{slip}"' in detail, "the case page prints with a POST"
    html = client.post(slip).content.decode()
    assert 'id="slip-qr"' in html and 'src="data:image/svg+xml' in html
    link = CaseLink.objects.get(case_type="return", case_id=r.pk, purpose="print")
    assert link.mall_id == mall.pk
    client.post(slip)
    client.post(reverse("returns:slip_pdf", args=[r.pk]))
    assert CaseLink.objects.filter(case_type="return", case_id=r.pk, purpose="print").count() == 3


def test_a_get_of_the_return_slip_issues_no_link(client, mall, staff):
    """A GET never writes: the slip opened by its address shows no QR code and offers the POST."""
    r = ReturnFactory(merchant__mall=mall)
    client.force_login(staff("front_desk"))
    html = client.get(reverse("returns:slip", args=[r.pk])).content.decode()
    assert 'id="slip-qr"' not in html and 'id="issue-link"' in html
    assert client.get(reverse("returns:slip_pdf", args=[r.pk])).status_code == 200
    assert not CaseLink.objects.filter(case_type="return", case_id=r.pk).exists()


def test_the_return_timeline_for_the_customer(client, mall):
    now = timezone.now()
    r = ReturnFactory(
        merchant__mall=mall,
        status=ReturnStatus.REFUNDED,
        eligible=True,
        merchant_agrees=True,
        merchant_reply="MERCHANT-SECRET-REPLY",
        merchant_replied_at=now,
        decided_at=now,
        goods_received_on=timezone.localdate(),
        refund_amount=Decimal("7800.00"),
        refunded_at=now,
    )
    html = page_of(client, r)
    assert r.number in html and "退货已同意" in html and "已退款 7,800.00 元" in html
    assert "MERCHANT-SECRET-REPLY" not in html and r.registered_by.username not in html
    assert 'id="accept"' not in html and 'id="withdraw"' not in html and 'id="survey"' not in html


def test_a_refused_or_ineligible_return_says_why(client, mall):
    r = ReturnFactory(
        merchant__mall=mall,
        status=ReturnStatus.REFUSED,
        eligible=False,
        ineligibility_reasons=["定制商品不适用无理由退货。"],
        decided_at=timezone.now(),
        refusal_reason="商品已定制。",
    )
    html = page_of(client, r)
    assert "定制商品不适用无理由退货。" in html and "商品已定制。" in html
    assert 'id="message-text"' not in html, "a refused return is over"


def test_only_messages_reach_a_return_through_its_link(client, mall):
    r = ReturnFactory(merchant__mall=mall)
    url = reverse("portal:case", args=[link_issue(case=r, purpose="test")])
    response = client.post(url, {"action": "accept"})
    assert response.status_code == 200 and "请选择" in response.content.decode()
    response = client.post(url, {"action": "message", "text": "什么时候来取货？"})
    assert response.status_code == 302
    assert "什么时候来取货？" in client.get(url).content.decode()
