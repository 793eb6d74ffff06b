from datetime import date
from decimal import Decimal

import factory

from exchanges.models import Exchange
from tests.factories import CustomerFactory, UserFactory
from tests.merchants.factories import MerchantFactory


class ExchangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exchange

    mall = factory.SelfAttribute("merchant.mall")
    merchant = factory.SubFactory(MerchantFactory)
    customer = factory.SubFactory(CustomerFactory, mall=factory.SelfAttribute("..mall"))
    number = factory.Sequence(lambda n: f"HH-T-20261120-{n:04d}")
    requested_on = date(2026, 11, 20)
    registered_by = factory.SubFactory(UserFactory)
    voucher_number = factory.Sequence(lambda n: f"SY{n:08d}")
    goods = "布艺沙发"
    price_paid = Decimal("8000.00")
    payment_date = date(2026, 11, 10)
    delivery_date = date(2026, 11, 15)
    reason = "颜色与客厅不搭"
    eligible = True
