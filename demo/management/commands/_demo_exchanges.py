"""Demo exchanges and today's driver run (issue #21), so that `make run` shows them at work:
a quality exchange waiting for the merchant, a no-reason exchange with a price difference
settled at the unified cashier, a refused one, and a run for the demo driver with a return's
pick-up, a home visit and the settled exchange's pick-up and delivery. Created through the
services, as staff would."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from drivers.models import StopTask
from drivers.services import run_plan, stop_add
from exchanges.models import Exchange, ExchangeKind
from exchanges.services import (
    exchange_agree_replacement,
    exchange_confirm,
    exchange_refuse,
    exchange_register,
    exchange_settle,
)
from followups.models import Callback, CallbackKind
from followups.services.visits import home_visit_schedule
from merchants.models import Booth
from returns.services import return_approve, return_check, return_register
from servicedesk.services import customer_find_or_create

ADDRESS = "上海市普陀区真北路1108弄{}号"


def _sale(mall, booth_number, days_paid, days_delivered):
    booth = Booth.objects.get(mall=mall, number=booth_number)
    today = timezone.localdate()
    return {
        "merchant": booth.merchant,
        "booth": booth,
        "payment_date": today - timedelta(days=days_paid),
        "delivery_date": today - timedelta(days=days_delivered),
    }


def load_demo_exchanges_and_run(mall, users):
    if Exchange.objects.filter(mall=mall).exists():
        return  # already there: demo_data stays idempotent
    desk, supervisor, clerk = users["frontdesk"], users["supervisor"], users["clerk"]

    # A quality exchange: the mattress sags ten days after delivery; the warranty gives an exchange,
    # the merchant's confirmation is awaited.
    exchange_register(
        mall=mall,
        actor=desk,
        customer_name="孙女士",
        customer_mobile="13912340011",
        kind=ExchangeKind.QUALITY,
        voucher_number="SY2026112311",
        goods="独立弹簧床垫",
        model="AS-180",
        price_paid=Decimal("5200.00"),
        reason="床垫中部塌陷约3厘米，睡感明显不平。",
        **_sale(mall, "2F-C-003", 12, 10),
    )

    # A no-reason exchange with a price difference: the customer takes the grey four-seat sofa and
    # pays 1,200 yuan more at the unified cashier; the driver fetches the old one and brings the new.
    customer_find_or_create(mall=mall, name="陈女士", mobile="13912340012", actor=desk, address=ADDRESS.format(12))
    settled = exchange_register(
        mall=mall,
        actor=desk,
        customer_name="陈女士",
        customer_mobile="13912340012",
        kind=ExchangeKind.NO_REASON,
        voucher_number="SY2026112312",
        goods="布艺三人沙发",
        model="FJ-3",
        price_paid=Decimal("6800.00"),
        reason="颜色与客厅不搭，想换灰色四人位。",
        **_sale(mall, "1F-A-008", 6, 4),
    )
    exchange_confirm(exchange=settled, actor=desk, merchant_contact="陈店长")
    exchange_agree_replacement(
        exchange=settled, actor=desk, new_goods="灰色布艺四人沙发", new_model="FJ-4G", new_price=Decimal("8000.00")
    )
    settled = exchange_settle(exchange=settled, actor=supervisor, cashier_reference="SY-CZ-2026-0012")

    # Refused: a custom-made wardrobe is outside the no-reason promise.
    refused = exchange_register(
        mall=mall,
        actor=desk,
        customer_name="周先生",
        customer_mobile="13912340013",
        kind=ExchangeKind.NO_REASON,
        voucher_number="SY2026112313",
        goods="定制衣柜",
        price_paid=Decimal("12800.00"),
        custom_made=True,
        reason="想换一种门板颜色。",
        **_sale(mall, "3F-A-002", 5, 2),
    )
    exchange_refuse(exchange=refused, actor=supervisor, reason="定制商品不适用无理由换货承诺，已向顾客说明。")

    # An approved return whose goods the driver collects.
    approved = return_register(
        mall=mall,
        actor=desk,
        customer_name="钱先生",
        customer_mobile="13912340014",
        goods="实木餐椅（两把）",
        price_paid=Decimal("1600.00"),
        voucher_number="SY2026112314",
        **_sale(mall, "2F-B-015", 5, 3),
    )
    approved = return_check(return_request=approved, actor=desk)
    approved = return_approve(
        return_request=approved,
        actor=supervisor,
        pickup_date=timezone.localdate(),
        pickup_address=ADDRESS.format(14),
    )

    # A home visit today for the custom wardrobe complaint (张女士), with the officer.
    complaint = mall_complaint(mall, "张女士")
    today = timezone.localdate()
    callback = Callback.objects.create(
        mall=mall,
        kind=CallbackKind.HOME_VISIT,
        complaint=complaint,
        customer=complaint.customer,
        due_on=today,
        deadline_on=today + timedelta(days=7),
        assignee=users["officer"],
    )
    visit = home_visit_schedule(
        callback=callback,
        actor=users["officer"],
        visit_on=today,
        address=ADDRESS.format(3),
        officer=users["officer"],
        driver="钱师傅",
    )

    run = run_plan(mall=mall, actor=clerk, run_on=today, driver=users["driver"], vehicle="沪A·D2026 厢式货车")
    stop_add(run=run, actor=clerk, task=StopTask.PICK_UP, return_request=approved)
    stop_add(run=run, actor=clerk, task=StopTask.EXCHANGE_PICK_UP, exchange=settled)
    stop_add(run=run, actor=clerk, task=StopTask.VISIT, home_visit=visit)
    stop_add(run=run, actor=clerk, task=StopTask.EXCHANGE_DELIVERY, exchange=settled)


def mall_complaint(mall, customer_name):
    from complaints.models import Complaint

    return Complaint.objects.filter(mall=mall, customer__name=customer_name).select_related("customer").first()
