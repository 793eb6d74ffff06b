"""The Python work of a page in instructions: what a page costs the web process, repeatable within
a fraction of a percent whatever else the machine is doing (docs/benchmarks.md §26). Wall times on a shared
2-core machine move by a third between runs of the same code; this is how a change to a page's
Python is compared before and after.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_chain .venv/bin/python -m bench.instructions
    ... -m bench.instructions --only "first page" --requests 20

Each page of bench/pages.py (GET only) is requested in-process through Django's test client by a
process under `valgrind --tool=callgrind`: warm-up requests, then `--requests` more; the same
process with none after its warm-up is the baseline, and the difference over `--requests` is the
page's instructions. Counted: the process's own user-space work (Django, the app, the database
driver's side); not the database server, not the kernel. About two minutes a page.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings")

WARMUP = 10
COLLECTED = re.compile(r"Collected : (\d+)")


def child(username, path, requests):
    """In the measured process: sign in (no request), warm up, then `requests` requests."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    for _ in range(WARMUP + requests):
        response = client.get(path)
        if response.status_code != 200:
            sys.exit(f"{path} answered {response.status_code}")


def instructions(username, path, requests):
    """Instructions of `requests` requests of `path` after the warm-up, in one process."""
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        "-m",
        "bench.instructions",
        "--child",
        username,
        path,
        str(requests),
    ]
    env = {**os.environ, "DEBUG": "false"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=Path(__file__).parent.parent)  # noqa: S603
    found = COLLECTED.search(done.stderr)
    if done.returncode != 0 or not found:
        raise RuntimeError(f"callgrind failed for {path}: {done.stderr[-2000:]}")
    return int(found.group(1))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="the pages whose name contains this text")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--child", nargs=3, metavar=("USER", "PATH", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        username, path, requests = args.child
        child(username, path, int(requests))
        return 0
    if shutil.which("valgrind") is None:
        sys.exit("bench.instructions: needs valgrind (Debian package valgrind)")

    import django

    django.setup()
    from .harness import require_postgres
    from .pages import cases, pick_sample

    require_postgres()
    sample = pick_sample()
    for case in cases(sample):
        if case.method != "GET" or (args.only and args.only not in case.name):
            continue
        base = instructions(case.who, case.path, 0)
        more = instructions(case.who, case.path, args.requests)
        per_request = (more - base) / args.requests
        print(f"{case.name}: {per_request / 1e6:.2f}M instructions a request ({case.who or 'anonymous'})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
