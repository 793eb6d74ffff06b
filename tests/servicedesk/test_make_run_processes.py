"""`make run`'s processes (the Procfile under honcho, on the embedded filesystem broker): a worker
that dies is started again by bin/supervise, and the web server answers all the while (issue 15:
honcho used to stop the web server and beat when the worker exited)."""

import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bench.soak import HONCHO, free_port, supervised
from servicedesk.models import Heartbeat
from tests.workers import database_url

ROOT = Path(__file__).resolve().parents[2]


def answers(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return None


def wait_until(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture
def make_run(tmp_path):
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("REDIS_URL", "DATABASE_REPLICA_URL", "CELERY_TASK_ALWAYS_EAGER")
    }
    env.update(
        DATABASE_URL=database_url(),
        VAR_DIR=str(tmp_path),
        DEBUG="true",
        PORT=str(port),
        HOST="127.0.0.1",
        DJANGO_SETTINGS_MODULE="servicedesk.settings",
        PYTHONUNBUFFERED="1",
    )
    log = (tmp_path / "honcho.log").open("w")
    honcho = subprocess.Popen(
        [str(HONCHO), "-f", str(ROOT / "Procfile"), "start"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield honcho, port, tmp_path / "honcho.log"
    finally:
        honcho.send_signal(signal.SIGINT)
        try:
            honcho.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(honcho.pid, signal.SIGKILL)
        log.close()


def worker_heartbeat():
    """The worker's last heartbeat as it wrote it (its own clock: the suite's may be pinned)."""
    return Heartbeat.objects.filter(name="worker").values_list("last_seen", flat=True).first()


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_is_started_again_and_the_web_server_answers_throughout(make_run):
    honcho, port, log = make_run
    wait_until(lambda: answers(port) == 200, 120, f"the web server\n{log.read_text()}")
    # The worker announces itself with a heartbeat task through the filesystem broker.
    wait_until(worker_heartbeat, 120, f"the worker's heartbeat\n{log.read_text()}")
    _, first = wait_until(lambda: supervised(honcho.pid, "worker")[1] and supervised(honcho.pid, "worker"), 30, "pid")

    before = worker_heartbeat()
    os.kill(first, signal.SIGKILL)
    statuses = []

    def replaced_and_working():
        statuses.append(answers(port))
        _, worker = supervised(honcho.pid, "worker")
        return worker and worker != first and worker_heartbeat() != before

    wait_until(replaced_and_working, 120, f"a new worker\n{log.read_text()}")
    assert honcho.poll() is None, log.read_text()
    assert statuses and set(statuses) == {200}, statuses
    assert "supervise: celery exited with status 137" in log.read_text()


def test_supervise_starts_a_command_again_when_it_exits_and_stops_it_on_sigterm(tmp_path):
    runs = tmp_path / "runs"
    script = f"echo $$ >> {runs}; exec sleep 300"  # each run notes its pid, then waits
    supervise = subprocess.Popen(
        [str(ROOT / "bin" / "supervise"), "sh", "-c", script], stderr=subprocess.PIPE, text=True
    )
    try:
        first = int(wait_until(lambda: runs.exists() and runs.read_text().split(), 30, "the first run")[0])
        os.kill(first, signal.SIGKILL)
        pids = wait_until(lambda: len(runs.read_text().split()) >= 2 and runs.read_text().split(), 30, "a second run")
        second = int(pids[1])
        assert second != first
        supervise.send_signal(signal.SIGTERM)
        assert supervise.wait(timeout=30) == 0
        wait_until(lambda: not Path(f"/proc/{second}").exists(), 30, "the command to stop with supervise")
    finally:
        if supervise.poll() is None:
            supervise.kill()
    assert "exited with status 137; starting it again in 1s" in supervise.stderr.read()
