from celery import shared_task


@shared_task(name="merchantportal.remind_merchants")
def remind_merchants():
    """Every 15 minutes (migration 0001): remind merchant users before their answer is due. Idempotent."""
    from .services import merchant_reply_reminders

    return merchant_reply_reminders()
