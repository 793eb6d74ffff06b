from celery import shared_task


@shared_task(name="complaints.scan_deadlines")
def scan_deadlines():
    """Every 15 minutes (servicedesk/schedules.py): warn, report overdue, escalate at 15 days. Idempotent."""
    from .services import deadlines_scan

    return deadlines_scan()
