"""Where a read goes, decided without a real replica: the router's rules, the read-your-writes
cookie, the lag rule, and the list of routed pages. The same rules against a real streaming
standby are in tests/topology/."""

import time

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import NoReverseMatch, resolve, reverse
from django.utils import translation

from servicedesk import replica
from servicedesk.replica import DEFAULT, REPLICA, ReplicaReadsMiddleware, ReplicaRouter, read_replica


@pytest.fixture
def healthy(monkeypatch, settings):
    """A replica that is configured and answers (no connection is made: routing only)."""
    settings.REPLICA_READ_YOUR_WRITES_SECONDS = 10
    settings.REPLICA_MAX_LAG_SECONDS = 30
    monkeypatch.setattr(replica, "configured", lambda: True)
    state = {"usable": True}
    monkeypatch.setattr(
        replica.health, "state", lambda fresh=False: replica.ReplicaState(state["usable"], 0.0, "", 0.0)
    )

    class Connection:
        connection = object()

        def close_if_health_check_failed(self):
            pass

        def ensure_connection(self):
            pass

    real = replica.connections

    class Connections:
        def __getitem__(self, alias):
            return Connection() if alias == REPLICA else real[alias]

    monkeypatch.setattr(replica, "connections", Connections())
    return state


def read_alias():
    return ReplicaRouter().db_for_read(None)


def test_reads_outside_a_replica_block_go_to_the_primary(healthy):
    assert read_alias() == DEFAULT


def test_reads_in_a_block_go_to_the_replica_and_writes_never_do(healthy):
    with read_replica():
        assert read_alias() == REPLICA
        with read_replica():  # nested: the same decision
            assert read_alias() == REPLICA
    assert ReplicaRouter().db_for_write(None) == DEFAULT
    assert read_alias() == DEFAULT


def test_a_read_after_a_write_in_the_block_stays_on_the_primary(healthy):
    with read_replica():
        assert read_alias() == REPLICA
        assert ReplicaRouter().db_for_write(None) == DEFAULT
        assert read_alias() == DEFAULT
    with read_replica():  # a new block starts clean
        assert read_alias() == REPLICA


@pytest.mark.django_db
def test_reads_inside_a_transaction_stay_on_the_primary(healthy):
    # The test itself runs in a transaction (pytest-django): every read here is inside one.
    with read_replica():
        assert read_alias() == DEFAULT


@pytest.mark.django_db(transaction=True)
def test_reads_inside_an_atomic_block_stay_on_the_primary(healthy):
    with read_replica():
        assert read_alias() == REPLICA
        with transaction.atomic():
            assert read_alias() == DEFAULT
        assert read_alias() == REPLICA


def test_a_replica_that_is_down_or_lagging_leaves_reads_on_the_primary(healthy):
    healthy["usable"] = False
    with read_replica():
        assert read_alias() == DEFAULT


def test_pinned_to_the_primary_wins(healthy):
    with replica.pinned_to_primary(), read_replica():
        assert read_alias() == DEFAULT


def test_the_replica_is_never_migrated():
    router = ReplicaRouter()
    assert router.allow_migrate(DEFAULT, "complaints") is True
    assert router.allow_migrate(REPLICA, "complaints") is False


# --- The lag rule -----------------------------------------------------------------------------


def test_caught_up_over_a_live_stream_is_no_lag_however_old_the_last_commit(settings):
    settings.REPLICA_MAX_LAG_SECONDS = 30
    state = replica.judge(in_recovery=True, streaming=True, caught_up=True, replay_age=3600)
    assert state.usable and state.lag == 0


def test_replay_behind_counts_the_age_of_the_last_replayed_commit(settings):
    settings.REPLICA_MAX_LAG_SECONDS = 30
    assert replica.judge(True, True, False, 12.5).usable
    behind = replica.judge(True, True, False, 31)
    assert not behind.usable and behind.lag == 31 and "31.0" in behind.reason


def test_a_broken_stream_is_judged_by_the_last_commit_not_trusted(settings):
    settings.REPLICA_MAX_LAG_SECONDS = 30
    assert replica.judge(True, False, True, 5).usable
    assert not replica.judge(True, False, True, 45).usable
    assert not replica.judge(True, False, True, None).usable  # never replayed anything


def test_a_promoted_replica_is_not_read(settings):
    with translation.override("en"):
        state = replica.judge(in_recovery=False, streaming=False, caught_up=True, replay_age=None)
    assert not state.usable and "standby" in state.reason


