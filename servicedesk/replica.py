"""Heavy reads on a streaming read replica (DATABASE_REPLICA_URL), everything else on the primary.

One mechanism decides where a read goes: a *replica block*.

- `read_replica()` (a context manager and a decorator) opens one in code: the report builds and
  exports run by workers, the bench's reads.
- `ReplicaReadsMiddleware` opens one around the GET pages named in `REPLICA_VIEWS` (the reports,
  the registers and their exports, the home page's dashboards).

Inside a block `ReplicaRouter` sends reads to the replica unless one of these holds, and then
they go to the primary:

- the user wrote a moment ago (read-your-writes: a non-safe request sets a cookie that pins the
  browser to the primary for `REPLICA_READ_YOUR_WRITES_SECONDS`, default 10);
- the code is inside a transaction on the primary, or has written anything in this block (every
  read inside a transaction that writes stays on the primary);
- the replica is down, is not a standby, or lags more than `REPLICA_MAX_LAG_SECONDS` (default 30)
  behind (`pg_last_xact_replay_timestamp`). The check is cached per process for
  `REPLICA_CHECK_SECONDS` (default 5; after a failure `REPLICA_RETRY_SECONDS`, default 30), so it
  costs one small query every few seconds, never one per request.

Outside a block every read goes to the primary, and every write always does. Without
DATABASE_REPLICA_URL none of this is installed.
"""

import threading
import time
from contextlib import ExitStack, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections

DEFAULT = "default"
REPLICA = "replica"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
PRIMARY_COOKIE = "sd_primary_until"
_wall_clock = time.time  # the read-your-writes cookie holds a wall-clock time (tests move it)

# The pages whose reads go to the replica (URL names; GET and HEAD only). Heavy, read-only, and
# mostly head office's: the weekly report, the rollup and its export, the appraisal, the home
# page's dashboards (the chain's 12-week trend), the registers and their prints and exports.
REPLICA_VIEWS = frozenset(
    {
        "home",
        "reports:weekly",
        "reports:rollup",
        "reports:appraisal",
        "complaints:index",
        "complaints:register_print",
        "complaints:register_export",
        "compensations:register",
        "compensations:register_export",
        "returns:summary",
        "followups:register",
    }
)

LAG_SQL = """
SELECT pg_is_in_recovery(),
       COALESCE((SELECT status = 'streaming' FROM pg_stat_wal_receiver), false),
       pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn(),
       EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
"""


def configured():
    return REPLICA in settings.DATABASES


@dataclass
class _Block:
    alias: str
    wrote: bool = False


_block = ContextVar("servicedesk_replica_block", default=None)
_pinned = ContextVar("servicedesk_primary_pinned", default=False)


@dataclass(frozen=True)
class ReplicaState:
    usable: bool
    lag: float | None  # seconds behind the primary; None when unknown
    reason: str  # why reads go to the primary ("" when usable)
    checked_at: float  # time.monotonic()


def measure():
    """Ask the replica itself how far behind it is. Never raises."""
    from django.utils.translation import gettext as _

    connection = connections[REPLICA]
    try:
        with connection.cursor() as cursor:
            cursor.execute(LAG_SQL)
            in_recovery, streaming, caught_up, replay_age = cursor.fetchone()
    except (DatabaseError, InterfaceError) as exc:
        _drop(connection)
        return ReplicaState(False, None, _("down: %(error)s") % {"error": _first_line(exc)}, time.monotonic())
    return judge(in_recovery, streaming, caught_up, replay_age)


def judge(in_recovery, streaming, caught_up, replay_age):
    """The replica's state from what it says about itself (see LAG_SQL)."""
    from django.utils.translation import gettext as _

    if not in_recovery:
        return ReplicaState(False, None, _("it is not a standby (promoted?)"), time.monotonic())
    # Caught up with everything received over a live stream: no lag, however old the last
    # commit is (an idle primary). Otherwise (replay behind, or the stream broken) the age of
    # the last replayed commit is the lag.
    lag = float(replay_age) if replay_age is not None else float("inf")
    if streaming and caught_up:
        lag = 0.0
    limit = settings.REPLICA_MAX_LAG_SECONDS
    if lag > limit:
        reason = _("lag %(lag).1f s is over the limit of %(limit)d s") % {"lag": lag, "limit": limit}
        return ReplicaState(False, lag, reason, time.monotonic())
    return ReplicaState(True, lag, "", time.monotonic())


