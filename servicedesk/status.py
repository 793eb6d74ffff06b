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
    return [check_database(), check_broker(), check_worker(), check_beat(), check_migrations()]


def _last_seen(name):
    return Heartbeat.objects.filter(name=name).first()


def _describe_seen(heartbeat):
    if heartbeat is None:
        return ""
    when = timezone.localtime(heartbeat.last_seen).strftime("%Y-%m-%d %H:%M:%S")
    return "; " + _("last seen %(when)s") % {"when": when}
