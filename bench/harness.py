"""What every benchmark needs: a real gunicorn on 127.0.0.1, logged-in HTTP sessions, repeated
timings (median, p95), the query count of a page, and peak memory."""

import os
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1"  # benchmarks never leave this machine
SECRET = "bench-" + "k" * 60


def require_postgres():
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("bench: needs PostgreSQL (DATABASE_URL=postgres://...); SQLite figures would mean nothing.")


def free_port():
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def server_env():
    env = dict(os.environ)
    env.update(
        DEBUG="false",
        SECRET_KEY=env.get("SECRET_KEY", SECRET),
        ALLOWED_HOSTS=LOOPBACK,
        LOG_LEVEL="WARNING",
        # The load test logs in 100 users from one address: the lockout must not count them.
        AXES_FAILURE_LIMIT="1000",
    )
    return env


class Gunicorn:
    """`with Gunicorn(workers=2) as server:` serves the project on a free loopback port."""

    def __init__(self, workers=2):
        self.workers = workers
        self.port = free_port()
        self.url = f"http://{LOOPBACK}:{self.port}"
        self.process = None

    def __enter__(self):
        command = [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "servicedesk.wsgi:application",
            "--bind",
            f"{LOOPBACK}:{self.port}",
            "--workers",
            str(self.workers),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=server_env())  # noqa: S603 - our own command line
        # Ready means a page answered, not just the port: gunicorn's master listens at once, while
        # its workers are still importing Django (seconds on a busy machine).
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn did not start")
            if self.answers("/accounts/login/") == 200:
                return self
            time.sleep(0.3)
        self.__exit__()
        raise RuntimeError("gunicorn did not answer within 120 s")

    def answers(self, path):
        """The status of GET `path`, or None while nothing answers."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:  # noqa: S310 - our loopback server
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:
            return None

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def worker_peak_mb(self):
        """The highest peak RSS (VmHWM) among the workers, in MB."""
        peak = 0
        for pid in _children(self.process.pid):
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"VmHWM:\s+(\d+) kB", status)
            if match:
                peak = max(peak, int(match.group(1)))
        return round(peak / 1024)


def _children(pid):
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def login(base_url, username, password):
    """A requests session logged in through the real login form."""
    import requests

    session = requests.Session()
    session.get(f"{base_url}/accounts/login/", timeout=30)
    response = session.post(
        f"{base_url}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": f"{base_url}/accounts/login/"},
        timeout=30,
        allow_redirects=False,
    )
    if response.status_code != 302:
        raise RuntimeError(f"login as {username} failed ({response.status_code})")
    return session


def summarise(samples_ms):
    ordered = sorted(samples_ms)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return {"runs": len(ordered), "median_ms": round(statistics.median(ordered), 1), "p95_ms": round(p95, 1)}


def time_calls(call, repeat, warmup=2):
    """Run `call` warmup + repeat times; the samples (ms) of the timed runs."""
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def own_peak_mb():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
