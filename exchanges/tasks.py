from celery import shared_task

from .services.reminders import exchange_delay_scan


@shared_task(name="exchanges.delay_scan")
def scan_exchange_delays():
    """Daily (servicedesk/schedules.py): exchanges past the mall's deliberate-delay line, once each."""
    return exchange_delay_scan()
