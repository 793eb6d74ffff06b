"""The 商场客服中心周报表: DOMAIN.md §8, by aggregate SQL grouped by mall.

Each section runs one grouped query for all the malls asked for, so the head-office rollup of
400 malls costs the same handful of queries as one mall's report. Counts are summed for totals;
rates are always recomputed from the sums, never averaged. docs/reports.md defines every figure
(what is counted, by which timestamp, in which period, what is excluded) so that an analyst can
recompute it from the tables; the functions below are those definitions in SQL.

A period is measured by each mall's settings in force on its first day (MallPolicy versions):
the resolution target, the first-contact hours and the deliberate-delay line of the complaint
settings. Malls that share a value are grouped into one condition, so a setting that differs
between malls adds an OR branch, not a query.
"""

import operator
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from functools import reduce

from django.db.models import Count, DurationField, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Least

from complaints.models import Complaint, ComplaintPause, ComplaintPolicy
from complaints.models import Status as ComplaintStatus
from exchanges.models import Exchange
from merchants.models import PriceTagInspection
from returns.models import ReturnRequest

TOP_MERCHANTS = 5
# The settings a period is measured by, copied into its figures so labels can state them.
POLICY_KEYS = ("first_contact_hours", "resolution_days", "deliberate_delay_days")


def _in(field, period):
    return Q(**{f"{field}__gte": period.start, f"{field}__lt": period.end})


def _per_mall(policies, setting, condition):
    """OR over the groups of malls that share a value of `setting`: (malls) AND condition(value)."""
    groups = defaultdict(list)
    for mall_id, policy in policies.items():
        groups[getattr(policy, setting)].append(mall_id)
    return reduce(operator.or_, (Q(mall_id__in=ids) & condition(value) for value, ids in sorted(groups.items())))


def _paused_before_resolution():
    """Total length of the complaint's clock pauses up to its (final) resolution."""
    resolved = OuterRef("resolved_at")
    length = ExpressionWrapper(Least(Coalesce("ended_at", resolved), resolved) - F("started_at"), DurationField())
    pauses = (
        ComplaintPause.objects.filter(complaint=OuterRef("pk"), started_at__lt=resolved)
        .order_by()
        .values("complaint")
        .annotate(total=Sum(length))
        .values("total")[:1]
    )
    return Coalesce(Subquery(pauses, output_field=DurationField()), Value(timedelta(0)), output_field=DurationField())


def complaint_counts(mall_ids, period):
    """{mall_id: counts}: the complaint section's counts by mall in one grouped statement (after
    the settings in force), without its breakdowns by channel, category and merchant. The head-office
    home reads only these (its ranking by closure and on-time rate), so the two cannot differ."""
    start, end = period.start, period.end
    policies = ComplaintPolicy.in_force(mall_ids, on=period.first_day)
    received = _in("received_at", period)
    ended = _in("closed_at", period)
    # The on-time rate's base: complaints closed (结案) in the period after a resolution by the
    # desk. Withdrawn, not accepted, escalated and referred complaints are in their own columns.
    resolved_and_closed = ended & Q(status=ComplaintStatus.CLOSED, external_body="")
    on_time = _per_mall(policies, "resolution_days", lambda days: Q(resolution_time__lte=timedelta(days=days))) & Q(
        resolved_at__isnull=False
    )
    first_contact_in_time = _per_mall(
        policies,
        "first_contact_hours",
        lambda hours: Q(first_contact_at__lte=F("received_at") + timedelta(hours=hours)),
    )
    open_at_start = Q(received_at__lt=start) & (Q(closed_at__isnull=True) | Q(closed_at__gte=start))
    open_at_end = Q(received_at__lt=end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=end))
    overdue = _per_mall(policies, "deliberate_delay_days", lambda days: Q(received_at__lt=end - timedelta(days=days)))
    # Only complaints that count somewhere this period: received in it, or not ended before it
    # began (a referral or an ending in the period cannot come before the period). Complaints
    # ended before the period (nearly all of a chain's history) cannot count, and leaving them
    # out keeps the head-office rollup off a scan of every complaint ever.
    touches_period = Q(received_at__gte=start) | Q(closed_at__isnull=True) | Q(closed_at__gte=start)
    rows = (
        Complaint.objects.filter(touches_period, mall_id__in=mall_ids, received_at__lt=end)
        .alias(
            resolution_time=ExpressionWrapper(
                F("resolved_at") - F("received_at") - _paused_before_resolution(), output_field=DurationField()
            )
        )
        .values("mall_id")
        .annotate(
            received=Count("pk", filter=received),
            carried_in=Count("pk", filter=open_at_start),
            closed=Count("pk", filter=ended),
            carried_out=Count("pk", filter=open_at_end),
            ended_resolved=Count("pk", filter=resolved_and_closed),
            ended_after_referral=Count("pk", filter=ended & Q(status=ComplaintStatus.CLOSED) & ~Q(external_body="")),
            ended_withdrawn=Count("pk", filter=ended & Q(status=ComplaintStatus.WITHDRAWN)),
            ended_not_accepted=Count("pk", filter=ended & Q(status=ComplaintStatus.NOT_ACCEPTED)),
            ended_escalated=Count("pk", filter=ended & Q(status=ComplaintStatus.ESCALATED)),
            closed_on_time=Count("pk", filter=resolved_and_closed & on_time),
            close_time=Sum(
                ExpressionWrapper(F("closed_at") - F("received_at"), output_field=DurationField()),
                filter=resolved_and_closed,
            ),
            overdue=Count("pk", filter=open_at_end & overdue),
            repeats=Count("pk", filter=received & Q(repeat_of__isnull=False)),
            external=Count("pk", filter=_in("referred_at", period)),
            first_contact_in_time=Count("pk", filter=received & first_contact_in_time),
        )
    )
    figures = {row.pop("mall_id"): row for row in rows}
    for mall_id, policy in policies.items():
        figures.setdefault(mall_id, {}).update({key: getattr(policy, key) for key in POLICY_KEYS})
    return figures


