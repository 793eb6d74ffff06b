from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from complaints.models import Category, Channel, Complaint, Demand, Status
from complaints.services import complaint_register
from tests.factories import CustomerFactory, MallFactory, UserFactory
from tests.merchants.factories import BoothFactory


class ComplaintFactory(factory.django.DjangoModelFactory):
    """A complaint row written directly (no clocks, no log): for lists and state set-ups.

    Tests of the intake itself go through `register()` below, as the desk does.
    """

    class Meta:
        model = Complaint

    mall = factory.SubFactory(MallFactory)
    number = factory.Sequence(lambda n: f"TS-X-20261126-{n:04d}")
    status = Status.REGISTERED
    channel = Channel.WALK_IN
    received_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    registered_by = factory.SubFactory(UserFactory)
    customer = factory.SubFactory(CustomerFactory, mall=factory.SelfAttribute("..mall"))
    booth = factory.SubFactory(BoothFactory, merchant__mall=factory.SelfAttribute("...mall"))
    merchant = factory.SelfAttribute("booth.merchant")
    purchase_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=20))
    voucher_number = factory.Sequence(lambda n: f"SY{n:08d}")
    goods = "三人位布艺沙发"
    purchase_amount = Decimal("6800.00")
    category = Category.QUALITY
    demand = Demand.REPAIR
    facts = "沙发坐垫开裂，送货一周后出现。"


def intake(booth=None, **overrides):
    """Valid intake data for complaint_register (a walk-in quality complaint)."""
    data = {
        "customer_name": "张女士",
        "customer_mobile": "13812345678",
        "customer_address": "上海市普陀区金沙江路100号",
        "channel": Channel.WALK_IN,
        "received_at": timezone.now() - timedelta(minutes=10),
        "purchase_date": timezone.localdate() - timedelta(days=30),
        "delivery_date": timezone.localdate() - timedelta(days=20),
        "voucher_number": "SY20261001001",
        "paid_via_unified_cashier": True,
        "booth": booth,
        "goods": "三人位布艺沙发",
        "goods_model": "FJ-3021",
        "purchase_amount": Decimal("6800.00"),
        "category": Category.QUALITY,
        "demand": Demand.REPAIR,
        "facts": "沙发坐垫开裂，送货一周后出现。",
        "claimed_amount": Decimal("500.00"),
    }
    data.update(overrides)
    return data


def register(mall, actor, booth=None, **overrides):
    return complaint_register(mall=mall, actor=actor, **intake(booth=booth, **overrides))
