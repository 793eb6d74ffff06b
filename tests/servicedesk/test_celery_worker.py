"""A real Celery worker, started as its own process against Redis and the test database,
picks up a task and its effect lands in PostgreSQL."""

import pytest

from servicedesk.models import Heartbeat
from tests.workers import real_worker


@pytest.mark.django_db(transaction=True)
def test_worker_round_trip_through_redis(postgres, redis_url):
    with real_worker(redis_url) as worker:
        worker.send("servicedesk.heartbeat", source="roundtrip")
        assert worker.wait_for(lambda: Heartbeat.objects.filter(name="roundtrip").exists()), "no run within 60 s"
        assert worker.queue in Heartbeat.objects.get(name="roundtrip").detail, "recorded by the worker we started"