def complaint_section(mall_ids, period):
    figures = complaint_counts(mall_ids, period)
    received = _in("received_at", period)
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
        .values("mall_id", "mall__code", "merchant_id", "merchant__brand")
        .annotate(n=Count("pk"))
        .order_by("mall_id", "-n", "merchant__brand", "merchant_id")
    )
    for row in merchants:
        figures.setdefault(row["mall_id"], {}).setdefault("merchant_counts", []).append(
            {
                "merchant_id": row["merchant_id"],
                "brand": row["merchant__brand"],
                "mall": row["mall__code"],
                "n": row["n"],
            }
        )
    return figures


def intake_counts(mall_ids, period):
    """{mall_id: {received, carried_in, closed, closure_rate}}: the week-over-week comparison of
    the rollup, one grouped query (the same definitions as complaint_section)."""
    start = period.start
    received = _in("received_at", period)
    rows = (
        Complaint.objects.filter(
            Q(received_at__gte=start) | Q(closed_at__isnull=True) | Q(closed_at__gte=start),
            mall_id__in=mall_ids,
            received_at__lt=period.end,
        )
        .values("mall_id")
        .annotate(
            received=Count("pk", filter=received),
            carried_in=Count("pk", filter=Q(received_at__lt=start)),
            closed=Count("pk", filter=_in("closed_at", period)),
        )
    )
    found = {row.pop("mall_id"): row for row in rows}
    result = {mall_id: found.get(mall_id, {"received": 0, "carried_in": 0, "closed": 0}) for mall_id in mall_ids}
    chain = {key: sum(counts[key] for counts in result.values()) for key in ("received", "carried_in", "closed")}
    for counts in (*result.values(), chain):
        counts["closure_rate"] = _rate(counts["closed"], counts["carried_in"] + counts["received"])
    return result, chain


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


