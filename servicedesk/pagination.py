"""Pagination that does not count a million rows to show fifty.

Django's Paginator runs COUNT(*) over the whole filtered list for "page 1 of N". On the
head-office register (every complaint of the chain) that count costs more than the page. This
paginator counts at most `floor` rows, or a page beyond the one asked for, whichever is more,
so "Next" always works and the label says "200+" when there are more.
"""

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

from .fixedsql import QueryShapes

COUNT_FLOOR = 10_000


def bounded_count(queryset):
    """`queryset.count()` of a sliced queryset, as one `SELECT COUNT(*) FROM (its SQL)`: Django's
    count of a slice builds an aggregation query around a relabelled copy of it and compiles
    both, ~0.3 ms of Python a page for one number (issue #22). Same statement, same database."""
    try:
        sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:
        return 0  # a condition that matches nothing (`none()`, `pk__in=[]`): no query, as Django does
    return _count(queryset.db, sql, params)


def _counted(queryset, limit):
    return queryset.order_by().values("pk")[:limit]


# The paginator's count of a list of a known shape (the register's first pages: its mall or
# none, perhaps a status) from the statement compiled for that shape: building the slice of ids
# and compiling it cost ~0.3 ms of Python a page (issue #22). Same statement as bounded_count's.
_COUNTS = QueryShapes(_counted)


def _count(alias, sql, params):
    with connections[alias].cursor() as cursor:
        # As Django writes it; `sql` is the ORM's compiled statement, its values all in `params`.
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) subquery", params)  # noqa: S608
        return cursor.fetchone()[0]


class BoundedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, page=None, floor=COUNT_FLOOR, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        try:
            wanted = max(int(page), 1)
        except (TypeError, ValueError):
            wanted = 1
        self.limit = max(floor, (wanted + 1) * per_page)
        self.is_capped = False

    @cached_property
    def count(self):
        # Only whether there are that many rows: no ordering, no annotations, just ids.
        statement = _COUNTS.statement(self.object_list, self.limit + 1)
        if statement is None:
            counted = bounded_count(_counted(self.object_list, self.limit + 1))
        else:
            sql, params, _converters = statement
            counted = _count(self.object_list.db, sql, params)
        self.is_capped = counted > self.limit
        return min(counted, self.limit)

    @property
    def num_pages_label(self):
        return f"{self.num_pages}+" if self.is_capped else str(self.num_pages)
