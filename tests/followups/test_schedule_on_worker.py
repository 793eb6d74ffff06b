"""The daily scheduling task, run by a real Celery worker through Redis against the test
database."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from followups.models import Callback, CallbackKind
from tests.followups.factories import SaleFactory
from tests.workers import real_worker


@pytest.mark.django_db(transaction=True)
def test_daily_scheduling_runs_on_a_real_worker(postgres, redis_url, mall, staff):
    officer = staff("complaint_officer")
    sale = SaleFactory(mall=mall, delivery_date=timezone.localdate() - timedelta(days=1))
    with real_worker(redis_url) as worker:
        for _ in range(2):  # twice: the second run must create nothing
            worker.send("followups.schedule_callbacks")
        assert worker.wait_for(lambda: Callback.objects.filter(sale=sale).exists()), "no run within 60 s"
        time.sleep(1)  # let the second message finish too
    callback = Callback.objects.get(sale=sale)
    assert callback.kind == CallbackKind.AFTER_SALE and callback.assignee == officer
    assert Callback.objects.count() == 1
