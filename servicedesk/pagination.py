"""Pagination that does not count a million rows to show fifty.

Django's Paginator runs COUNT(*) over the whole filtered list for "page 1 of N". On the
head-office register (every complaint of the chain) that count costs more than the page. This
paginator counts at most `floor` rows, or a page beyond the one asked for, whichever is more,
so "Next" always works and the label says "200+" when there are more.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_FLOOR = 10_000


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
        counted = self.object_list.order_by().values("pk")[: self.limit + 1].count()
        self.is_capped = counted > self.limit
        return min(counted, self.limit)

    @property
    def num_pages_label(self):
        return f"{self.num_pages}+" if self.is_capped else str(self.num_pages)
