from celery import shared_task

from .services import deposit_hold_scan


@shared_task(name="merchants.deposit_hold_scan")
def scan_deposit_holds():
    """Daily (servicedesk/schedules.py): ended deposit holds -> notify clerk and manager, once each."""
    return len(deposit_hold_scan())
