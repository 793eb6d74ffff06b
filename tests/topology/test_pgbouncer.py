"""The desk through PgBouncer in transaction mode: every transaction may land on another server
connection, so nothing may rely on session state. The concurrency tests (numbering, two
approvers, simultaneous intake) are marked `concurrency` and run through PgBouncer in the same
run; these tests check the set-up and walk a complaint through its whole life."""

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from complaints.models import Complaint, Status
from servicedesk.roles import Role
from tests.complaints.factories import ComplaintFactory
from tests.complaints.test_complaint_views import intake_post
from tests.merchants.factories import BoothFactory

pytestmark = [pytest.mark.topology, pytest.mark.django_db(transaction=True, databases="__all__")]


def test_the_app_talks_to_pgbouncer_in_transaction_mode(topology, mall, monkeypatch):
    db = settings.DATABASES["default"]
    assert int(db["PORT"]) == topology.bouncer_port
    assert db["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert db["CONN_MAX_AGE"] == 0

    def no_server_side_cursor():
        raise AssertionError("a server-side cursor would outlive its transaction under PgBouncer")

    monkeypatch.setattr(connection, "chunked_cursor", no_server_side_cursor)
    for _ in range(3):
        ComplaintFactory(mall=mall)
    assert len(list(Complaint.objects.order_by("pk").iterator(chunk_size=2))) == 3  # outside a transaction
    with connection.cursor() as cursor:
        cursor.execute("SHOW timezone")
        # Already UTC on the role: Django sends no SET that PgBouncer would have to carry.
        assert cursor.fetchone()[0] == "UTC"
    config = topology._query(topology.bouncer_port, "SHOW CONFIG", dbname="pgbouncer")
    assert ("pool_mode", "transaction") in {(row[0], row[1]) for row in config}


def test_the_whole_complaint_workflow_through_pgbouncer(topology, client, staff, mall):
    booth = BoothFactory(merchant__mall=mall)
    desk, officer, supervisor = staff(Role.FRONT_DESK), staff(Role.COMPLAINT_OFFICER), staff(Role.SUPERVISOR)
    before = topology.bouncer_transactions()

    client.force_login(desk)
    response = client.post(reverse("complaints:intake"), intake_post(booth))
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.number.startswith(f"TS-{mall.code}-")

    steps = [
        (officer, "take", {}),
        (officer, "forward", {"note": "已电话通知商户店长"}),
        (officer, "merchant_reply", {"answer": "agrees", "reply": "同意上门维修"}),
        (officer, "propose", {"proposal": "商户3日内上门更换坐垫"}),
        (officer, "resolve", {"result": "repaired", "customer_agreement": "顾客电话确认同意", "settled_amount": ""}),
        (officer, "call_back", {"response": "satisfied", "note": "已修好"}),
        (supervisor, "close", {"note": ""}),
    ]
    for user, action, data in steps:
        client.force_login(user)
        response = client.post(reverse("complaints:act", args=[complaint.pk, action]), data)
        assert response.status_code == 302, (action, response.context and response.context["form"].errors)
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    page = client.get(reverse("complaints:detail", args=[complaint.pk]))
    assert "同意上门维修" in page.text
    # Every step's transaction went through PgBouncer (its own count, not ours).
    assert topology.bouncer_transactions() - before >= len(steps) + 1
