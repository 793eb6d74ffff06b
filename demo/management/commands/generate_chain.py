"""Generate a chain of malls at scale for benchmarks: `manage.py generate_chain --small`.

Refuses on a database that already has malls (it gives ids and numbers from scratch and is not
meant to be mixed with real data: generate into a fresh database), and refuses when DEBUG is
off unless --force (it makes demo-like users with a known password).
"""

import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from demo.chaingen import checks
from demo.chaingen.generate import PASSWORD, generate
from demo.chaingen.plan import Sizes
from servicedesk.models import Mall


class Command(BaseCommand):
    help = "Generate a realistic chain (malls, merchants, complaints, returns, compensations, sales, callbacks)."

    def add_arguments(self, parser):
        parser.add_argument("--small", action="store_true", help="the CI preset: 3 malls, 600 complaints, 3,000 sales")
        for name in ("malls", "merchants", "complaints", "returns", "compensations", "sales", "years"):
            parser.add_argument(f"--{name}", type=int, help=f"number of {name} (default: the issue's chain)")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--until", type=date.fromisoformat, help="last day of history, exclusive (default today)")
        parser.add_argument("--check", action="store_true", help="only run the consistency checks")
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off")

    def handle(self, *args, **options):
        if settings.DATABASE_PGBOUNCER:
            raise CommandError(
                "DATABASE_PGBOUNCER is on: the generator sets session options and drops indexes for the load, "
                "which PgBouncer's transaction pooling would scatter. Point DATABASE_URL at the primary itself."
            )
        if connection.vendor != "postgresql":
            raise CommandError("generate_chain writes with COPY: it needs PostgreSQL (set DATABASE_URL).")
        if options["check"]:
            return self._check()
        if not settings.DEBUG and not options["force"]:
            raise CommandError("DEBUG is off: this makes demo-like data with a known password. Add --force if meant.")
        if Mall.objects.exists():
            raise CommandError(
                "This database already has malls. generate_chain fills an empty database only: "
                "createdb a new one, migrate it and point DATABASE_URL at it."
            )
        base = Sizes.small() if options["small"] else Sizes()
        given = {
            k: options[k] for k in ("malls", "merchants", "complaints", "returns", "compensations", "sales", "years")
        }
        sizes = base.scaled(**given) if not options["small"] else base
        until = options["until"] or timezone.localdate()
        self.stdout.write(f"generating {sizes} until {until}, seed {options['seed']}")
        started = time.monotonic()
        written = generate(sizes, seed=options["seed"], until=until, log=self.stdout.write)
        seconds = time.monotonic() - started
        for table, rows in written.items():
            self.stdout.write(f"  {table}: {rows:,}")
        self.stdout.write(f"{sum(written.values()):,} rows in {seconds:.0f} s")
        self.stdout.write(
            f"logins: <mall code>-frontdesk / -officer1 / -manager ..., hq-headoffice; password {PASSWORD}"
        )
        return None

    def _check(self):
        found = checks.problems()
        for name, count in found.items():
            self.stderr.write(f"  {name}: {count}")
        if found:
            raise CommandError("the data is inconsistent")
        self.stdout.write("consistent")
