"""The home page's figures for each role, drawn from the same aggregates as the reports."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, Min, OuterRef, Q
from django.utils import timezone

from compensations.models import Compensation
from compensations.models import Status as CompensationStatus
from complaints.models import OPEN_STATES, Category, Complaint, ComplaintDeadline
from servicedesk.access import roles_in
from servicedesk.roles import Role

from .periods import week_of
from .weekly import complaint_counts, total, weekly_figures

TREND_WEEKS = 12


def _bars(pairs):
    """[(label, n)] -> [(label, n, percent of the largest)] for CSS bar charts."""
    largest = max((n for _label, n in pairs), default=0) or 1
    return [(label, n, round(100 * n / largest)) for label, n in pairs]


def mall_dashboard(user, mall):
    roles = roles_in(user, mall)
    now = timezone.now()
    today = timezone.localdate()
    complaints = Complaint.objects.filter(mall=mall)
    late = ComplaintDeadline.objects.filter(complaint=OuterRef("pk"), met_at__isnull=True, due_at__lte=now)
    counts = complaints.aggregate(
        today=Count("pk", filter=Q(received_at__date=today)),
        open=Count("pk", filter=Q(status__in=OPEN_STATES)),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATES) & Q(Exists(late))),
    )
    data = {"counts": counts}
    if Role.COMPLAINT_OFFICER in roles or Role.SUPERVISOR in roles:
        data["my_work"] = list(
            complaints.filter(assignee=user, status__in=OPEN_STATES)
            .annotate(next_due=Min("deadlines__due_at", filter=Q(deadlines__met_at__isnull=True)))
            .order_by("next_due")[:5]
        )
    if roles & {Role.SUPERVISOR, Role.MANAGER}:
        this_week = week_of(today)
        figures = weekly_figures([mall.pk], this_week)[mall.pk]
        previous = weekly_figures([mall.pk], this_week.previous())[mall.pk]
        data["week"] = {"now": figures, "before": previous}
        data["categories"] = _bars([(label, figures["by_category"].get(code, 0)) for code, label in Category.choices])
        data["top_merchants"], data["top_more"] = figures["top_merchants"], figures["top_more"]
        data["waiting_approvals"] = Compensation.objects.filter(mall=mall, status=CompensationStatus.PROPOSED).count()
    return data


def chain_trend(mall_ids, last_week, weeks=TREND_WEEKS):
    """[(week key "W47", received, closed)] for the `weeks` weeks up to `last_week`, oldest first.

    One query for all the weeks: received and closed count as in the weekly report's complaint
    section (received_at / closed_at in the week), so the trend and the reports agree."""
    periods = [last_week]
    for _week in range(weeks - 1):
        periods.append(periods[-1].previous())
    periods.reverse()
    first, after = periods[0].start, periods[-1].end
    aggregates = {}
    for index, period in enumerate(periods):
        aggregates[f"received_{index}"] = Count(
            "pk", filter=Q(received_at__gte=period.start, received_at__lt=period.end)
        )
        aggregates[f"closed_{index}"] = Count("pk", filter=Q(closed_at__gte=period.start, closed_at__lt=period.end))
    counts = Complaint.objects.filter(
        Q(received_at__gte=first, received_at__lt=after) | Q(closed_at__gte=first, closed_at__lt=after),
        mall_id__in=mall_ids,
    ).aggregate(**aggregates)
    return [
        (period.key[-3:], counts[f"received_{index}"], counts[f"closed_{index}"])
        for index, period in enumerate(periods)
    ]


# Bump when the cached value's shape changes, so a deploy never reads the old shape.
CHAIN_CACHE_VERSION = 1


def chain_cache_key(mall_ids, last_week):
    """The week and the exact malls asked for: a new week, a new mall or another head-office
    user's set of malls is another entry, never a stale one."""
    digest = hashlib.sha256(",".join(map(str, sorted(mall_ids))).encode()).hexdigest()[:16]
    return f"reports:chain-dashboard:v{CHAIN_CACHE_VERSION}:{last_week.key}:{digest}"


def chain_figures(mall_ids, last_week):
    """(last week's figures by mall, the 12-week trend): three statements (the settings in force,
    the complaint section's counts, the trend). The home shows received, closure and on-time rate
    only, so it runs only the complaint section's grouped counts, the weekly report's own code.

    Every week counted here has closed, so the result changes only by late edits (a complaint
    registered with an earlier received time, a setting given an earlier effective date, a data
    correction). It is kept in the cache for settings.CHAIN_DASHBOARD_CACHE_SECONDS (0: not
    cached): the home lags such an edit by at most that long; the reports are always live."""
    seconds = settings.CHAIN_DASHBOARD_CACHE_SECONDS
    key = chain_cache_key(mall_ids, last_week)
    found = cache.get(key) if seconds > 0 else None
    if found is None:
        found = (weekly_figures(mall_ids, last_week, sections=[complaint_counts]), chain_trend(mall_ids, last_week))
        if seconds > 0:
            cache.set(key, found, seconds)
    return found


def chain_dashboard(malls):
    """Head office: malls ranked by last week's closure rate, and the chain's 12-week trend."""
    today = timezone.localdate()
    last_week = week_of(today - timedelta(days=7))
    figures, trend = chain_figures([m.pk for m in malls], last_week)
    ranked = sorted(
        ((mall, figures[mall.pk]) for mall in malls),
        key=lambda pair: (pair[1]["closure_rate"] is None, -(pair[1]["closure_rate"] or 0)),
    )
    largest = max((max(r, c) for _k, r, c in trend), default=0) or 1
    return {
        "last_week": last_week,
        "ranked": ranked,
        "chain": total(figures.values()),
        "trend": [(key, r, c, round(100 * r / largest), round(100 * c / largest)) for key, r, c in trend],
    }
