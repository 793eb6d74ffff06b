"""The reports, registers and exports read from a real streaming standby; a user who just wrote
reads from the primary; a lagging or stopped standby leaves every read on the primary and
/status/ says so.

Which copy answered is seen two ways: the queries each connection ran, and the data itself:
the standby's replay is paused (`pg_wal_replay_pause()`) while a complaint is added on the
primary, so a page that counts 3 read the standby and a page that counts 4 read the primary.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import OperationalError, close_old_connections, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints.models import Complaint
from servicedesk import replica
from servicedesk.replica import read_replica
from servicedesk.roles import Role
from tests.complaints.factories import ComplaintFactory
from tests.complaints.test_complaint_views import intake_post
from tests.merchants.factories import BoothFactory

pytestmark = [pytest.mark.topology, pytest.mark.django_db(transaction=True, databases="__all__")]

SH = ZoneInfo("Asia/Shanghai")
WEEK = "2026-W47"


def in_week(mall):
    return ComplaintFactory(mall=mall, received_at=datetime(2026, 11, 18, 10, tzinfo=SH))


class Reads:
    """The complaint queries each copy answered during the block."""

    def __init__(self, aliases=("default", "replica")):
        self.aliases = aliases

    def __enter__(self):
        self.contexts = {alias: CaptureQueriesContext(connections[alias]) for alias in self.aliases}
        for context in self.contexts.values():
            context.__enter__()
        return self

    def __exit__(self, *exc):
        for context in self.contexts.values():
            context.__exit__(*exc)

    def on(self, alias):
        return [q["sql"] for q in self.contexts[alias].captured_queries if '"complaints_complaint"' in q["sql"]]


def received(client):
    """The chain's 'received' total on the head-office rollup for the week."""
    response = client.get(reverse("reports:rollup"), {"week": WEEK})
    assert response.status_code == 200
    received = [column.key for column, _label, _link in response.context["columns"]].index("received")
    return response.context["totals"][received]


@pytest.fixture
def week(mall):
    """Three complaints in the week, on both copies; replay then paused and a fourth added on the
    primary only."""

    def make(topology):
        for _ in range(3):
            in_week(mall)
        topology.pause_replay()
        return in_week(mall)

    return make


def test_reports_registers_and_exports_read_from_the_replica(topology, week, client, staff, mall):
    head_office, manager = staff(Role.HEAD_OFFICE), staff(Role.MANAGER)
    fourth = week(topology)

    client.force_login(head_office)
    with Reads() as reads:
        assert received(client) == "3"  # the standby has not replayed the fourth
    assert reads.on("replica") and not reads.on("default")

    pages = [
        (head_office, "home", {}),
        (head_office, "complaints:index", {}),
        (head_office, "complaints:register_export", {}),
        (head_office, "reports:rollup", {"week": WEEK, "format": "xlsx"}),
        (head_office, "reports:appraisal", {"month": "2026-11"}),
        (manager, "reports:weekly", {"week": WEEK}),
        (manager, "home", {}),
    ]
    for user, name, params in pages:
        client.force_login(user)
        with Reads() as reads:
            response = client.get(reverse(name), params)
        assert response.status_code == 200, name
        assert reads.on("replica"), f"{name} did not read the replica"
        assert not reads.on("default"), f"{name} read complaints from the primary"
    client.force_login(head_office)
    assert fourth.number not in client.get(reverse("complaints:index")).text

    # A page that is not a heavy read stays on the primary.
    client.force_login(manager)
    with Reads() as reads:
        assert client.get(reverse("complaints:detail", args=[fourth.pk])).status_code == 200
    assert reads.on("default") and not reads.on("replica")

    topology.resume_replay()
    client.force_login(head_office)
    assert received(client) == "4"


def test_the_export_task_builds_from_the_replica(topology, week, staff):
    from reports.models import ReportExport
    from reports.services import export_build

    head_office = staff(Role.HEAD_OFFICE)  # on both copies (membership decides the malls)
    week(topology)
    export = ReportExport.objects.create(requested_by=head_office, period_key=WEEK)
    with Reads() as reads:
        export_build(export.pk)  # what the heavy worker runs
    export.refresh_from_db()
    assert export.state == ReportExport.State.DONE  # its own row came from the primary
    assert reads.on("replica") and not reads.on("default")


