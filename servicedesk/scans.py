"""The periodic scans' one way of working a due row (issue #17, STYLE.md): each due row is
claimed and handled in a transaction of its own.

    scan_each(due_rows_queryset, handle)

lists the due rows' ids (no lock held), then for each id opens a transaction, claims the row
again with `SELECT ... FOR NO KEY UPDATE OF <table> SKIP LOCKED` under the same filter (so a row
another worker holds, or one that stopped being due meanwhile, is skipped) and calls
`handle(row)`. A row that raises rolls back alone: it is logged and the scan goes on to the
next; it stays due, so the next run tries it again. What a handler writes must make a second run
harmless (a mark on the row, or a notification key), as every scan here does.
"""

import logging
from dataclasses import dataclass, field

from django.db import transaction

logger = logging.getLogger(__name__)


@dataclass
class ScanResult:
    results: list = field(default_factory=list)  # what each handled row's handler returned
    failed: list = field(default_factory=list)  # ids of the rows whose handler raised
    errors: list = field(default_factory=list)  # the exceptions, in the order of `failed`

    @property
    def total(self):
        """The sum of the handlers' results (numbers of notifications sent, for example)."""
        return sum(r for r in self.results if isinstance(r, int | float))


def scan_each(due, handle, *, name=None):
    """Handle every row of the queryset `due`, each in its own transaction (module docstring)."""
    name = name or f"{due.model._meta.label} scan"
    result = ScanResult()
    for pk in list(due.order_by().values_list("pk", flat=True).distinct()):
        try:
            with transaction.atomic():
                row = due.select_for_update(skip_locked=True, of=("self",), no_key=True).filter(pk=pk).first()
                if row is None:
                    continue  # another worker holds it, or it is no longer due
                result.results.append(handle(row))
        except Exception as exc:
            logger.exception("%s: row %s failed; the other rows go on, it stays due for the next run", name, pk)
            result.failed.append(pk)
            result.errors.append(exc)
    return result
