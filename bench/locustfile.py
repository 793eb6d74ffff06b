"""100 desk users at a mall's service desk: intake, lookups, the register, approvals.

Run by `bench/load.py` (which starts gunicorn and writes the data file this reads); on its own:
    BENCH_LOAD_DATA=var/bench/load-data.json locust -f bench/locustfile.py --headless --host http://127.0.0.1:PORT
"""

import itertools
import json
import os
import random

import gevent
from locust import HttpUser, between, events, task

DATA = json.loads(open(os.environ["BENCH_LOAD_DATA"], encoding="utf-8").read())  # noqa: SIM115
PASSWORD = DATA["password"]
_seats = itertools.count()

# BENCH_REQUESTS=N: stop after N desk requests (logins not counted) instead of after a time, so a
# smoke run on a busy machine still makes its requests (--run-time is then only a safety cap).
REQUESTS = int(os.environ.get("BENCH_REQUESTS") or 0)
_made = itertools.count(1)
_environment = None

# BENCH_STEADY_SECONDS=S: measure S seconds of steady state only. The statistics are reset when the
# last user has logged in, and the run stops S seconds later. A desk's staff log in once a shift;
# 100 logins at once (PBKDF2, ~0.5 s of CPU each) would otherwise queue every page behind them
# for the first 20-30 s and set the percentiles of a 5-minute run.
STEADY = float(os.environ.get("BENCH_STEADY_SECONDS") or 0)
_logged_in = itertools.count(1)


@events.init.add_listener
def _keep_environment(environment, **kwargs):
    global _environment
    _environment = environment


def _measure_steady_state():
    _environment.runner.stats.reset_all()
    gevent.sleep(STEADY)
    _environment.runner.quit()


@events.request.add_listener
def _stop_after_enough_requests(name, **kwargs):
    # Past the number asked by a margin: the requests in flight when the runner stops may not
    # reach the CSV (seen: 38 and 39 of 40 recorded), and the number asked is a floor.
    if REQUESTS and not name.startswith("login") and next(_made) == REQUESTS + 10:
        gevent.spawn(_environment.runner.quit)


class DeskUser(HttpUser):
    """Each simulated user sits at one mall's desk, as its front desk, officer or manager."""

    # A desk user acts every 5-15 s (reads a screen, talks to the customer, types). BENCH_WAIT
    # ("1,4") shortens the pause to push the server past what it can take (saturation run).
    wait_time = between(*(float(x) for x in os.environ.get("BENCH_WAIT", "5,15").split(",")))

    def on_start(self):
        seat = next(_seats)
        self.mall = DATA["malls"][seat % len(DATA["malls"])]
        self.role = ("frontdesk", "officer1", "officer2", "manager")[seat // len(DATA["malls"]) % 4]
        username = f"{self.mall['code'].lower()}-{self.role}"
        self.client.get("/accounts/login/", name="login form")
        response = self.client.post(
            "/accounts/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.client.cookies["csrftoken"]},
            allow_redirects=False,
            name="login",
        )
        if response.status_code != 302:
            raise RuntimeError(f"login failed for {username}")
        if STEADY and next(_logged_in) == _environment.runner.target_user_count:
            gevent.spawn(_measure_steady_state)
        self.intakes = itertools.count(seat * 1_000_000)

    @task(3)
    def register(self):
        self.client.get("/complaints/", name="register")

    @task(2)
    def register_filtered(self):
        status = random.choice(("closed", "assigned", "with_merchant", "registered"))
        self.client.get(f"/complaints/?status={status}&category=Q", name="register filtered")

    @task(3)
    def lookup_by_mobile(self):
        mobile = random.choice(self.mall["mobiles"])
        self.client.get(f"/complaints/?q={mobile}", name="search by mobile")

    @task(2)
    def lookup_by_number(self):
        self.client.get(f"/complaints/?q={random.choice(self.mall['numbers'])}", name="search by number")

    @task(2)
    def detail(self):
        self.client.get(f"/complaints/{random.choice(self.mall['complaints'])}/", name="complaint detail")

    @task(1)
    def approvals(self):
        if self.role == "manager":
            self.client.get("/compensations/", name="approvals inbox")
        else:
            self.register()

    @task(1)
    def worklist(self):
        if self.role.startswith("officer"):
            self.client.get("/followups/", name="callback worklist")
        else:
            self.register()

    @task(1)
    def intake(self):
        if self.role != "frontdesk":
            self.lookup_by_mobile()
            return
        n = next(self.intakes)
        response = self.client.post(
            "/complaints/new/",
            {
                "customer_mobile": f"171{n % 100_000_000:08d}",
                "customer_name": "压测顾客",
                "customer_address": "上海市普陀区金沙江路100号",
                "paid_via_unified_cashier": "yes",
                "booth": random.choice(self.mall["booths"]),
                "channel": "walk_in",
                "received_at": DATA["now"],
                "category": "D",
                "demand": "repair",
                "facts": "送货比约定日期晚了3天。",
                "csrfmiddlewaretoken": self.client.cookies["csrftoken"],
            },
            allow_redirects=False,
            name="intake POST",
        )
        if response.status_code != 302:
            response.failure(f"intake answered {response.status_code}")
