"""Squash an app's migrations 0001..<last> into one that creates every table whole (its fields,
indexes and constraints in CreateModel), keeping the replaced files (`replaces`).

Unlike `manage.py squashmigrations`, the RunPython operations (role groups, beat schedules) go
to the end, where they no longer stop the optimizer from folding the later AlterField/AddField/
AddConstraint into CreateModel; elidable ones (data fixes of rows that existed) are dropped: a
squashed migration is only ever applied to a database that has none of the replaced ones.
Usage (SQLite is enough; nothing is migrated):
    DATABASE_URL=sqlite:////tmp/squash.sqlite3 DJANGO_SETTINGS_MODULE=servicedesk.settings PYTHONPATH=. \
        .venv/bin/python bin/squash_migrations.py reports 0007 0001_squashed_0007_export_sweep_schedule
then `ruff check --fix` + `ruff format` the new file and `make check-migrations`.
"""

import sys
from pathlib import Path

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, migrations  # noqa: E402
from django.db.migrations.loader import MigrationLoader  # noqa: E402
from django.db.migrations.migration import SwappableTuple  # noqa: E402
from django.db.migrations.optimizer import MigrationOptimizer  # noqa: E402
from django.db.migrations.writer import MigrationWriter  # noqa: E402

app, last, name = sys.argv[1:4]
loader = MigrationLoader(connection)
last_key = loader.get_migration_by_prefix(app, last)
keys = [k for k in loader.graph.forwards_plan((app, last_key.name)) if k[0] == app]
squashed = [loader.disk_migrations[k] for k in keys]
schema, code, dependencies = [], [], set()
for m in squashed:
    if m.replaces:
        raise SystemExit(f"{m} is itself a squash")
    for op in m.operations:
        if isinstance(op, migrations.RunPython):
            if not op.elidable:
                code.append((m, op))
        elif isinstance(op, migrations.RunSQL):
            raise SystemExit(f"RunSQL in {m}: port it by hand")
        else:
            schema.append(op)
    for dep in m.dependencies:
        if isinstance(dep, SwappableTuple):
            if dep.setting == settings.AUTH_USER_MODEL:
                dependencies.add(("__setting__", "AUTH_USER_MODEL"))
            else:
                dependencies.add(dep)
        elif dep[0] != app:
            dependencies.add(dep)
operations = MigrationOptimizer().optimize(schema, app)
Migration = type(
    "Migration",
    (migrations.Migration,),
    {"dependencies": sorted(dependencies), "operations": operations, "replaces": keys, "initial": True},
)
text = MigrationWriter(Migration(name, app)).as_string()


def ref(function):
    if function is migrations.RunPython.noop:
        return "migrations.RunPython.noop"
    module = function.__module__
    if "<locals>" in function.__qualname__:
        raise SystemExit(f"{function.__qualname__}: a closure; mark it elidable or port it by hand")
    return f'import_module("{module}").{function.__qualname__}'


lines = []
for m, op in code:
    reverse = ref(op.reverse_code) if op.reverse_code else "None"
    lines.append(f"        # From {m.name}.\n        migrations.RunPython({ref(op.code)}, {reverse}),\n")
head, tail = text.rsplit("    ]\n", 1)
text = head + "".join(lines) + "    ]\n" + tail
text = text.replace("from django.db import", "from importlib import import_module\n\nfrom django.db import", 1)
note = (
    "# Squashed by bin/squash_migrations.py (docs/benchmarks.md §10): the replaced migrations' tables\n"
    "# created whole, their RunPython operations (groups, schedules) at the end. The replaced files\n"
    "# stay until every deployed database has applied this one; the functions are imported from them.\n"
)
text = note + text
path = f"{app}/migrations/{name}.py"
Path(path).write_text(text)
print(path, len(squashed), "migrations ->", len(operations), "operations +", len(code), "RunPython")
