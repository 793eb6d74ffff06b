"""The merchant refuses an exchange in its portal (issue 21): its own exchange only, with a reason
next to the field; staff, drivers and other merchants get 404; the desk decides afterwards."""

import pytest
from django.urls import reverse

from exchanges.models import ExchangeStatus
from servicedesk.roles import Role
from tests.exchanges.factories import ExchangeFactory
from tests.merchantportal.factories import merchant_user
from tests.merchants.factories import MerchantFactory

pytestmark = pytest.mark.django_db


def refuse(client, e, reason):
    return client.post(
        reverse("merchantportal:exchange", args=[e.pk]), {"action": "refuse", "merchant_refusal_reason": reason}
    )


def test_the_merchant_refuses_with_a_reason(client, mall):
    merchant = MerchantFactory(mall=mall)
    e = ExchangeFactory(merchant=merchant, eligible=False)  # an ineligible one may be refused too
    client.force_login(merchant_user(merchant).user)
    page = client.get(reverse("merchantportal:exchange", args=[e.pk])).content.decode()
    assert 'id="refuse-exchange"' in page and 'id="confirm-exchange"' not in page
    answer = refuse(client, e, " ")
    assert answer.status_code == 200 and "is-invalid" in answer.content.decode()
    e.refresh_from_db()
    assert e.status == ExchangeStatus.REQUESTED
    assert refuse(client, e, "<b>已定制</b>").status_code == 302
    e.refresh_from_db()
    assert e.status == ExchangeStatus.MERCHANT_REFUSED and e.merchant_refusal_reason == "<b>已定制</b>"
    page = client.get(reverse("merchantportal:exchange", args=[e.pk])).content.decode()
    assert "&lt;b&gt;已定制" in page and 'id="refuse-exchange"' not in page
    assert refuse(client, e, "再拒绝一次").status_code == 302
    e.refresh_from_db()
    assert e.merchant_refusal_reason == "<b>已定制</b>", "once: it now waits for the mall"


def test_another_merchants_exchange_is_404(client, mall, other_mall):
    merchant = MerchantFactory(mall=mall)
    client.force_login(merchant_user(merchant).user)
    for theirs in (ExchangeFactory(merchant__mall=mall), ExchangeFactory(merchant__mall=other_mall)):
        assert refuse(client, theirs, "不换").status_code == 404
        theirs.refresh_from_db()
        assert theirs.status == ExchangeStatus.REQUESTED


@pytest.mark.parametrize("role", Role.values)
def test_staff_of_every_role_cannot_refuse_for_the_merchant_there(role, client, mall, staff):
    e = ExchangeFactory(merchant__mall=mall)
    client.force_login(staff(role))
    assert refuse(client, e, "不换").status_code == 404
    e.refresh_from_db()
    assert e.status == ExchangeStatus.REQUESTED


def test_anonymous_is_sent_to_sign_in(client, mall):
    e = ExchangeFactory(merchant__mall=mall)
    answer = refuse(client, e, "不换")
    assert answer.status_code == 302 and "login" in answer["Location"]
    e.refresh_from_db()
    assert e.status == ExchangeStatus.REQUESTED


def test_an_unknown_action_changes_nothing(client, mall):
    merchant = MerchantFactory(mall=mall)
    e = ExchangeFactory(merchant=merchant)
    client.force_login(merchant_user(merchant).user)
    client.post(reverse("merchantportal:exchange", args=[e.pk]), {"action": "override"})
    e.refresh_from_db()
    assert e.status == ExchangeStatus.REQUESTED
