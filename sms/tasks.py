import logging

from celery import shared_task
from django.utils import timezone
from kombu.exceptions import OperationalError

log = logging.getLogger("sms")


@shared_task(name="sms.send")
def send_sms(ids):
    """Send these outbox rows now (enqueued on commit by sms_queue). A transient provider error
    puts a row back with a backoff; this task comes back for it then (and beat's sweep does, if
    that message is lost). Safe to run twice: each row is claimed once."""
    from .models import SmsMessage
    from .services import sms_send

    result = sms_send(ids)
    if result.retry:
        due = SmsMessage.objects.filter(pk__in=result.retry).order_by("not_before").values_list("not_before", flat=True)
        delay = max((due[0] - timezone.now()).total_seconds(), 1) if due else 60
        try:
            send_sms.apply_async(args=[result.retry], countdown=delay, retry=False)
        except (OperationalError, OSError) as error:
            log.warning("broker unavailable; SMS retry left to the sweep: %s", error)
    return result.sent


@shared_task(name="sms.sweep")
def sweep_sms():
    """Every minute (servicedesk/schedules.py): rows whose task was lost, ended backoffs and quiet
    hours, and rows stuck mid-send."""
    from .services import sms_sweep

    return sms_sweep()
