"""The desk's list of requests against a sale (no-reason returns, exchanges): one way to filter it."""

import contextlib
from datetime import date

from django.core.paginator import Paginator
from django.db.models import Q

from .phones import normalise_mobile


def request_register(request, queryset, *, statuses, per_page=50):
    """(page, status, query): the user's working mall, a status, a period of `requested_on`
    (`from`, `to`; a missing or mistyped date filters nothing) and a number or mobile typed in,
    newest first."""
    if request.mall is not None:
        queryset = queryset.for_mall(request.mall)
    status = request.GET.get("status", "")
    if status in statuses.values:
        queryset = queryset.filter(status=status)
    for name, lookup in (("from", "requested_on__gte"), ("to", "requested_on__lte")):
        with contextlib.suppress(ValueError):
            queryset = queryset.filter(**{lookup: date.fromisoformat(request.GET.get(name, ""))})
    query = request.GET.get("q", "").strip()
    if query:
        queryset = queryset.filter(Q(number__icontains=query) | Q(customer__mobile=normalise_mobile(query)))
    page = Paginator(queryset.order_by("-requested_on", "-pk"), per_page).get_page(request.GET.get("page"))
    return page, status, query
