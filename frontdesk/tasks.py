from celery import shared_task

from . import services


@shared_task(name="frontdesk.flag_missed_broadcasts")
def flag_missed_broadcasts():
    """Nightly (servicedesk/schedules.py): unticked broadcast slots become "missed"; supervisors hear once."""
    return services.flag_missed_broadcasts()


@shared_task(name="frontdesk.draw_up_programmes")
def draw_up_programmes():
    """Hourly: today's broadcast programme of every mall (pages only read it)."""
    return services.programmes_draw_up()


@shared_task(name="frontdesk.flag_unconfirmed_handovers")
def flag_unconfirmed_handovers():
    """Every 15 minutes (servicedesk/schedules.py): late handover confirmations go to the supervisor, once."""
    return services.flag_unconfirmed_handovers()


@shared_task(name="frontdesk.flag_overdue_incidents")
def flag_overdue_incidents():
    """Every 15 minutes (migration 0007): receptions and incidents past their clock, told once."""
    return services.flag_overdue_incidents()