def exchange_section(mall_ids, period):
    requested = Q(requested_on__gte=period.first_day, requested_on__lte=period.last_day)
    closed = _in("closed_at", period)
    rows = (
        Exchange.objects.filter(mall_id__in=mall_ids)
        .filter(requested | closed)
        .values("mall_id")
        .annotate(exchanges_requested=Count("pk", filter=requested), exchanges_closed=Count("pk", filter=closed))
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
SECTIONS = [complaint_section, return_section, exchange_section, price_tag_section]

COUNT_KEYS = (
    "received",
    "carried_in",
    "closed",
    "carried_out",
    "ended_resolved",
    "ended_after_referral",
    "ended_withdrawn",
    "ended_not_accepted",
    "ended_escalated",
    "closed_on_time",
    "overdue",
    "repeats",
    "external",
    "first_contact_in_time",
    "returns_requested",
    "returns_approved",
    "returns_refused",
    "returns_refunded",
    "exchanges_requested",
    "exchanges_closed",
    "tags_checked",
    "tags_failed",
    "compensations_proposed",
    "compensations_paid",
    "callbacks_due",
    "callbacks_done",
    "callbacks_reached",
    "callbacks_satisfied",
    "callbacks_reached_survey",
    "callbacks_satisfied_survey",
    "callbacks_reached_phone",
    "callbacks_satisfied_phone",
    "desk_visits",
    "desk_emergencies",
    "desk_repairs",
    "desk_suggestions",
)
SUM_KEYS = (
    "refund_amount",
    "close_time",
    "compensation_paid_amount",
    "compensation_recovered_amount",
    "recovered_in_period",
)
RATE_KEYS = (
    "closure_rate",
    "on_time_rate",
    "first_contact_rate",
    "tag_pass_rate",
    "recovery_rate",
    "callback_rate",
    "satisfaction_rate",
)


def _blank():
    figures = dict.fromkeys(COUNT_KEYS, 0)
    figures.update(dict.fromkeys(SUM_KEYS, Decimal("0.00")))
    figures.update(dict.fromkeys(POLICY_KEYS))
    figures.update(close_time=timedelta(0), by_channel={}, by_category={}, merchant_counts=[])
    return figures


def weekly_figures(mall_ids, period, sections=None):
    """{mall_id: figures} for every mall asked for, zeros where nothing happened. A read only:
    safe to run against a replica. `sections` (default: all of SECTIONS) limits the statements to
    the figures a page shows (the head-office home: `complaint_counts`); the others stay zero."""
    mall_ids = list(mall_ids)
    if not mall_ids:
        return {}
    result = {mall_id: _blank() for mall_id in mall_ids}
    for section in SECTIONS if sections is None else sections:
        for mall_id, values in section(mall_ids, period).items():
            for key, value in values.items():
                if value is not None:
                    result[mall_id][key] = value
    for figures in result.values():
        derive(figures)
    return result


def total(figure_sets):
    """The chain's figures: counts and amounts summed, rates recomputed from the sums. A setting
    is kept where every mall had the same value, None where they differ."""
    figure_sets = list(figure_sets)
    summed = _blank()
    for figures in figure_sets:
        for key in (*COUNT_KEYS, *SUM_KEYS):
            summed[key] += figures[key]
        for key in ("by_channel", "by_category"):
            for code, n in figures[key].items():
                summed[key][code] = summed[key].get(code, 0) + n
        summed["merchant_counts"].extend(figures["merchant_counts"])
    for key in POLICY_KEYS:
        values = {figures[key] for figures in figure_sets}
        summed[key] = values.pop() if len(values) == 1 else None
    summed["merchant_counts"].sort(key=lambda m: (-m["n"], m["brand"], m["mall"] or "", m["merchant_id"]))
    return derive(summed)


def _rate(part, whole):
    return None if not whole else round(Decimal(100) * part / whole, 1)


def top_merchants(counts, size=TOP_MERCHANTS):
    """The first `size` merchants by complaints with their competition rank (1, 2, 2, 4 ...),
    and how many more share the count of the last one shown: ties are never dropped silently.
    `counts` is sorted by count descending (then brand)."""
    shown = []
    for index, merchant in enumerate(counts[:size]):
        rank = shown[-1]["rank"] if shown and shown[-1]["n"] == merchant["n"] else index + 1
        shown.append(merchant | {"rank": rank})
    more = 0
    if shown:
        last = shown[-1]["n"]
        more = sum(1 for merchant in counts[size:] if merchant["n"] == last)
    return shown, {"count": more, "n": shown[-1]["n"]} if more else None


def derive(f):
    f["closure_rate"] = _rate(f["closed"], f["carried_in"] + f["received"])
    f["on_time_rate"] = _rate(f["closed_on_time"], f["ended_resolved"])
    f["first_contact_rate"] = _rate(f["first_contact_in_time"], f["received"])
    f["average_days_to_close"] = (
        round(Decimal(f["close_time"].total_seconds()) / 86400 / f["ended_resolved"], 1)
        if f["ended_resolved"]
        else None
    )
    f["tag_pass_rate"] = _rate(f["tags_checked"] - f["tags_failed"], f["tags_checked"])
    f["recovery_rate"] = _rate(f["compensation_recovered_amount"], f["compensation_paid_amount"])
    f["callback_rate"] = _rate(f["callbacks_done"], f["callbacks_due"])
    f["satisfaction_rate"] = _rate(f["callbacks_satisfied"], f["callbacks_reached"])
    # K' by source: the desk's calls and visits, and the customer's survey by link.
    f["callbacks_reached_phone"] = f["callbacks_reached"] - f["callbacks_reached_survey"]
    f["callbacks_satisfied_phone"] = f["callbacks_satisfied"] - f["callbacks_satisfied_survey"]
    f["satisfaction_rate_phone"] = _rate(f["callbacks_satisfied_phone"], f["callbacks_reached_phone"])
    f["satisfaction_rate_survey"] = _rate(f["callbacks_satisfied_survey"], f["callbacks_reached_survey"])
    f["top_merchants"], f["top_more"] = top_merchants(f["merchant_counts"])
    return f


ENDINGS = ("ended_resolved", "ended_after_referral", "ended_withdrawn", "ended_not_accepted", "ended_escalated")


def check_identities(f):
    """The report's own arithmetic; a failure means the data or the query is wrong."""
    problems = []
    if f["carried_out"] != f["carried_in"] + f["received"] - f["closed"]:
        problems.append("O1 != O0 + R - C")
    if sum(f[key] for key in ENDINGS) != f["closed"]:
        problems.append("endings do not sum to C")
    if sum(f["by_category"].values()) != f["received"] or sum(f["by_channel"].values()) != f["received"]:
        problems.append("breakdowns do not sum to R")
    for key in RATE_KEYS:
        if f[key] is not None and not 0 <= f[key] <= 100:
            problems.append(f"{key} out of range")
    return problems


def compensation_section(mall_ids, period):
    from compensations.models import Compensation, CompensationRecovery

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
        )
    )
    figures = {row.pop("mall_id"): row for row in rows}
    # Two readings of recovery: money received in the period (whatever payout it was for), and
    # what has come back so far of the money paid out in the period.
    received_in = Q(received_on__gte=period.first_day, received_on__lte=period.last_day)
    of_payouts = Q(compensation__paid_at__gte=period.start, compensation__paid_at__lt=period.end)
    recoveries = (
        CompensationRecovery.objects.filter(compensation__mall_id__in=mall_ids)
        .filter(received_in | of_payouts)
        .values("compensation__mall_id")
        .annotate(
            recovered_in_period=Sum("amount", filter=received_in),
            compensation_recovered_amount=Sum("amount", filter=of_payouts),
        )
    )
    for row in recoveries:
        figures.setdefault(row.pop("compensation__mall_id"), {}).update(row)
    return figures


SECTIONS.append(compensation_section)


def callback_section(mall_ids, period):
    """D, K, K' of DOMAIN.md §8 by mall, with the same definitions as followups.selectors."""
    from followups.models import AnswerSource, Callback
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
            callbacks_reached_survey=Count("pk", filter=finished & Q(outcome__in=REACHED, source=AnswerSource.SURVEY)),
            callbacks_satisfied_survey=Count(
                "pk", filter=finished & Q(outcome__in=SATISFIED, source=AnswerSource.SURVEY)
            ),
        )
    )
    return {row.pop("mall_id"): row for row in rows}


SECTIONS.append(callback_section)


def desk_log_section(mall_ids, period):
    """The desk's reception and incident log by kind, by the day each happened (frontdesk)."""
    from frontdesk.selectors import incident_counts

    names = {"visit": "desk_visits", "emergency": "desk_emergencies", "repair": "desk_repairs"}
    names["suggestion"] = "desk_suggestions"
    counts = incident_counts(mall_ids, period.first_day, period.last_day)
    return {mall_id: {names[kind]: n for kind, n in by_kind.items()} for mall_id, by_kind in counts.items()}


SECTIONS.append(desk_log_section)
