"""The 商场客服中心周报表: DOMAIN.md §8, by aggregate SQL grouped by mall.

Each section runs one grouped query for all the malls asked for, so the head-office rollup of
400 malls costs the same handful of queries as one mall's report. Counts are summed for totals;
rates are always recomputed from the sums, never averaged.
"""

from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, Sum

from complaints.models import Complaint, ComplaintDeadline
from complaints.models.clocks import DeadlineKind
from merchants.models import PriceTagInspection
from returns.models import ReturnRequest

OVERDUE_DAYS = 15
REPEAT_WINDOW_DAYS = 30
TOP_MERCHANTS = 5


def _in(field, period):
    return Q(**{f"{field}__gte": period.start, f"{field}__lt": period.end})


def complaint_section(mall_ids, period):
    start, end = period.start, period.end
    received = _in("received_at", period)
    closed = _in("closed_at", period)
    open_at_start = Q(received_at__lt=start) & (Q(closed_at__isnull=True) | Q(closed_at__gte=start))
    open_at_end = Q(received_at__lt=end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=end))
    on_time = Exists(
        ComplaintDeadline.objects.filter(
            complaint=OuterRef("pk"), kind=DeadlineKind.RESOLUTION, met_at__isnull=False, met_at__lte=F("due_at")
        )
    )
    # Only complaints that count somewhere this week: received in it, or not ended before it
    # began. Complaints ended before the week (nearly all of a chain's history) cannot count,
    # and leaving them out keeps the head-office rollup off a scan of every complaint ever.
    touches_week = Q(received_at__gte=start) | Q(closed_at__isnull=True) | Q(closed_at__gte=start)
    rows = (
        Complaint.objects.filter(touches_week, mall_id__in=mall_ids, received_at__lt=end)
        .values("mall_id")
        .annotate(
            received=Count("pk", filter=received),
            carried_in=Count("pk", filter=open_at_start),
            closed=Count("pk", filter=closed),
            carried_out=Count("pk", filter=open_at_end),
            closed_on_time=Count("pk", filter=closed & Q(on_time)),
            close_time=Sum(
                ExpressionWrapper(F("closed_at") - F("received_at"), output_field=DurationField()), filter=closed
            ),
            overdue=Count("pk", filter=open_at_end & Q(received_at__lt=end - timedelta(days=OVERDUE_DAYS))),
            repeats=Count("pk", filter=received & Q(repeat_of__isnull=False)),
            external=Count("pk", filter=received & ~Q(external_body="")),
            first_contact_in_24h=Count(
                "pk", filter=received & Q(first_contact_at__lte=F("received_at") + timedelta(hours=24))
            ),
        )
    )
    figures = {row.pop("mall_id"): row for row in rows}
    breakdowns = {"channel": "by_channel", "category": "by_category"}
    for field, key in breakdowns.items():
        grouped = (
            Complaint.objects.filter(received, mall_id__in=mall_ids)
            .values("mall_id", field)
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in grouped:
            figures.setdefault(row["mall_id"], {}).setdefault(key, {})[row[field]] = row["n"]
    merchants = (
        Complaint.objects.filter(received, mall_id__in=mall_ids, merchant__isnull=False)
        .values("mall_id", "merchant_id", "merchant__brand")
        .annotate(n=Count("pk"))
        .order_by("mall_id", "-n", "merchant__brand")
    )
    for row in merchants:
        top = figures.setdefault(row["mall_id"], {}).setdefault("top_merchants", [])
        if len(top) < TOP_MERCHANTS:
            top.append({"merchant_id": row["merchant_id"], "brand": row["merchant__brand"], "n": row["n"]})
    return figures


def return_section(mall_ids, period):
    requested = Q(requested_on__gte=period.first_day, requested_on__lte=period.last_day)
    decided = _in("decided_at", period)
    refunded = _in("refunded_at", period)
    rows = (
        ReturnRequest.objects.filter(mall_id__in=mall_ids)
        .filter(requested | decided | refunded)
        .values("mall_id")
        .annotate(
            returns_requested=Count("pk", filter=requested),
            returns_approved=Count("pk", filter=decided & Q(refusal_reason="")),
            returns_refused=Count("pk", filter=decided & ~Q(refusal_reason="")),
            returns_refunded=Count("pk", filter=refunded),
            refund_amount=Sum("refund_amount", filter=refunded),
        )
    )
    return {row.pop("mall_id"): row for row in rows}


def price_tag_section(mall_ids, period):
    rows = (
        PriceTagInspection.objects.filter(mall_id__in=mall_ids)
        .filter(_in("inspected_at", period))
        .values("mall_id")
        .annotate(tags_checked=Count("pk"), tags_failed=Count("pk", filter=Q(passed=False)))
    )
    return {row.pop("mall_id"): row for row in rows}


# Sections other apps add (advance compensation, callbacks): functions (mall_ids, period) -> {mall_id: {...}}.
SECTIONS = [complaint_section, return_section, price_tag_section]

COUNT_KEYS = (
    "received",
    "carried_in",
    "closed",
    "carried_out",
    "closed_on_time",
    "overdue",
    "repeats",
    "external",
    "first_contact_in_24h",
    "returns_requested",
    "returns_approved",
    "returns_refused",
    "returns_refunded",
    "tags_checked",
    "tags_failed",
    "compensations_proposed",
    "compensations_paid",
    "callbacks_due",
    "callbacks_done",
    "callbacks_reached",
    "callbacks_satisfied",
)
SUM_KEYS = ("refund_amount", "close_time", "compensation_paid_amount", "compensation_recovered_amount")


def _blank():
    figures = dict.fromkeys(COUNT_KEYS, 0)
    figures.update(dict.fromkeys(SUM_KEYS, Decimal("0.00")))
    figures.update(close_time=timedelta(0), by_channel={}, by_category={}, top_merchants=[])
    return figures


def weekly_figures(mall_ids, period):
    """{mall_id: figures} for every mall asked for, zeros where nothing happened."""
    mall_ids = list(mall_ids)
    result = {mall_id: _blank() for mall_id in mall_ids}
    for section in SECTIONS:
        for mall_id, values in section(mall_ids, period).items():
            for key, value in values.items():
                if value is not None:
                    result[mall_id][key] = value
    for figures in result.values():
        derive(figures)
    return result


def total(figure_sets):
    """The chain's figures: counts and amounts summed, rates recomputed from the sums."""
    summed = _blank()
    for figures in figure_sets:
        for key in (*COUNT_KEYS, *SUM_KEYS):
            summed[key] += figures[key]
        for key in ("by_channel", "by_category"):
            for code, n in figures[key].items():
                summed[key][code] = summed[key].get(code, 0) + n
    return derive(summed)


def _rate(part, whole):
    return None if not whole else round(Decimal(100) * part / whole, 1)


def derive(f):
    f["closure_rate"] = _rate(f["closed"], f["carried_in"] + f["received"])
    f["on_time_rate"] = _rate(f["closed_on_time"], f["closed"])
    f["first_contact_rate"] = _rate(f["first_contact_in_24h"], f["received"])
    f["average_days_to_close"] = (
        round(Decimal(f["close_time"].total_seconds()) / 86400 / f["closed"], 1) if f["closed"] else None
    )
    f["tag_pass_rate"] = _rate(f["tags_checked"] - f["tags_failed"], f["tags_checked"])
    f["recovery_rate"] = _rate(f["compensation_recovered_amount"], f["compensation_paid_amount"])
    f["callback_rate"] = _rate(f["callbacks_done"], f["callbacks_due"])
    f["satisfaction_rate"] = _rate(f["callbacks_satisfied"], f["callbacks_reached"])
    return f


def check_identities(f):
    """The report's own arithmetic; a failure means the data or the query is wrong."""
    problems = []
    if f["carried_out"] != f["carried_in"] + f["received"] - f["closed"]:
        problems.append("O1 != O0 + R - C")
    if sum(f["by_category"].values()) != f["received"] or sum(f["by_channel"].values()) != f["received"]:
        problems.append("breakdowns do not sum to R")
    for key in (
        "closure_rate",
        "on_time_rate",
        "first_contact_rate",
        "tag_pass_rate",
        "recovery_rate",
        "callback_rate",
        "satisfaction_rate",
    ):
        if f[key] is not None and not 0 <= f[key] <= 100:
            problems.append(f"{key} out of range")
    return problems


def compensation_section(mall_ids, period):
    from compensations.models import Compensation

    proposed = _in("proposed_at", period)
    paid = _in("paid_at", period)
    rows = (
        Compensation.objects.filter(mall_id__in=mall_ids)
        .filter(proposed | paid)
        .values("mall_id")
        .annotate(
            compensations_proposed=Count("pk", filter=proposed),
            compensations_paid=Count("pk", filter=paid),
            compensation_paid_amount=Sum("amount", filter=paid),
            # What has come back so far of the money paid out in the period.
            compensation_recovered_amount=Sum("recovered_amount", filter=paid),
        )
    )
    return {row.pop("mall_id"): row for row in rows}


SECTIONS.append(compensation_section)


def callback_section(mall_ids, period):
    """D, K, K' of DOMAIN.md §8 by mall, with the same definitions as followups.selectors."""
    from followups.models import Callback
    from followups.selectors import FINISHED_CALLBACK_STATES, REACHED, SATISFIED

    finished = Q(status__in=FINISHED_CALLBACK_STATES)
    rows = (
        Callback.objects.filter(
            mall_id__in=mall_ids, deadline_on__gte=period.first_day, deadline_on__lte=period.last_day
        )
        .values("mall_id")
        .annotate(
            callbacks_due=Count("pk"),
            callbacks_done=Count("pk", filter=finished),
            callbacks_reached=Count("pk", filter=finished & Q(outcome__in=REACHED)),
            callbacks_satisfied=Count("pk", filter=finished & Q(outcome__in=SATISFIED)),
        )
    )
    return {row.pop("mall_id"): row for row in rows}


SECTIONS.append(callback_section)
