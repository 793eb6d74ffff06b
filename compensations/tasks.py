from celery import shared_task


@shared_task(name="compensations.remind")
def remind():
    """Hourly (servicedesk/schedules.py): payment due/overdue, approvals waiting, receivables overdue. Idempotent."""
    from .services import compensations_remind

    return compensations_remind()
