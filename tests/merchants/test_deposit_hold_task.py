from datetime import date

import pytest
import time_machine

from merchants.models import MerchantStatus
from merchants.open_cases import register_open_cases, unregister_open_cases
from merchants.tasks import scan_deposit_holds
from servicedesk.models import Notification
from servicedesk.roles import Role
from tests.merchants.factories import MerchantFactory

pytestmark = pytest.mark.django_db


@time_machine.travel(date(2026, 11, 27))
def test_hold_end_notifies_clerk_and_manager_once_however_often_it_runs(mall, staff):
    clerk, manager = staff(Role.CLERK), staff(Role.MANAGER)
    staff(Role.FRONT_DESK)
    merchant = MerchantFactory(mall=mall, status=MerchantStatus.EXITED, deposit_hold_until=date(2026, 11, 27))
    MerchantFactory(mall=mall, status=MerchantStatus.EXITED, deposit_hold_until=date(2026, 11, 28))
    scan_deposit_holds.delay()
    scan_deposit_holds.delay()
    notes = Notification.objects.all()
    assert sorted(n.recipient_id for n in notes) == sorted([clerk.pk, manager.pk])
    assert all(str(merchant) in n.title for n in notes)


@time_machine.travel(date(2026, 11, 27))
def test_open_cases_extend_the_hold(mall, staff):
    staff(Role.MANAGER)
    merchant = MerchantFactory(mall=mall, status=MerchantStatus.EXITED, deposit_hold_until=date(2026, 11, 1))
    register_open_cases("test", "测试", lambda m: ["TS-1"])
    try:
        scan_deposit_holds.delay()
        scan_deposit_holds.delay()
    finally:
        unregister_open_cases("test")
    merchant.refresh_from_db()
    assert merchant.deposit_hold_until == date(2026, 12, 27)
    assert Notification.objects.filter(key__contains="hold_extended").count() == 1
    assert not Notification.objects.filter(key__contains="hold_ended").exists()


@time_machine.travel(date(2026, 11, 27))
def test_other_malls_staff_are_not_told(mall, other_mall, staff):
    staff(Role.MANAGER, in_mall=other_mall)
    MerchantFactory(mall=mall, status=MerchantStatus.EXITED, deposit_hold_until=date(2026, 11, 1))
    scan_deposit_holds.delay()
    assert not Notification.objects.exists()


def test_the_scan_is_scheduled_daily():
    from django_celery_beat.models import PeriodicTask

    from tests.beat import seed_beat_schedules

    seed_beat_schedules()

    task = PeriodicTask.objects.get(task="merchants.deposit_hold_scan")
    assert task.enabled and task.crontab.hour == "7"
