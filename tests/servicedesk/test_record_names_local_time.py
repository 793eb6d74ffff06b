"""Records named by a time name it in Shanghai time (issue 15: a date taken from an aware
datetime in UTC is the previous day between 16:00 and 24:00 UTC)."""

from datetime import UTC, datetime

import pytest

from complaints.models import ComplaintDeadline, ComplaintPause, HandlingEntry
from frontdesk.models import Enquiry, Handover, SpotCheck
from servicedesk.models import Heartbeat

# 21:37 UTC on 1 December is 05:37 on 2 December in Shanghai.
MOMENT = datetime(2026, 12, 1, 21, 37, tzinfo=UTC)


@pytest.mark.parametrize(
    ("record", "shown"),
    [
        (Heartbeat(name="worker", last_seen=MOMENT), "2026-12-02 05:37"),
        (Handover(handed_over_at=MOMENT, shift="morning"), "2026-12-02 05:37"),
        (Enquiry(received_at=MOMENT), "2026-12-02 05:37"),
        (SpotCheck(checked_at=MOMENT, score=95), "2026-12-02"),
        (HandlingEntry(happened_at=MOMENT), "2026-12-02 05:37"),
        (ComplaintDeadline(complaint_id=1, kind="resolve", due_at=MOMENT), "2026-12-02 05:37"),
        (ComplaintPause(complaint_id=1, started_at=MOMENT), "2026-12-02"),
    ],
    ids=lambda value: type(value).__name__ if not isinstance(value, str) else value,
)
def test_a_records_name_gives_its_time_in_shanghai(record, shown):
    assert shown in str(record)
    assert "2026-12-01" not in str(record)