class _Health:
    """The replica's last measured state, per process, refreshed every few seconds."""

    def __init__(self):
        self._state = None
        self._lock = threading.Lock()

    def state(self, *, fresh=False):
        current = self._state
        if not fresh and current is not None and time.monotonic() - current.checked_at < self._ttl(current):
            return current
        # One thread measures; the others go on with the last state rather than wait.
        if not self._lock.acquire(blocking=fresh or current is None):
            return current
        try:
            self._state = current = measure()
        finally:
            self._lock.release()
        return current

    @staticmethod
    def _ttl(state):
        return settings.REPLICA_CHECK_SECONDS if state.usable else settings.REPLICA_RETRY_SECONDS

    def mark_down(self, reason):
        self._state = ReplicaState(False, None, reason, time.monotonic())

    def reset(self):
        self._state = None


health = _Health()


def _drop(connection):
    try:
        connection.close()
    except (DatabaseError, InterfaceError):
        connection.connection = None


def _first_line(exc):
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]


def _choose():
    """Where this block's reads go, decided once when it opens."""
    from django.utils.translation import gettext as _

    if _pinned.get() or not health.state().usable:
        return DEFAULT
    connection = connections[REPLICA]
    try:
        # What Django does before a connection's first use in a request anyway (a stale
        # persistent connection is closed, a new one opened): a replica stopped since the last
        # check is found here, not half-way through the page.
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except (DatabaseError, InterfaceError) as exc:
        health.mark_down(_("down: %(error)s") % {"error": _first_line(exc)})
        return DEFAULT
    return REPLICA


@contextmanager
def read_replica():
    """Reads inside go to the replica when that is safe (see the module's doc); nests freely."""
    if _block.get() is not None or not configured():
        yield
        return
    block = _Block(alias=_choose())
    token = _block.set(block)
    try:
        yield
    except (OperationalError, InterfaceError) as exc:
        note_failure(exc, block)
        raise
    finally:
        _block.reset(token)


def note_failure(exc, block=None):
    """A database error inside a replica block: if the replica died, stop using it for a while."""
    from django.utils.translation import gettext as _

    block = block or _block.get()
    if block is None or block.alias != REPLICA or not isinstance(exc, (OperationalError, InterfaceError)):
        return
    connection = connections[REPLICA]
    if connection.connection is None or not connection.is_usable():
        _drop(connection)
        health.mark_down(_("down: %(error)s") % {"error": _first_line(exc)})


def current_read_alias():
    """Where a read made here and now would go."""
    block = _block.get()
    if block is None or block.alias != REPLICA or block.wrote or _pinned.get():
        return DEFAULT
    if connections[DEFAULT].in_atomic_block:
        return DEFAULT
    return REPLICA


@contextmanager
def pinned_to_primary():
    """Reads inside go to the primary whatever blocks open (what a fresh write asks for)."""
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


class ReplicaRouter:
    """settings.DATABASE_ROUTERS when DATABASE_REPLICA_URL is set."""

    def db_for_read(self, model, **hints):
        return current_read_alias()

    def db_for_write(self, model, **hints):
        block = _block.get()
        if block is not None:
            block.wrote = True  # the rest of this block reads what it wrote: from the primary
        return DEFAULT

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT  # the replica follows the primary; it is never migrated itself


def _recently_wrote(request, now):
    try:
        until = float(request.COOKIES.get(PRIMARY_COOKIE, ""))
    except ValueError:
        return False
    # A forged far-future value would only pin that browser to the primary; still, cap it.
    return now < until <= now + settings.REPLICA_READ_YOUR_WRITES_SECONDS + 1


class ReplicaReadsMiddleware:
    """Read-your-writes for a browser, and the replica block around the pages in REPLICA_VIEWS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not configured():
            return self.get_response(request)
        now = _wall_clock()
        writing = request.method not in SAFE_METHODS
        token = _pinned.set(writing or _recently_wrote(request, now))
        try:
            response = self.get_response(request)
        finally:
            stack = request.__dict__.pop("_replica_block", None)
            if stack is not None:
                stack.close()
            _pinned.reset(token)
        if writing:
            seconds = settings.REPLICA_READ_YOUR_WRITES_SECONDS
            response.set_cookie(
                PRIMARY_COOKIE,
                f"{now + seconds:.3f}",
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if configured() and request.method in ("GET", "HEAD") and match and match.view_name in REPLICA_VIEWS:
            stack = ExitStack()
            stack.enter_context(read_replica())
            request._replica_block = stack

    def process_exception(self, request, exception):
        note_failure(exception)
