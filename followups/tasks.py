"""Celery tasks: thin and idempotent; the work is in services."""

from celery import shared_task


@shared_task(name="followups.import_sales")
def import_sales(run_id):
    from .models import SalesImport
    from .services import sales_import_run

    run = SalesImport.objects.filter(pk=run_id).first()
    if run is not None:
        sales_import_run(run=run)


@shared_task(name="followups.schedule_callbacks")
def schedule_callbacks():
    """Daily (servicedesk/schedules.py): create and assign the callbacks that became due, then
    send the satisfaction survey of the service callbacks due (held by quiet hours until 8:00)."""
    from .services import callbacks_schedule, callbacks_send_surveys

    created = {str(kind): n for kind, n in callbacks_schedule().items()}
    created["surveys"] = callbacks_send_surveys()
    return created


@shared_task(name="followups.scan_overdue_callbacks")
def scan_overdue_callbacks():
    """Hourly: overdue callbacks; and any survey the daily run did not send (it failed, or the
    complaint was resolved and scheduled later in the day)."""
    from .services import callbacks_mark_overdue, callbacks_send_surveys

    return {"overdue": callbacks_mark_overdue(), "surveys": callbacks_send_surveys()}


@shared_task(name="followups.resume_queued_imports")
def resume_queued_imports():
    """Every 5 minutes (servicedesk/schedules.py): imports whose message was lost,
    and running imports whose heartbeat stopped (the worker or the command died)."""
    from .services.sales_import import resume_stalled_imports

    return resume_stalled_imports()
