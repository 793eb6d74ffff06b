"""Soak test of `make run`'s processes: the zero-setup default (SQLite + the embedded filesystem
broker) kept busy for a long time, to show it stays up (issue 15).

    .venv/bin/python -m bench.soak                      # 30 minutes, every task every 5 s
    .venv/bin/python -m bench.soak --minutes 2 --every 3

What it does, in a folder of its own (var/soak/, or --var):
- migrate + demo_data on a fresh SQLite file, as `make run` does;
- every periodic task of beat's schedule is set to run every --every seconds (staggered by 1 s);
- the Procfile's three processes are started with honcho, as `make run` does (web on a free
  port; beat logs at DEBUG so that each sent task's id is in the log);
- the web server is asked for the sign-in page every 2 seconds for the whole run;
- half-way through, the worker process is killed (SIGKILL, as a crash would), and the run checks
  that bin/supervise starts a new one and that the web server went on answering;
- at the end beat is left running until the deadline, then the run waits (at most --drain
  seconds) until every task beat sent has been executed, and stops everything.

Counts: tasks sent by beat (by id), executed (succeeded or raised, by id), lost (sent, never
received), failed (raised), set aside by the broker as unreadable, worker restarts, web requests
that failed, and whether honcho stayed up. Exit status 0 only with no crash and no lost task.
Result: printed, and written to <var>/soak.json. Not part of `make test`.

It sends requests only to 127.0.0.1 and stops by itself.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / ".venv" / "bin" / "python"
HONCHO = ROOT / ".venv" / "bin" / "honcho"

SENT = re.compile(r"(?P<task>[\w.]+) sent\. id->(?P<id>[0-9a-f-]{36})")
RECEIVED = re.compile(r"Task (?P<task>[\w.]+)\[(?P<id>[0-9a-f-]{36})\] received")
SUCCEEDED = re.compile(r"Task (?P<task>[\w.]+)\[(?P<id>[0-9a-f-]{36})\] succeeded")
RAISED = re.compile(r"Task (?P<task>[\w.]+)\[(?P<id>[0-9a-f-]{36})\] raised")
RESTART = re.compile(r"supervise: (?P<name>\S+) exited with status (?P<status>\d+)")

SPEED_UP = """
from django_celery_beat.models import IntervalSchedule, PeriodicTask, PeriodicTasks
every = {every}
for n, task in enumerate(PeriodicTask.objects.filter(enabled=True).order_by("id")):
    schedule, _ = IntervalSchedule.objects.get_or_create(every=every + n % 3, period="seconds")
    task.interval, task.crontab, task.solar, task.clocked = schedule, None, None, None
    task.last_run_at = None
    task.save()
