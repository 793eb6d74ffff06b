"""The reminder one day before the merchant's answer is due: in-app and SMS, once (issue #19 §2)."""

from datetime import timedelta

import pytest
from django_celery_beat.models import PeriodicTask

from complaints.models import DeadlineKind
from complaints.services import complaint_record_merchant_reply
from merchantportal.services import merchant_reply_reminders
from merchants.models import MerchantPolicy
from servicedesk.models import Notification
from servicedesk.texts import render
from sms.models import SmsMessage

from .factories import merchant_user

pytestmark = pytest.mark.django_db


def due(shop):
    return shop["complaint"].deadlines.get(kind=DeadlineKind.MERCHANT_REPLY).due_at


def test_no_reminder_before_the_day_before(shop):
    assert merchant_reply_reminders(now=due(shop) - timedelta(hours=25)) == 0
    assert not SmsMessage.objects.filter(event="merchant_reply_due").exists()


def test_every_active_user_is_reminded_once_in_the_portal_and_by_sms(shop):
    second = merchant_user(shop["merchant"], mobile="13900000002", name="导购小李")
    gone = merchant_user(shop["merchant"], mobile="13900000003", name="已离职")
    gone.is_active = False
    gone.save()
    at = due(shop) - timedelta(hours=23)
    assert merchant_reply_reminders(now=at) == 2
    assert merchant_reply_reminders(now=at + timedelta(minutes=15)) == 0  # the next beat tick
    for account in (shop["account"], second):
        notice = Notification.objects.get(recipient=account.user)
        assert shop["complaint"].number in render(notice.title)
        assert SmsMessage.objects.filter(event="merchant_reply_due", mobile=account.mobile).count() == 1
    assert not Notification.objects.filter(recipient=gone.user).exists()
    assert not SmsMessage.objects.filter(mobile=gone.mobile).exists()


def test_the_reminder_time_is_the_malls_setting(shop):
    MerchantPolicy.objects.create(mall=shop["merchant"].mall, merchant_reminder_hours=48)
    assert merchant_reply_reminders(now=due(shop) - timedelta(hours=47)) == 1


def test_an_answered_complaint_is_not_reminded(shop):
    complaint_record_merchant_reply(
        complaint=shop["complaint"], actor=shop["account"].user, answer="agrees", reply="好"
    )
    assert merchant_reply_reminders(now=due(shop) - timedelta(hours=1)) == 0


def test_the_reminder_runs_on_beat():
    from tests.beat import seed_beat_schedules

    seed_beat_schedules()
    task = PeriodicTask.objects.get(task="merchantportal.remind_merchants")
    assert task.enabled and task.interval.every == 15
