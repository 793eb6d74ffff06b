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

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """`callback_response`, `callback_note`, `callback_at` and `failed_callbacks` set up the
        complaint's service callback (its one callback record), as `service_callback_for`."""
        callback = {field: kwargs.pop(field) for field in CALLBACK_FIELDS if field in kwargs}
        complaint = super()._create(model_class, *args, **kwargs)
        if callback:
            service_callback_for(complaint, **callback)
        return complaint


CALLBACK_FIELDS = ("callback_response", "callback_note", "callback_at", "failed_callbacks")


def service_callback_for(complaint, *, callback_response="", callback_note="", callback_at=None, failed_callbacks=0):
    """The complaint's service callback of its current round, as the calls would have left it:
    reached (`callback_response`, after `failed_callbacks` failed attempts), or only failed
    attempts (unreachable once they reach the mall's attempts allowed, else to call again)."""
    from followups.models import Callback, CallbackKind, CallbackPolicy, CallbackStatus, Outcome

    now = timezone.now()
    resolved_on = timezone.localdate(complaint.resolved_at or now)
    if callback_response:
        status, outcome, attempts = CallbackStatus.DONE, callback_response, failed_callbacks + 1
        finished_at = callback_at or now
    else:
        allowed = CallbackPolicy.for_mall(complaint.mall).max_attempts
        status = CallbackStatus.UNREACHABLE if failed_callbacks >= allowed else CallbackStatus.RETRY
        outcome, attempts = Outcome.NOT_REACHED, failed_callbacks
        finished_at = now if status == CallbackStatus.UNREACHABLE else None
    return Callback.objects.create(
        mall=complaint.mall,
        kind=CallbackKind.SERVICE,
        complaint=complaint,
        round=complaint.reopen_count,
        customer=complaint.customer,
        due_on=resolved_on + timedelta(days=1),
        deadline_on=resolved_on + timedelta(days=3),
        status=status,
        outcome=outcome,
        attempts=attempts,
        first_attempt_at=(callback_at or now) if attempts else None,
        note=callback_note,
        finished_at=finished_at,
    )


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
