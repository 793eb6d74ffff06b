"""Every write of the followups app. Views, tasks, commands and tests call these."""

from .outcomes import (
    COMPLAINT_RESPONSE,
    Recorded,
    callback_reassign,
    callback_record,
    callback_record_for_complaint,
    callbacks_record_call,
    check_worker,
    new_complaint_url,
    record_answer,
)
from .sales_import import IMPORTERS, RowResult, sales_import_file, sales_import_run, sales_import_start, sales_rows_save
from .scheduling import callback_staff, callbacks_assign, callbacks_mark_overdue, callbacks_schedule
from .surveys import callback_answer_survey, callbacks_send_surveys, survey_for
from .visits import home_visit_record, home_visit_schedule

__all__ = [
    "COMPLAINT_RESPONSE",
    "IMPORTERS",
    "Recorded",
    "RowResult",
    "callback_answer_survey",
    "callback_reassign",
    "callback_record",
    "callback_record_for_complaint",
    "callback_staff",
    "callbacks_assign",
    "callbacks_mark_overdue",
    "callbacks_record_call",
    "callbacks_schedule",
    "callbacks_send_surveys",
    "check_worker",
    "home_visit_record",
    "home_visit_schedule",
    "new_complaint_url",
    "record_answer",
    "sales_import_file",
    "sales_import_run",
    "sales_import_start",
    "sales_rows_save",
    "survey_for",
]