def test_a_user_who_just_wrote_reads_from_the_primary_for_a_while(topology, client, staff, mall, monkeypatch):
    import time

    booth = BoothFactory(merchant__mall=mall)
    desk, officer = staff(Role.FRONT_DESK), staff(Role.COMPLAINT_OFFICER)
    topology.pause_replay()

    client.force_login(desk)
    response = client.post(reverse("complaints:intake"), intake_post(booth))
    assert response.status_code == 302
    number = Complaint.objects.get().number
    assert replica.PRIMARY_COOKIE in response.cookies

    with Reads() as reads:
        assert number in client.get(reverse("complaints:index")).text  # their own write, at once
    assert reads.on("default") and not reads.on("replica")

    from django.test import Client

    colleague = Client()
    colleague.force_login(officer)
    assert number not in colleague.get(reverse("complaints:index")).text  # the standby, paused

    later = time.time() + 11  # the window (10 s by default) has passed
    monkeypatch.setattr(replica, "_wall_clock", lambda: later)
    assert number not in client.get(reverse("complaints:index")).text  # back on the standby

    topology.resume_replay()
    assert number in client.get(reverse("complaints:index")).text
    assert number in colleague.get(reverse("complaints:index")).text


def test_reads_inside_a_transaction_that_writes_stay_on_the_primary(topology, mall):
    in_week(mall)
    topology.pause_replay()
    in_week(mall)  # on the primary only
    with read_replica():
        assert Complaint.objects.count() == 1  # the standby
        with transaction.atomic():
            assert Complaint.objects.count() == 2  # in a transaction: the primary
        assert Complaint.objects.count() == 1  # nothing written: the standby again
        with transaction.atomic():
            in_week(mall)
            assert Complaint.objects.count() == 3  # its own write, in its transaction
        assert Complaint.objects.count() == 3  # this block has written: the rest reads the primary
    with read_replica():
        assert Complaint.objects.count() == 1  # a new block: the standby (replay still paused)


def test_a_lagging_replica_is_left_and_status_says_so(topology, week, client, staff, settings):
    settings.REPLICA_MAX_LAG_SECONDS = 1
    head_office, admin = staff(Role.HEAD_OFFICE), staff(Role.ADMIN)
    week(topology)
    # Replay is paused and the primary has moved on: the lag grows with the clock.
    topology.wait("lag over 1 s", lambda: not replica.health.state(fresh=True).usable)

    client.force_login(head_office)
    with Reads() as reads:
        assert received(client) == "4"  # from the primary: complete
    assert reads.on("default") and not reads.on("replica")

    client.force_login(admin)
    page = client.get(reverse("status"))
    check = next(c for c in page.context["checks"] if c.name == "只读副本")
    # The desk works: a degradation in amber, not a fault (which would answer 503).
    assert check.ok and check.warning and "延迟" in check.detail and "主库" in check.detail
    assert "降级" in page.text

    topology.resume_replay()
    page = client.get(reverse("status"))
    check = next(c for c in page.context["checks"] if c.name == "只读副本")
    assert not check.warning and "副本" in check.detail
    client.force_login(head_office)
    with Reads() as reads:
        assert received(client) == "4"
    assert reads.on("replica") and not reads.on("default")


def test_a_stopped_replica_falls_back_to_the_primary(topology, week, client, staff):
    head_office, admin = staff(Role.HEAD_OFFICE), staff(Role.ADMIN)
    week(topology)
    client.force_login(head_office)
    assert received(client) == "3"  # the standby

    topology.stop_replica()
    close_old_connections()  # what every request does when it starts (the test client does not)
    with Reads(["default"]) as reads:
        assert received(client) == "4"  # the primary, no error
    assert reads.on("default")

    client.force_login(admin)
    check = next(c for c in client.get(reverse("status")).context["checks"] if c.name == "只读副本")
    assert check.warning and "主库" in check.detail

    topology.start_replica()
    replica.health.reset()  # or wait REPLICA_RETRY_SECONDS
    client.force_login(head_office)
    assert received(client) == "4"


def test_a_replica_that_dies_under_a_page_fails_that_page_only(topology, week, client, staff):
    head_office = staff(Role.HEAD_OFFICE)
    week(topology)
    client.force_login(head_office)
    assert received(client) == "3"  # the standby; its connection stays open

    topology.stop_replica()
    with pytest.raises(OperationalError):
        received(client)  # the page in flight when it died
    assert not replica.health.state().usable
    assert received(client) == "4"  # every later page: the primary
