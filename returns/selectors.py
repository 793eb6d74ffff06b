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


def return_next_step(r):
    """What the return waits for and who must do it (its page); None once closed. Approval and
    refusal: never the person who registered it; above the mall's limit only the manager."""
    from django.utils.translation import gettext as _

    from servicedesk.next_step import next_step
    from servicedesk.roles import Role

    from .models import DECIDERS, DESK, ReturnStatus

    s, mall = r.status, r.mall
    deciders = (Role.MANAGER,) if r.price_paid > r.policy().manager_above else DECIDERS
    steps = {
        ReturnStatus.REQUESTED: (_("check the return's eligibility"), DESK, ()),
        ReturnStatus.CHECKED: (_("approve or refuse the return"), deciders, (r.registered_by,)),
        ReturnStatus.APPROVED: (_("receive the goods back"), DESK, ()),
        ReturnStatus.GOODS_RECEIVED: (
            _("inspect the goods"),
            (Role.COMPLAINT_OFFICER, Role.SUPERVISOR, Role.MANAGER),
            (),
        ),
        ReturnStatus.INTACT: (_("refund the customer"), deciders, ()),
        ReturnStatus.NOT_INTACT: (_("refund the customer or close the return"), deciders, ()),
        ReturnStatus.REFUNDED: (_("close the return"), (*DECIDERS, Role.FRONT_DESK, Role.COMPLAINT_OFFICER), ()),
        ReturnStatus.REFUSED: (_("close the return"), (*DECIDERS, Role.FRONT_DESK, Role.COMPLAINT_OFFICER), ()),
    }
    if s not in steps:
        return None
    task, roles, exclude = steps[s]
    return next_step(task, mall, roles, exclude=exclude)
