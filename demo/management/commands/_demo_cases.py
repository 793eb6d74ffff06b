"""Demo cases so that `make run` opens on a desk with work in it: complaints in several states,
a return, imported sales and today's callbacks. Created through the services, as staff would."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from complaints.models import Complaint
from complaints.services import complaint_assign, complaint_forward_to_merchant, complaint_register
from followups.models import Sale
from followups.services.scheduling import callbacks_schedule
from followups.services.surveys import callbacks_send_surveys
from merchants.models import Booth
from returns.services import return_check, return_register

COMPLAINTS = [
    # (customer, mobile, booth, category, demand, facts, days ago)
    ("陈女士", "13912340001", "1F-A-008", "Q", "repair", "布艺沙发坐垫开裂，送货一周后出现。", 9),
    ("刘先生", "13912340002", "2F-B-015", "D", "compensation", "约定的送货日期已过五天仍未送到。", 4),
    ("张女士", "13912340003", "3F-A-002", "X", "exchange", "定制衣柜颜色与样板不符。", 1),
    ("王先生", "13912340004", "4F-D-006", "A", "apology", "导购态度恶劣，拒绝说明价格。", 0),
]


def load_demo_cases(mall, users):
    if Complaint.objects.filter(mall=mall).exists():
        return  # already there: demo_data stays idempotent
    now = timezone.now()
    made = []
    for name, mobile, number, category, demand, facts, days_ago in COMPLAINTS:
        booth = Booth.objects.get(mall=mall, number=number)
        made.append(
            complaint_register(
                mall=mall,
                actor=users["frontdesk"],
                customer_name=name,
                customer_mobile=mobile,
                customer_address="上海市普陀区真北路1108号",
                channel="walk_in",
                received_at=now - timedelta(days=days_ago, hours=2),
                purchase_date=timezone.localdate() - timedelta(days=days_ago + 20),
                voucher_number=f"SY20261{days_ago:03d}{len(made)}",
                paid_via_unified_cashier=True,
                booth=booth,
                goods=facts[:6],
                purchase_amount=Decimal("6800.00"),
                category=category,
                demand=demand,
                facts=facts,
            )
        )
    complaint_assign(complaint=made[0], actor=users["supervisor"], assignee=users["officer"])
    complaint_forward_to_merchant(complaint=made[0], actor=users["officer"], note="已电话通知商户")
    complaint_assign(complaint=made[1], actor=users["supervisor"], assignee=users["officer"])

    booth = Booth.objects.get(mall=mall, number="2F-C-003")
    return_check(
        return_request=return_register(
            mall=mall,
            actor=users["frontdesk"],
            customer_name="赵女士",
            customer_mobile="13912340005",
            merchant=booth.merchant,
            booth=booth,
            goods="乳胶床垫",
            price_paid=Decimal("3999.00"),
            payment_date=timezone.localdate() - timedelta(days=6),
            delivery_date=timezone.localdate() - timedelta(days=3),
            voucher_number="SY2026112301",
        ),
        actor=users["frontdesk"],
    )

    customer = made[0].customer
    for n, number in enumerate(("1F-A-008", "2F-B-015", "4F-C-021")):
        booth = Booth.objects.get(mall=mall, number=number)
        delivered = timezone.localdate() - timedelta(days=2 + n)
        Sale.objects.get_or_create(
            mall=mall,
            order_number=f"DEMO-{mall.code}-{n + 1:04d}",
            defaults={
                "paid_at": now - timedelta(days=10 + n),
                "customer": customer,
                "merchant": booth.merchant,
                "booth": booth,
                "goods": ["三人位布艺沙发", "实木餐桌", "遮光窗帘"][n],
                "amount": Decimal(["6800.00", "4200.00", "1280.00"][n]),
                "delivery_date": delivered,
                "warranty_months": 12,
            },
        )
    callbacks_schedule()
    callbacks_send_surveys()
