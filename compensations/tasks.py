from celery import shared_task


@shared_task(name="compensations.remind")
def remind():
    """Hourly (migration 0003): payment due/overdue, approvals waiting, receivables overdue. Idempotent."""
    from .services import compensations_remind

    return compensations_remind()