PeriodicTasks.update_changed()
print(PeriodicTask.objects.filter(enabled=True).count())
"""


SWITCH_OFF = """
from django_celery_beat.models import PeriodicTask, PeriodicTasks
PeriodicTask.objects.update(enabled=False)
PeriodicTasks.update_changed()
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid):
    """Process ids whose parent is `pid` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, so split after the last ')'.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def argv(pid):
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().decode().split("\0")[:-1]
    except OSError:
        return []


def descendants(pid):
    found, todo = [], [pid]
    while todo:
        kids = children(todo.pop())
        found.extend(kids)
        todo.extend(kids)
    return found


def supervised(honcho_pid, role):
    """(supervise pid, celery pid) of `role` ("worker" or "beat") under honcho, or (None, None).
    The tree is honcho -> sh -c -> bash bin/supervise -> celery ROLE."""
    for pid in descendants(honcho_pid):
        args = argv(pid)
        if len(args) > 1 and args[1].endswith("bin/supervise") and role in args:
            kids = [k for k in children(pid) if role in argv(k) and "bin/supervise" not in " ".join(argv(k))]
            return pid, (kids[0] if kids else None)
    return None, None


def web_ok(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=10) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def prepare(var, env, every, reuse):
    started = time.monotonic()
    if not (reuse and (var / "db.sqlite3").exists()):
        shutil.rmtree(var, ignore_errors=True)
        var.mkdir(parents=True)
        for command in (["migrate", "--noinput"], ["demo_data"]):
            manage = [str(PY), "manage.py", *command]
            subprocess.run(manage, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603 - ours
    shutil.rmtree(var / "celery", ignore_errors=True)
    count = subprocess.run(  # noqa: S603 - our own command line
        [str(PY), "manage.py", "shell", "-c", SPEED_UP.format(every=every)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    return int(count), time.monotonic() - started


def parse(log_text):
    def ids(pattern):
        return {m["id"]: m["task"] for m in pattern.finditer(log_text)}

    return {
        "sent": ids(SENT),
        "received": ids(RECEIVED),
        "succeeded": ids(SUCCEEDED),
        "raised": ids(RAISED),
        "restarts": [m.groupdict() for m in RESTART.finditer(log_text)],
        "unreadable": log_text.count("could not be read"),
        "unrecoverable": log_text.count("Unrecoverable error"),
    }


def soak(minutes, every, var, drain, kill_at, reuse=False):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "DATABASE_REPLICA_URL")}
    port = free_port()
    env.update(VAR_DIR=str(var), DEBUG="true", PORT=str(port), HOST="127.0.0.1", PYTHONUNBUFFERED="1")
    tasks, prepare_seconds = prepare(var, env, every, reuse)
    print(f"soak: {tasks} periodic tasks every {every}-{every + 2} s; prepared in {prepare_seconds:.0f} s", flush=True)

    # The Procfile as `make run` uses it; only beat's log level is raised, to log each task's id.
    procfile = var / "Procfile.soak"
    procfile.write_text(
        "\n".join(
            line.replace("--loglevel=INFO", "--loglevel=DEBUG") if line.startswith("beat:") else line
            for line in (ROOT / "Procfile").read_text().splitlines()
        )
        + "\n"
    )
    log_path = var / "soak.log"
    log = log_path.open("w")
    honcho = subprocess.Popen(  # noqa: S603 - our own command line
        [str(HONCHO), "-f", str(procfile), "-d", str(ROOT), "start"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    result = {
        "minutes": minutes,
        "every_seconds": every,
        "periodic_tasks": tasks,
        "prepare_seconds": round(prepare_seconds, 1),
        "web_requests": 0,
        "web_failures": 0,
        "web_failures_after_ready": 0,
    }
    try:
        started = time.monotonic()
        deadline = started + minutes * 60
        kill_time = started + minutes * 60 * kill_at
        ready_at = None
        killed = None
        while time.monotonic() < deadline:
            if honcho.poll() is not None:
                result["honcho_exited"] = honcho.returncode
                break
            ok = web_ok(port)
            result["web_requests"] += 1
            if ok and ready_at is None:
                ready_at = time.monotonic()
                result["web_ready_after_seconds"] = round(ready_at - started, 1)
            if not ok:
                result["web_failures"] += 1
                if ready_at is not None:
                    result["web_failures_after_ready"] += 1
            if killed is None and time.monotonic() >= kill_time:
                _, worker = supervised(honcho.pid, "worker")
                if worker:
                    os.kill(worker, signal.SIGKILL)
                    killed = {"pid": worker, "at_minute": round((time.monotonic() - started) / 60, 1)}
                    print(f"soak: killed the worker (pid {worker}) at minute {killed['at_minute']}", flush=True)
            if killed and "replacement_pid" not in killed:
                _, worker = supervised(honcho.pid, "worker")
                if worker and worker != killed["pid"]:
                    killed["replacement_pid"] = worker
                    killed["replaced_after_seconds"] = round(time.monotonic() - started - killed["at_minute"] * 60, 1)
            time.sleep(2)  # the load is beat's schedule; this only samples the web server
        result["worker_kill"] = killed

        # Let the worker finish what beat sent: switch the schedule off (beat stays up, as honcho
        # stops everything when one process ends), then wait until every sent id has run.
        subprocess.run(  # noqa: S603 - our own command line
            [str(PY), "manage.py", "shell", "-c", SWITCH_OFF], cwd=ROOT, env=env, check=True, capture_output=True
        )
        drain_deadline = time.monotonic() + drain
        while time.monotonic() < drain_deadline and honcho.poll() is None:
            log.flush()
            seen = parse(log_path.read_text(errors="replace"))
            if set(seen["sent"]) <= set(seen["succeeded"]) | set(seen["raised"]):
                break
            time.sleep(1)
        result["honcho_up_at_end"] = honcho.poll() is None
    finally:
        if honcho.poll() is None:
            honcho.send_signal(signal.SIGINT)  # honcho stops its processes as on Ctrl-C
            try:
                honcho.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(honcho.pid, signal.SIGKILL)
        log.close()

    seen = parse(log_path.read_text(errors="replace"))
    sent, received = set(seen["sent"]), set(seen["received"])
    executed = set(seen["succeeded"]) | set(seen["raised"])
    by_task = {}
    for task_id, name in seen["sent"].items():
        row = by_task.setdefault(name, {"sent": 0, "executed": 0})
        row["sent"] += 1
        row["executed"] += task_id in executed
    result.update(
        sent=len(sent),
        received=len(received & sent),
        executed=len(executed & sent),
        lost=sorted(sent - received),
        not_executed=sorted(sent - executed),
        failed={i: seen["raised"][i] for i in sorted(set(seen["raised"]) & sent)},
        unreadable_messages=seen["unreadable"],
        unrecoverable_errors=seen["unrecoverable"],
        restarts=seen["restarts"],
        by_task=by_task,
    )
    result["passed"] = bool(
        result.get("honcho_up_at_end")
        and not result["lost"]
        and not result["not_executed"]
        and not result["unrecoverable_errors"]
        and result["web_failures_after_ready"] == 0
        and killed
        and killed.get("replacement_pid")
    )
    (var / "soak.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--every", type=int, default=5, help="seconds between runs of each periodic task")
    parser.add_argument("--var", type=Path, default=ROOT / "var" / "soak")
    parser.add_argument("--drain", type=int, default=180, help="seconds to wait at the end for sent tasks")
    parser.add_argument("--kill-at", type=float, default=0.5, help="fraction of the run at which to kill the worker")
    parser.add_argument("--reuse", action="store_true", help="keep the database of an earlier run in --var")
    args = parser.parse_args(argv)
    result = soak(args.minutes, args.every, args.var.resolve(), args.drain, args.kill_at, args.reuse)
    summary = {k: v for k, v in result.items() if k not in ("lost", "not_executed", "failed")}
    summary.update(lost=len(result["lost"]), not_executed=len(result["not_executed"]), failed=len(result["failed"]))
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    print("soak: PASSED" if result["passed"] else "soak: FAILED")
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
