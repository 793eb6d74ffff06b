"""Celery tasks: thin and idempotent; the work is in services."""

from celery import shared_task


@shared_task(name="followups.import_sales")
def import_sales(run_id):
    from .models import SalesImport
    from .services import sales_import_run

    run = SalesImport.objects.filter(pk=run_id).first()
    if run is not None:
        sales_import_run(run=run)
