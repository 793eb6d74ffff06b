"""Reads by number and the change feed (?since=): mall isolation, masked mobiles, stable and
gap-free under concurrent transactions."""

import threading

import pytest
from django.db import connection, connections, transaction

from api.models import Change
from complaints.models import Complaint, Status
from tests.complaints.factories import ComplaintFactory
from tests.factories import CustomerFactory
from tests.merchants.factories import MerchantFactory
from tests.returns.factories import ReturnFactory

pytestmark = pytest.mark.django_db
# The feed shows only changes whose transaction has ended, so the feed tests commit (a test
# wrapped in one transaction would wait behind itself).
feed_test = pytest.mark.django_db(transaction=True)


def complaint_in(mall, n=1, **kwargs):
    customer = CustomerFactory(mall=mall, mobile=f"1381234{n:04d}")
    return ComplaintFactory(mall=mall, customer=customer, number=f"TS-{mall.code}-20261126-{n:04d}", **kwargs)


def test_a_complaint_by_number_with_a_masked_mobile(make_client, mall):
    complaint = complaint_in(mall)
    _client, http = make_client(scopes=["cases:read"])
    answer = http.get(f"/api/v1/complaints/{complaint.number}/")
    assert answer.status_code == 200
    body = answer.json()
    assert body["number"] == complaint.number and body["status"] == "registered" and body["mall"] == "SH01"
    assert body["customer"]["mobile"] == "138****0001"


def test_pii_scope_shows_the_full_mobile(make_client, mall):
    complaint = complaint_in(mall)
    _client, http = make_client(scopes=["cases:read", "pii:read"])
    assert http.get(f"/api/v1/complaints/{complaint.number}/").json()["customer"]["mobile"] == "13812340001"


def test_another_malls_records_are_404(make_client, mall, other_mall):
    complaint = complaint_in(other_mall, 2)
    merchant = MerchantFactory(mall=other_mall)
    return_request = ReturnFactory(merchant=merchant, customer=CustomerFactory(mall=other_mall))
    _client, http = make_client(scopes=["cases:read"])
    assert http.get(f"/api/v1/complaints/{complaint.number}/").status_code == 404
    assert http.get(f"/api/v1/merchants/{merchant.pk}/").status_code == 404
    assert http.get(f"/api/v1/returns/{return_request.number}/").status_code == 404
    assert http.get("/api/v1/complaints/").json()["results"] == []


def test_returns_and_merchants_by_reference(make_client, mall):
    merchant = MerchantFactory(mall=mall, mobile="13911112222")
    return_request = ReturnFactory(merchant=merchant, customer=CustomerFactory(mall=mall))
    _client, http = make_client(scopes=["cases:read"])
    assert http.get(f"/api/v1/returns/{return_request.number}/").json()["number"] == return_request.number
    body = http.get(f"/api/v1/merchants/{merchant.pk}/").json()
    assert body["id"] == merchant.pk and body["mobile"] == "139****2222"
    assert http.get("/api/v1/merchants/abc/").status_code == 404


@feed_test
def test_the_feed_pages_through_every_change_once(make_client, mall):
    first = [complaint_in(mall, n) for n in range(1, 6)]
    _client, http = make_client(scopes=["cases:read"])
    page = http.get("/api/v1/complaints/?limit=2").json()
    seen = [c["number"] for c in page["results"]]
    while page["has_more"]:
        page = http.get(f"/api/v1/complaints/?limit=2&since={page['next_cursor']}").json()
        seen += [c["number"] for c in page["results"]]
    assert seen == [c.number for c in first]
    cursor = page["next_cursor"]
    assert http.get(f"/api/v1/complaints/?since={cursor}").json()["results"] == []
    Complaint.objects.filter(pk=first[1].pk).update(status=Status.ASSIGNED)  # no save: not a change
    first[1].status = Status.ASSIGNED
    first[1].save(update_fields=["status"])
    later = http.get(f"/api/v1/complaints/?since={cursor}").json()
    assert [c["number"] for c in later["results"]] == [first[1].number]
    assert later["results"][0]["status"] == "assigned"


def test_a_bad_cursor_or_limit_is_a_400(api):
    assert api.get("/api/v1/complaints/?since=%%%").json()["fields"]["since"]
    assert api.get("/api/v1/complaints/?since=bm9wZQ").status_code == 400
    assert api.get("/api/v1/complaints/?limit=0").status_code == 400
    assert api.get("/api/v1/complaints/?limit=x").status_code == 400


@feed_test
def test_the_feed_costs_a_fixed_number_of_queries(api, mall, django_assert_max_num_queries):
    for n in range(1, 31):
        complaint_in(mall, n)
    with django_assert_max_num_queries(6):
        answer = api.get("/api/v1/complaints/?limit=30")
    assert len(answer.json()["results"]) == 30


@feed_test
def test_a_change_committed_late_is_not_skipped(postgres, make_client, mall):
    """Transaction A writes first but commits last: a reader in between must not move its cursor
    past A's row; once A commits, A's row comes next."""
    _client, http = make_client(scopes=["cases:read"])
    early = complaint_in(mall, 1)
    start = http.get("/api/v1/complaints/").json()["next_cursor"]
    a_wrote, b_done, a_may_commit = threading.Event(), threading.Event(), threading.Event()
    slow = {}

    def transaction_a():
        try:
            with transaction.atomic():
                slow["complaint"] = complaint_in(mall, 2)
                a_wrote.set()
                a_may_commit.wait(30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=transaction_a)
    thread.start()
    assert a_wrote.wait(30)
    fast = complaint_in(mall, 3)  # B: written after A, committed before A
    b_done.set()
    middle = http.get(f"/api/v1/complaints/?since={start}").json()
    assert [c["number"] for c in middle["results"]] == [], "B waits behind A's still-open transaction"
    a_may_commit.set()
    thread.join(30)
    after = http.get(f"/api/v1/complaints/?since={middle['next_cursor']}").json()
    assert [c["number"] for c in after["results"]] == [slow["complaint"].number, fast.number]
    assert Change.objects.filter(object_id=early.pk).exists()
    assert connection.vendor == "postgresql"
