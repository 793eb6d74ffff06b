"""The pages the issue names, with the data they are measured on and their goals.

Each case: (name, who, method, path, goal p95 ms, goal queries or None). `who` is a username
of the generated chain, or "" for the public (the customer's status page). The data is picked
from the database once: the busiest mall, one of its closed complaints (with a full handling
log), its customer's mobile, its busiest merchant, and a customer link to that complaint.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone


@dataclass
class Case:
    name: str
    who: str
    path: str
    goal_ms: float
    goal_queries: int | None = None
    method: str = "GET"


@dataclass
class Sample:
    mall_code: str
    complaint_pk: int
    complaint_number: str
    mobile: str
    customer_name: str
    merchant_pk: int
    booth_number: str
    day: object
    status_token: str = ""


def pick_sample():
    from complaints.models import Complaint
    from merchants.models import Booth
    from servicedesk.models import Mall

    busiest = Complaint.objects.values("mall").annotate(n=Count("pk")).order_by("-n", "mall")[0]["mall"]
    mall = Mall.objects.get(pk=busiest)
    complaint = (
        Complaint.objects.filter(mall=mall, status="closed").select_related("customer").order_by("-received_at").first()
    )
    merchant_pk = (
        Complaint.objects.filter(mall=mall, merchant__isnull=False)
        .values("merchant")
        .annotate(n=Count("pk"))
        .order_by("-n")[0]["merchant"]
    )
    # The intake names a booth that has a merchant now (the busiest merchant may have left).
    booth = Booth.objects.filter(mall=mall, merchant__isnull=False).order_by("pk").first()
    from portal.services import link_issue

    # A customer's link to an open complaint (one row more in the bench database): a closed one's
    # link expires 90 days after closing.
    followed = Complaint.objects.filter(mall=mall, closed_at__isnull=True).order_by("-received_at").first()
    status_token = link_issue(case=followed or complaint, purpose="bench")
    return Sample(
        status_token=status_token,
        mall_code=mall.code,
        complaint_pk=complaint.pk,
        complaint_number=complaint.number,
        mobile=complaint.customer.mobile,
        customer_name=complaint.customer.name,
        merchant_pk=merchant_pk,
        booth_number=booth.number,
        day=timezone.localdate(complaint.received_at),
    )


def cases(sample):
    code = sample.mall_code.lower()
    officer, frontdesk, manager = f"{code}-officer1", f"{code}-frontdesk", f"{code}-manager"
    since = (sample.day - timedelta(days=90)).isoformat()
    period = f"received_from={since}&received_to={sample.day.isoformat()}"
    return [
        Case("complaint register, first page (mall)", officer, "/complaints/", 100, 15),
        Case("complaint register, first page (head office, all malls)", "hq-headoffice", "/complaints/", 100, 15),
        Case(
            "complaint register, mall + status + category + period",
            "hq-headoffice",
            f"/complaints/?mall={sample.mall_code}&status=closed&category=Q&{period}",
            100,
            15,
        ),
        Case("complaint search by mobile", officer, f"/complaints/?q={sample.mobile}", 100, 15),
        Case("complaint search by number", officer, f"/complaints/?q={sample.complaint_number}", 100, 15),
        Case("complaint search by last 4 digits of a mobile", officer, f"/complaints/?q={sample.mobile[-4:]}", 100, 15),
        Case(
            "complaint search by last 4 digits (head office)",
            "hq-headoffice",
            f"/complaints/?q={sample.mobile[-4:]}",
            100,
            15,
        ),
        Case("complaint search by customer name", officer, f"/complaints/?q={sample.customer_name}", 100, 15),
        Case(
            "complaint search by number (head office)",
            "hq-headoffice",
            f"/complaints/?q={sample.complaint_number}",
            100,
            15,
        ),
        Case("complaint intake (POST)", frontdesk, "/complaints/new/", 100, None, method="POST"),
        Case("complaint detail with timeline", officer, f"/complaints/{sample.complaint_pk}/", 80),
        Case("approvals inbox (mall manager)", manager, "/compensations/", 100),
        Case("approvals inbox (head office)", "hq-headoffice", "/compensations/", 100),
        Case("callback worklist", officer, "/followups/", 100),
        Case("merchant page", manager, f"/merchants/{sample.merchant_pk}/", 100),
        Case("weekly report, one mall", manager, "/reports/weekly/", 300),
        Case("head-office rollup, all malls", "hq-headoffice", "/reports/rollup/", 3000),
        # Pinned at 8 queries cold, 5 with last week's figures cached (docs/benchmarks.md §15).
        Case("home page (head office, 12-week chain trend)", "hq-headoffice", "/", 300, 10),
        # Public and rate-limited (60 a minute per address): keep --repeat at 50 or below.
        Case("customer status page /c/<token>/ (anonymous)", "", f"/c/{sample.status_token}/", 50, 6),
    ]


def intake_data(sample, n):
    """A walk-in complaint about the sample booth from a new customer (a new mobile each time)."""
    from django.utils import timezone

    return {
        "customer_mobile": f"170{(n * 7919 + 12345) % 100_000_000:08d}",
        "customer_name": "基准顾客",
        "customer_address": "上海市普陀区金沙江路100号",
        "paid_via_unified_cashier": "yes",
        "booth": sample.booth_number,
        "channel": "walk_in",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "category": "Q",
        "demand": "repair",
        "facts": "沙发使用不到3个月出现塌陷，要求商户维修。",
    }
