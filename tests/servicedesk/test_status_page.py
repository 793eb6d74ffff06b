from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from servicedesk import status
from servicedesk.models import Heartbeat
from servicedesk.roles import Role
from servicedesk.tasks import heartbeat

pytestmark = pytest.mark.django_db


def test_heartbeat_task_records_worker_and_beat_and_is_harmless_twice():
    heartbeat.delay(source="beat")
    heartbeat.delay(source="beat")
    assert set(Heartbeat.objects.values_list("name", flat=True)) == {"worker", "beat"}


def test_status_page_for_admin_shows_every_part(client, staff, monkeypatch):
    monkeypatch.setattr(status, "ping_workers", lambda timeout=1.0: ["celery@desk1"])
    monkeypatch.setattr(status, "worker_queues", lambda timeout=1.0: {"celery@desk1": ["celery", "heavy"]})
    heartbeat.delay(source="beat")
    client.force_login(staff(Role.ADMIN))
    response = client.get(reverse("status"))
    page = response.content.decode()
    for part in ("数据库", "任务队列", "Celery 工作进程", "Celery 定时调度", "数据库迁移"):
        assert part in page
    assert "celery@desk1" in page
    assert response.status_code == 200, page


def test_status_page_reports_a_dead_worker_and_stale_beat(client, staff, monkeypatch):
    monkeypatch.setattr(status, "ping_workers", lambda timeout=1.0: [])
    Heartbeat.objects.create(name="beat", last_seen=timezone.now() - timedelta(hours=1))
    client.force_login(staff(Role.ADMIN))
    response = client.get(reverse("status"))
    assert response.status_code == 503
    checks = {c.name: c.ok for c in response.context["checks"]}
    assert checks["Celery 工作进程"] is False
    assert checks["Celery 定时调度"] is False
    assert checks["数据库"] is True


def test_pending_migrations_are_reported(monkeypatch):
    class FakeExecutor:
        def __init__(self, connection):
            self.loader = type("L", (), {"graph": type("G", (), {"leaf_nodes": lambda self: []})()})()

        def migration_plan(self, targets):
            migration = type("M", (), {"app_label": "complaints", "name": "0009_new"})()
            return [(migration, False)]

    monkeypatch.setattr(status, "MigrationExecutor", FakeExecutor)
    check = status.check_migrations()
    assert not check.ok and "complaints.0009_new" in check.detail


def test_no_pending_migrations_in_the_test_database():
    assert status.check_migrations().ok


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_status_page_is_for_admins_only(role, client, staff):
    client.force_login(staff(role))
    assert client.get(reverse("status")).status_code == 403
