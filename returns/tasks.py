from celery import shared_task

from .services import refund_reminder_scan


@shared_task(name="returns.refund_reminder_scan")
def scan_refund_reminders():
    """Daily (servicedesk/schedules.py): refund due soon / overdue / deliberate delay, once each."""
    return refund_reminder_scan()