def test_the_health_check_is_cached_and_refreshed(monkeypatch, settings):
    settings.REPLICA_CHECK_SECONDS = 5
    settings.REPLICA_RETRY_SECONDS = 30
    calls = []
    clock = {"now": 1000.0}
    monkeypatch.setattr(replica.time, "monotonic", lambda: clock["now"])

    def fake_measure():
        calls.append(clock["now"])
        return replica.ReplicaState(len(calls) != 2, 0.0, "", clock["now"])

    monkeypatch.setattr(replica, "measure", fake_measure)
    health = replica._Health()
    assert health.state().usable and len(calls) == 1
    clock["now"] += 4
    health.state()
    assert len(calls) == 1  # fresh enough: no query
    clock["now"] += 2
    assert not health.state().usable and len(calls) == 2  # measured again; this time down
    clock["now"] += 20
    health.state()
    assert len(calls) == 2  # a down replica is retried less often
    clock["now"] += 11
    assert health.state().usable and len(calls) == 3
    health.state(fresh=True)
    assert len(calls) == 4  # /status/ always measures


# --- Read-your-writes and the routed pages ----------------------------------------------------


def run_middleware(request, view_name="home"):
    seen = {}

    def view(request):
        seen["alias"] = replica.current_read_alias()
        return HttpResponse("ok")

    middleware = ReplicaReadsMiddleware(view)
    request.resolver_match = resolve(reverse(view_name))

    def get_response(req):
        middleware.process_view(req, view, (), {})
        return view(req)

    middleware.get_response = get_response
    response = middleware(request)
    return response, seen["alias"]


def test_a_post_pins_its_browser_to_the_primary_for_the_window(healthy, monkeypatch):
    factory = RequestFactory()
    now = time.time()
    monkeypatch.setattr(replica, "_wall_clock", lambda: now)
    response, alias = run_middleware(factory.post("/"))
    assert alias == DEFAULT
    cookie = response.cookies[replica.PRIMARY_COOKIE]
    assert float(cookie.value) == pytest.approx(now + 10)
    assert cookie["max-age"] == 10 and cookie["httponly"]

    pinned = factory.get("/", HTTP_COOKIE=f"{replica.PRIMARY_COOKIE}={cookie.value}")
    assert run_middleware(pinned)[1] == DEFAULT
    assert replica.PRIMARY_COOKIE not in run_middleware(pinned)[0].cookies  # a read does not extend it

    monkeypatch.setattr(replica, "_wall_clock", lambda: now + 10.5)
    assert run_middleware(pinned)[1] == REPLICA  # the window has passed
    assert run_middleware(factory.get("/"))[1] == REPLICA  # no cookie: another user


def test_a_forged_or_broken_cookie_does_not_pin_for_ever(healthy, monkeypatch):
    now = time.time()
    monkeypatch.setattr(replica, "_wall_clock", lambda: now)
    factory = RequestFactory()
    for value in (f"{now + 3600:.3f}", "soon", ""):
        request = factory.get("/", HTTP_COOKIE=f"{replica.PRIMARY_COOKIE}={value}")
        assert run_middleware(request)[1] == REPLICA, value


def test_only_the_listed_pages_open_a_replica_block(healthy):
    factory = RequestFactory()
    assert run_middleware(factory.get("/"), "reports:rollup")[1] == REPLICA
    assert run_middleware(factory.get("/"), "complaints:intake")[1] == DEFAULT
    assert run_middleware(factory.post("/"), "reports:rollup")[1] == DEFAULT


def test_without_a_replica_the_middleware_sets_no_cookie(rf, monkeypatch):
    monkeypatch.setattr(replica, "configured", lambda: False)
    response = ReplicaReadsMiddleware(lambda request: HttpResponse("ok"))(rf.post("/"))
    assert replica.PRIMARY_COOKIE not in response.cookies


def test_every_routed_page_exists_and_is_a_read():
    for name in sorted(replica.REPLICA_VIEWS):
        try:
            path = reverse(name)
        except NoReverseMatch:  # pragma: no cover - the failure message names it
            pytest.fail(f"REPLICA_VIEWS names {name}, which is not a URL")
        assert resolve(path).view_name == name
    # The heavy reads the issue names are all there.
    assert {
        "reports:weekly",
        "reports:rollup",
        "reports:appraisal",
        "home",
        "complaints:index",
    } <= replica.REPLICA_VIEWS
