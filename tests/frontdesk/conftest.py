from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from servicedesk.roles import Role

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Monday, mid-afternoon, in the malls' time zone.
MONDAY_AFTERNOON = datetime(2026, 3, 2, 15, 0, tzinfo=SHANGHAI)


def at(*args):
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def clock():
    """Pinned at Monday 2026-03-02 15:00 Shanghai; `clock.move_to(at(...))` moves it."""
    with time_machine.travel(MONDAY_AFTERNOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def desk(staff):
    return staff(Role.FRONT_DESK)


@pytest.fixture
def supervisor(staff):
    return staff(Role.SUPERVISOR)


@pytest.fixture
def manager(staff):
    return staff(Role.MANAGER)
