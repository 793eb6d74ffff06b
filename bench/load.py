"""The load test: locust, headless, N desk users against gunicorn with 4 workers on 127.0.0.1,
for a fixed time (or, with --requests, a number of requests); it stops by itself. Writes
var/bench/load.json and prints rps, p95, errors.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_chain .venv/bin/python -m bench.load
    ... -m bench.load --users 4 --requests 40 --wait 0.2,1 --time 120s   # smoke (tests/bench): 40 requests
    ... -m bench.load --wait 1,4 --spawn-rate 2 --steady 300 --time 15m   # saturation, steady state
"""

import argparse
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings")

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"


def load_data(malls=25):
    """Per mall (the busiest first): booths, customers' mobiles, complaint numbers and ids."""
    from django.db.models import Count
    from django.utils import timezone

    from complaints.models import Complaint
    from demo.chaingen.generate import PASSWORD
    from merchants.models import Booth

    busiest = Complaint.objects.values("mall").annotate(n=Count("pk")).order_by("-n", "mall")[:malls]
    rows = []
    for mall_id in [row["mall"] for row in busiest]:
        complaints = list(
            Complaint.objects.filter(mall_id=mall_id)
            .order_by("-received_at")
            .values_list("pk", "number", "customer__mobile", "mall__code")[:50]
        )
        booths = list(
            Booth.objects.filter(mall_id=mall_id, merchant__isnull=False).values_list("number", flat=True)[:20]
        )
        rows.append(
            {
                "code": complaints[0][3],
                "complaints": [c[0] for c in complaints],
                "numbers": [c[1] for c in complaints],
                "mobiles": [c[2] for c in complaints],
                "booths": booths,
            }
        )
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    return {"password": PASSWORD, "malls": rows, "now": now}


def summary(csv_path):
    with open(csv_path, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_name = {}
    for row in rows:
        by_name[row["Name"]] = {
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "median_ms": float(row["Median Response Time"] or 0),
            "p95_ms": float(row["95%"] or 0) if row["95%"] != "N/A" else None,
            "rps": round(float(row["Requests/s"]), 1),
        }
    return by_name


def _desk_total(history_csv, stats, everything):
    """Requests, rps and failures of the desk's pages (without logins); median and p95 are the
    request-weighted figures of the pages (locust's own percentiles mix logins in)."""
    requests = sum(row["requests"] for row in stats.values())
    failures = sum(row["failures"] for row in stats.values())
    share = requests / everything["requests"] if everything["requests"] else 0
    p95s = [(row["p95_ms"] or 0, row["requests"]) for row in stats.values()]
    return {
        "requests": requests,
        "failures": failures,
        "rps": round(everything["rps"] * share, 1),
        "median_ms": _weighted(sorted((row["median_ms"], row["requests"]) for row in stats.values()), 0.5),
        "p95_ms": max((p for p, n in p95s if n), default=None),
    }


def _weighted(pairs, fraction):
    total = sum(n for _v, n in pairs)
    seen = 0
    for value, n in pairs:
        seen += n
        if seen >= fraction * total:
            return value
    return None


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--time", default="5m", help="how long; with --requests, only a cap")
    parser.add_argument("--requests", type=int, default=0, help="stop after this many desk requests (smoke)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--wait", default="5,15", help="seconds between a user's actions: min,max")
    parser.add_argument(
        "--steady",
        type=int,
        default=0,
        help="measure this many seconds of steady state, from the moment the last user has logged in "
        "(--time is then only a cap)",
    )
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)

    import django

    django.setup()
    from .harness import Gunicorn, require_postgres

    require_postgres()
    args.out.mkdir(parents=True, exist_ok=True)
    data_file = args.out / "load-data.json"
    from servicedesk.replica import read_replica

    with read_replica():  # the busiest malls: a count over every complaint, on the replica if there is one
        data = load_data()
    data_file.write_text(json.dumps(data, ensure_ascii=False))
    prefix = args.out / "load"
    with Gunicorn(workers=args.workers) as server:
        command = [
            str(ROOT / ".venv" / "bin" / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--host",
            server.url,
            "--users",
            str(args.users),
            "--spawn-rate",
            str(args.spawn_rate),
            "--run-time",
            args.time,
            "--stop-timeout",
            "10",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ]
        env = {
            **os.environ,
            "BENCH_LOAD_DATA": str(data_file),
            "BENCH_WAIT": args.wait,
            "BENCH_REQUESTS": str(args.requests),
            "BENCH_STEADY_SECONDS": str(args.steady),
        }
        locust = subprocess.run(command, cwd=ROOT, env=env, check=False)  # noqa: S603 - our own command line
        peak = server.worker_peak_mb()
    stats = summary(f"{prefix}_stats.csv")
    everything = stats.pop("Aggregated")
    # Logging in is once per user and costs a deliberate ~0.5 s of PBKDF2: reported apart, so the
    # desk's figures are about the desk's work.
    logins = {name: stats.pop(name) for name in ("login", "login form") if name in stats}
    total = _desk_total(f"{prefix}_stats_history.csv", stats, everything)
    result = {
        "users": args.users,
        "time": args.time,
        "steady_s": args.steady,
        "spawn_rate": args.spawn_rate,
        "requests_asked": args.requests,
        "workers": args.workers,
        "wait_s": args.wait,
        "total": total,
        "pages": stats,
        "logins": logins,
        "all_requests": everything,
        "worker_peak_mb": peak,
        "locust_exit": locust.returncode,
    }
    (args.out / "load.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    window = f"{args.steady} s of steady state" if args.steady else args.time
    print(
        f"load: {args.users} users (pause {args.wait} s) for {window}: {total['requests']} requests, "
        f"{total['rps']} rps, "
        f"median {total['median_ms']} ms, p95 {total['p95_ms']} ms, failures {total['failures']}, "
        f"worker peak {peak} MB"
    )
    for name, row in sorted(stats.items()):
        print(
            f"  {name}: {row['requests']} req, median {row['median_ms']} ms, p95 {row['p95_ms']} ms, "
            f"failures {row['failures']}"
        )
    return 1 if total["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
