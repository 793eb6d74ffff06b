"""The suite can be run with the clock pinned (PIN_CLOCK, tests/conftest.py): .ci/run does it at
23:30 UTC, when Shanghai is already on the next day (issue 15)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
from datetime import date, datetime, timezone as dt_timezone
from django.utils import timezone

def test_the_clock_is_pinned_and_shanghai_is_on_the_next_day():
    now = timezone.now()
    assert (now.astimezone(dt_timezone.utc).date(), now.astimezone(dt_timezone.utc).hour) == (date(2026, 12, 7), 23)
    assert timezone.localdate() == date(2026, 12, 8)
    assert timezone.localtime().hour == 7
"""


def test_pin_clock_sets_the_clock_for_the_whole_run(tmp_path):
    probe = ROOT / "tests" / "servicedesk" / f"test_zz_pin_probe_{os.getpid()}.py"
    probe.write_text(PROBE)
    try:
        env = dict(os.environ, PIN_CLOCK="2026-12-07T23:30:00Z")
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0", str(probe)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    finally:
        probe.unlink()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
