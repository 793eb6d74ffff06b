"""Hand a task to the broker without letting a broker outage fail the user's request.

Everything the desk must do later is first written to the database (a Notification with no
`emailed_at`, a SalesImport or a ReportExport still "queued"); the message in Redis is only a
prompt to do it now. If Redis is down the prompt is lost, the row is not: a periodic sweep finds
the row and does the work when the broker is back (servicedesk.send_unsent_notifications,
followups.resume_queued_imports, reports.resume_queued_exports). So a failed publish is logged,
never raised.
"""

import logging

from kombu.exceptions import OperationalError

log = logging.getLogger(__name__)


def enqueue(task, *args):
    try:
        task.apply_async(args=args, retry=False)
    except (OperationalError, OSError, ConnectionError) as error:
        log.warning("broker unavailable; %s left to the recovery sweep: %s", task.name, error)
        return False
    return True
