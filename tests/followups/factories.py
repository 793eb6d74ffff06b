import csv
from datetime import date, datetime, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from followups.models import Callback, CallbackKind, Sale
from followups.services.rows import add_months
from tests.factories import CustomerFactory, MallFactory

HEADERS = [
    "订单号",
    "付款时间",
    "顾客姓名",
    "手机",
    "商户或展位",
    "商品",
    "型号",
    "数量",
    "金额",
    "送货日期",
    "保修月数",
]


class SaleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sale

    mall = factory.SubFactory(MallFactory)
    order_number = factory.Sequence(lambda n: f"XS{n:010d}")
    paid_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    customer = factory.SubFactory(CustomerFactory, mall=factory.SelfAttribute("..mall"))
    goods = "实木餐桌"
    model = "CZ-180"
    quantity = 1
    amount = Decimal("4800.00")
    delivery_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=3))
    warranty_months = 12
    warranty_ends_on = factory.LazyAttribute(
        lambda o: add_months(o.delivery_date, o.warranty_months) if o.delivery_date else None
    )


class CallbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Callback

    sale = factory.SubFactory(SaleFactory)
    mall = factory.SelfAttribute("sale.mall")
    customer = factory.SelfAttribute("sale.customer")
    kind = CallbackKind.AFTER_SALE
    due_on = factory.LazyFunction(timezone.localdate)
    deadline_on = factory.LazyAttribute(lambda o: o.due_on + timedelta(days=6))


def sale_row(n, booth="2F-A-001", **overrides):
    row = {
        "订单号": f"XS{n:08d}",
        "付款时间": "2026-03-01 14:30:00",
        "顾客姓名": f"顾客{n}",
        "手机": f"139{n:08d}",
        "商户或展位": booth,
        "商品": "布艺沙发",
        "型号": "FS-3",
        "数量": "1",
        "金额": "6800.00",
        "送货日期": "2026-03-05",
        "保修月数": "12",
    }
    row.update(overrides)
    return row


def write_csv(path, rows, headers=HEADERS, encoding="utf-8"):
    with open(path, "w", newline="", encoding=encoding) as handle:
        writer = csv.DictWriter(handle, fieldnames=headers, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
    return path


def write_xlsx(path, rows, headers=HEADERS):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    workbook.save(path)
    return path


def aware(*args):
    return timezone.make_aware(datetime(*args))  # noqa: DTZ001 made aware here


__all__ = ["date"]
