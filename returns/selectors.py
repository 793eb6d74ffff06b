"""The 无理由退货处理汇总表: a period's returns and their totals, by aggregate SQL."""

from datetime import timedelta

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import TruncDate

from .models import ReturnStatus

REFUSED = Q(status=ReturnStatus.REFUSED) | (Q(status=ReturnStatus.CLOSED) & ~Q(refusal_reason=""))
APPROVED = Q(decided_by__isnull=False) & Q(refusal_reason="")


def period_returns(queryset, start, end):
    """Returns requested in [start, end] (dates, inclusive)."""
    return queryset.filter(requested_on__gte=start, requested_on__lte=end)


def summary(queryset):
    totals = queryset.aggregate(
        count=Count("pk"),
        approved=Count("pk", filter=APPROVED),
        refused=Count("pk", filter=REFUSED),
        refunded=Count("pk", filter=Q(refunded_at__isnull=False)),
        refund_sum=Sum("refund_amount"),
        price_sum=Sum("price_paid"),
        days_to_refund=Avg(
            ExpressionWrapper(TruncDate("refunded_at") - F("goods_received_on"), output_field=DurationField()),
            filter=Q(refunded_at__isnull=False, goods_received_on__isnull=False),
        ),
        delayed=Count("pk", filter=Q(delay_flagged=True)),
    )
    days = totals["days_to_refund"]
    totals["average_days_to_refund"] = round(days / timedelta(days=1), 1) if days is not None else None
    totals["refusal_reasons"] = list(
        queryset.filter(REFUSED).values("refusal_reason").annotate(n=Count("pk")).order_by("-n", "refusal_reason")
    )
    return totals
