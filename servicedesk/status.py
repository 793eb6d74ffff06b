"""Health of the parts the desk runs on, for the admin's /status/ page."""

from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.translation import gettext as _

from .celery import app as celery_app
from .models import Heartbeat


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    # Working, but not as configured (the replica): shown in amber, the page still answers 200.
    warning: bool = False


def check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return Check(_("Database"), True, connection.vendor)
    except Exception as exc:
        return Check(_("Database"), False, str(exc))


def check_broker():
    transport = settings.CELERY_BROKER_URL.split("://", 1)[0]
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return Check(_("Task broker"), True, transport)
    except Exception as exc:
        return Check(_("Task broker"), False, f"{transport}: {exc}")


def ping_workers(timeout=1.0):
    """Names of the workers that answer a ping now."""
    replies = celery_app.control.ping(timeout=timeout) or []
    return sorted(name for reply in replies for name in reply)


def check_worker():
    try:
        workers = ping_workers()
    except Exception as exc:
        workers, error = [], str(exc)
    else:
        error = ""
    seen = _last_seen("worker")
    if workers:
        return Check(_("Celery worker"), True, ", ".join(workers) + _describe_seen(seen))
    return Check(_("Celery worker"), False, (error or _("no worker answered")) + _describe_seen(seen))


def check_beat():
    seen = _last_seen("beat")
    fresh = seen is not None and timezone.now() - seen.last_seen < settings.HEARTBEAT_STALE_AFTER
    detail = _describe_seen(seen) if seen else _("never seen")
    return Check(_("Celery beat"), fresh, detail.strip("; "))


def check_migrations():
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan)
        return Check(_("Migrations"), False, _("pending: %s") % names)
    return Check(_("Migrations"), True, _("all applied"))


def all_checks():
    checks = [check_database(), check_broker(), check_worker(), check_beat(), check_migrations()]
    from . import replica

    if replica.configured():
        checks.append(check_replica())
    checks.append(check_queues())
    return checks


def check_replica():
    """The read replica: measured now (and the routing's cache refreshed with it)."""
    from . import replica

    state = replica.health.state(fresh=True)
    if state.usable:
        detail = _("lag %(lag).1f s; reports and registers read from the replica") % {"lag": state.lag}
        return Check(_("Read replica"), True, detail)
    detail = _("%(reason)s; reports and registers read from the primary") % {"reason": state.reason}
    return Check(_("Read replica"), True, detail, warning=True)


def worker_queues(timeout=1.0):
    """{worker name: [queue names]} of the workers that answer now."""
    replies = celery_app.control.inspect(timeout=timeout).active_queues() or {}
    return {name: sorted(q["name"] for q in queues) for name, queues in replies.items()}


def check_queues():
    """Every queue (celery: quick jobs; heavy: imports, exports, report builds) has a worker."""
    try:
        consumers = worker_queues()
    except Exception as exc:
        return Check(_("Task queues"), False, str(exc))
    parts, missing, nobody = [], [], _("no worker")
    for queue in settings.CELERY_TASK_QUEUES:
        names = sorted(name for name, queues in consumers.items() if queue in queues)
        parts.append(f"{queue}: {', '.join(names) if names else nobody}")
        if not names:
            missing.append(queue)
    return Check(_("Task queues"), not missing, "; ".join(parts))


def _last_seen(name):
    return Heartbeat.objects.filter(name=name).first()


def _describe_seen(heartbeat):
    if heartbeat is None:
        return ""
    when = timezone.localtime(heartbeat.last_seen).strftime("%Y-%m-%d %H:%M:%S")
    return "; " + _("last seen %(when)s") % {"when": when}
