"""Celery tasks of the API: thin wrappers; the work and the claiming are in api.webhooks."""

from celery import shared_task


@shared_task(name="api.send_webhook")
def send_webhook(delivery_id):
    from .webhooks import webhook_deliver

    delivery = webhook_deliver(delivery_id)
    return delivery.status if delivery is not None else None


@shared_task(name="api.sweep_webhooks")
def sweep_webhooks():
    """Every minute (servicedesk/schedules.py): deliveries that are due and were not sent."""
    from .webhooks import webhooks_sweep

    return webhooks_sweep()
