from celery import shared_task

from .services import heartbeat_record


@shared_task(name="servicedesk.heartbeat")
def heartbeat(source="worker"):
    """Scheduled by beat every 30 seconds (servicedesk/schedules.py): proves beat fires and a worker runs."""
    hostname = heartbeat.request.hostname or ""
    heartbeat_record(source="worker", detail=hostname)
    if source != "worker":
        heartbeat_record(source=source, detail=hostname)


@shared_task(name="servicedesk.email_notifications", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_notifications(ids):
    from .notifications import send_notification_emails

    return send_notification_emails(ids)


@shared_task(name="servicedesk.send_unsent_notifications")
def send_unsent_notifications():
    """Every 5 minutes (servicedesk/schedules.py): the outbox sweep for notifications left unsent."""
    from .notifications import send_unsent_notifications as sweep

    return sweep()
