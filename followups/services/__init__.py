"""Every write of the followups app. Views, tasks, commands and tests call these."""

from .sales_import import IMPORTERS, sales_import_file, sales_import_run, sales_import_start
from .scheduling import callback_staff, callbacks_assign, callbacks_mark_overdue, callbacks_schedule

__all__ = [
    "IMPORTERS",
    "callback_staff",
    "callbacks_assign",
    "callbacks_mark_overdue",
    "callbacks_schedule",
    "sales_import_file",
    "sales_import_run",
    "sales_import_start",
]
