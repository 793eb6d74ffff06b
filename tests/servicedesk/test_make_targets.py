"""`make run` installs only what running needs, serves on HOST:PORT, and `make reset-demo`
rebuilds the demo (issue 15). Read from make's dry run (-n) with every target taken as stale (-B)."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def dry_run(*args):
    result = subprocess.run(
        ["make", "-n", "-B", *args], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    return result.stdout


def test_make_run_installs_the_runtime_requirements_only():
    commands = dry_run("run")
    assert "-r requirements.txt" in commands
    assert "requirements-dev.txt" not in commands


def test_make_test_installs_the_test_requirements():
    assert "-r requirements-dev.txt" in dry_run("test")


def test_make_run_serves_on_host_and_port():
    commands = dry_run("run", "HOST=0.0.0.0", "PORT=9123")
    assert "http://0.0.0.0:9123/" in commands
    assert "HOST=0.0.0.0 PORT=9123" in commands
    web = next(line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:"))
    assert "${HOST:-127.0.0.1}:${PORT:-8000}" in web
    assert "127.0.0.1:8000" in dry_run("run")


def test_worker_and_beat_run_under_supervise():
    lines = dict(line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line.strip())
    assert lines["worker"].split()[0] == "bin/supervise"
    assert lines["beat"].split()[0] == "bin/supervise"
    assert not lines["web"].strip().startswith("bin/supervise")


def test_reset_demo_starts_from_a_fresh_database_with_the_demo_data():
    commands = dry_run("reset-demo")
    assert "rm -rf var/db.sqlite3" in commands
    assert commands.index("migrate") < commands.index("demo_data")
