"""Time the integration API against the chain in DATABASE_URL (PostgreSQL; generate it first with
`manage.py generate_chain`): a 5,000-row sales push (new rows, then the same rows again) and the
status read of a complaint by number, p95. Goals (issue 20): a batch <= 2 s, a read p95 <= 50 ms.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/servicedesk_bench .venv/bin/python -m bench.api

Requests go through Django's whole stack (middleware, token check, throttle in the cache,
serializer, JSON) in-process with the test client, so the figures are the server's time without
the network. Creates one API client ("bench") and pushes orders numbered BENCH-API-*; not part of
`make test`.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings")


def check(condition, what):
    if not condition:
        raise SystemExit(f"bench failed: {what}")


def p95(values):
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument("--reads", type=int, default=500)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from api.clients import api_client_create
    from api.models import ApiClient
    from complaints.models import Complaint
    from merchants.models import BoothTenancy
    from servicedesk.models import Mall

    settings.ALLOWED_HOSTS = ["*"]
    tenancy = BoothTenancy.objects.filter(end_date__isnull=True).select_related("booth", "mall").order_by("pk").first()
    mall = tenancy.mall
    admin, _ = get_user_model().objects.get_or_create(username="bench-api-admin", defaults={"is_superuser": True})
    old = f"bench-old-{time.time_ns()}"  # a rerun makes a fresh client; the last one's name is freed
    ApiClient.objects.filter(name="bench").update(name=old)
    get_user_model().objects.filter(username="api:bench").update(username=f"api:{old}")
    _client, token = api_client_create(
        name="bench",
        malls=Mall.objects.all(),
        scopes=["sales:write", "cases:read"],
        actor=admin,
        rate_per_minute=1_000_000,
    )
    http = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    counts = {
        "malls": Mall.objects.count(),
        "complaints": Complaint.objects.count(),
        "sales": __import__("followups.models", fromlist=["Sale"]).Sale.objects.count(),
    }
    print(f"chain: {counts}")

    stamp = time.strftime("%Y%m%d%H%M%S")
    paid = timezone.localtime(timezone.now() - timezone.timedelta(days=30)).strftime("%Y-%m-%d %H:%M:%S")
    start = max(tenancy.start_date, timezone.localdate() - timezone.timedelta(days=30))
    paid = f"{start:%Y-%m-%d} 14:30:00" if start.isoformat() > paid[:10] else paid

    def batch(b):
        return {
            "mall": mall.code,
            "sales": [
                {
                    "order_number": f"BENCH-API-{stamp}-{b}-{n:05d}",
                    "paid_at": paid,
                    "customer_name": f"顾客{n}",
                    "mobile": f"137{b:02d}{n:06d}",
                    "merchant_or_booth": tenancy.booth.number,
                    "goods": "布艺沙发",
                    "model": "FS-3",
                    "quantity": 1,
                    "amount": f"{1000 + n % 9000}.00",
                    "warranty_months": 12,
                }
                for n in range(5000)
            ],
        }

    import json

    first, again = [], []
    for b in range(args.batches):
        body = json.dumps(batch(b))
        started = time.perf_counter()
        answer = http.post("/api/v1/sales/", body, content_type="application/json")
        first.append(time.perf_counter() - started)
        check(answer.status_code == 200 and answer.json()["counts"]["created"] == 5000, answer.content[:500])
        started = time.perf_counter()
        answer = http.post("/api/v1/sales/", body, content_type="application/json")
        again.append(time.perf_counter() - started)
        check(answer.json()["counts"]["unchanged"] == 5000, answer.content[:500])
    print(
        f"sales push, 5,000 new rows: median {statistics.median(first):.2f} s, max {max(first):.2f} s "
        f"({args.batches} batches)"
    )
    print(
        f"sales push, the same 5,000 again (unchanged): median {statistics.median(again):.2f} s, max {max(again):.2f} s"
    )

    numbers = list(Complaint.objects.order_by("?").values_list("number", flat=True)[: args.reads])
    random.shuffle(numbers)
    http.get(f"/api/v1/complaints/{numbers[0]}/")  # warm the connection
    times = []
    for number in numbers:
        started = time.perf_counter()
        answer = http.get(f"/api/v1/complaints/{number}/")
        times.append(time.perf_counter() - started)
        check(answer.status_code == 200, answer.content[:500])
    print(
        f"complaint status read: p50 {statistics.median(times) * 1000:.1f} ms, p95 {p95(times) * 1000:.1f} ms, "
        f"max {max(times) * 1000:.1f} ms ({len(times)} reads)"
    )


if __name__ == "__main__":
    main()
