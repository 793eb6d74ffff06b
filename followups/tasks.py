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
    """Daily (servicedesk/schedules.py): create and assign the callbacks that became due."""
    from .services import callbacks_schedule

    return {str(kind): n for kind, n in callbacks_schedule().items()}


@shared_task(name="followups.scan_overdue_callbacks")
def scan_overdue_callbacks():
    from .services import callbacks_mark_overdue

    return callbacks_mark_overdue()


@shared_task(name="followups.resume_queued_imports")
def resume_queued_imports():
    """Every 5 minutes (servicedesk/schedules.py): imports whose message was lost,
    and running imports whose heartbeat stopped (the worker or the command died)."""
    from .services.sales_import import resume_stalled_imports

    return resume_stalled_imports()
