from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from drivers.models import DeliveryRun
from followups.models import HomeVisit
from returns.models import ReturnStatus
from servicedesk.roles import Role
from tests.factories import make_staff
from tests.followups.factories import CallbackFactory, SaleFactory
from tests.returns.factories import ReturnFactory

JPEG = b"\xff\xd8\xff\xe0" + b"0" * 200


def photo(name="stop.jpg", content=JPEG):
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def approved_return(mall, **kwargs):
    kwargs.setdefault("pickup_address", "上海市普陀区真北路1号")
    kwargs.setdefault("status", ReturnStatus.APPROVED)
    return ReturnFactory(merchant__mall=mall, **kwargs)


def planned_visit(mall, officer, **kwargs):
    callback = CallbackFactory(sale=SaleFactory(mall=mall))
    return HomeVisit.objects.create(
        mall=mall,
        callback=callback,
        visit_on=timezone.localdate() + timedelta(days=1),
        address="上海市普陀区金沙江路2号",
        officer=officer,
        **kwargs,
    )


def run_for(mall, driver=None, planner=None, run_on=None, **kwargs):
    return DeliveryRun.objects.create(
        mall=mall,
        driver=driver or make_staff(Role.DRIVER, mall),
        planned_by=planner or make_staff(Role.CLERK, mall),
        run_on=run_on or timezone.localdate(),
        **kwargs,
    )


def settled_exchange(mall, **kwargs):
    """An exchange whose price difference is settled: its old goods wait to be picked up."""
    from decimal import Decimal

    from exchanges.models import Direction, ExchangeStatus
    from tests.exchanges.factories import ExchangeFactory

    kwargs.setdefault("status", ExchangeStatus.SETTLED)
    kwargs.setdefault("new_goods", "灰色布艺沙发")
    kwargs.setdefault("new_model", "GS-3")
    kwargs.setdefault("new_quantity", 1)
    kwargs.setdefault("new_price", Decimal("8600.00"))
    kwargs.setdefault("difference_direction", Direction.CUSTOMER_PAYS)
    kwargs.setdefault("difference_amount", Decimal("600.00"))
    return ExchangeFactory(merchant__mall=mall, **kwargs)
