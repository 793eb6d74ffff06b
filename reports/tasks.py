from celery import shared_task

from .periods import last_full_week, parse_week
from .services import archive_weekly_reports, export_build, exports_resume_queued


@shared_task(name="reports.weekly_reports")
def build_weekly_reports(week=None):
    """Mondays 08:00 (servicedesk/schedules.py): last week's reports for every mall and head office."""
    period = parse_week(week) if week else last_full_week()
    return len(archive_weekly_reports(period))


@shared_task(name="reports.build_export", acks_late=True)
def build_export(export_id):
    """A large on-demand export; the page polls its progress."""
    return export_build(export_id).pk


@shared_task(name="reports.resume_queued_exports")
def resume_queued_exports():
    """Every 5 minutes (servicedesk/schedules.py): exports whose message to the broker was lost."""
    return exports_resume_queued()
