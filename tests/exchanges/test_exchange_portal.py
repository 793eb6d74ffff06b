"""The merchant confirms an exchange in the merchant portal (phone-first): its own exchanges only."""

import pytest
from django.urls import reverse

from exchanges.models import ExchangeStatus
from tests.exchanges.factories import ExchangeFactory
from tests.merchantportal.factories import merchant_user
from tests.merchants.factories import MerchantFactory

pytestmark = pytest.mark.django_db


def test_the_merchant_confirms_its_exchange_in_the_portal(client, mall):
    merchant = MerchantFactory(mall=mall)
    e = ExchangeFactory(merchant=merchant, customer__mobile="13812345678")
    ineligible = ExchangeFactory(merchant=merchant, eligible=False)
    theirs = ExchangeFactory(merchant=MerchantFactory(mall=mall))
    account = merchant_user(merchant)
    client.force_login(account.user)
    listing = client.get(reverse("merchantportal:exchanges")).content.decode()
    assert e.number in listing and theirs.number not in listing and "138****5678" in listing
    assert client.get(reverse("merchantportal:exchange", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("merchantportal:exchange", args=[theirs.pk])).status_code == 404
    page = client.get(reverse("merchantportal:exchange", args=[e.pk])).content.decode()
    assert 'id="confirm-exchange"' in page
    assert (
        'id="confirm-exchange"'
        not in client.get(reverse("merchantportal:exchange", args=[ineligible.pk])).content.decode()
    )
    client.post(reverse("merchantportal:exchange", args=[ineligible.pk]))
    ineligible.refresh_from_db()
    assert ineligible.status == ExchangeStatus.REQUESTED
    response = client.post(reverse("merchantportal:exchange", args=[e.pk]))
    assert response.status_code == 302
    e.refresh_from_db()
    theirs.refresh_from_db()
    assert e.status == ExchangeStatus.CONFIRMED and e.merchant_contact == account.name
    assert theirs.status == ExchangeStatus.REQUESTED
