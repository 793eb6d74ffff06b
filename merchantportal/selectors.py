"""What a merchant user may read: its own merchant's records only, in a fixed number of queries."""

from django.db.models import F, OuterRef, Q, Subquery

from complaints.models import Complaint, ComplaintAttachment, ComplaintDeadline, DeadlineKind, Status

IMAGE_TYPES = ("image/jpeg", "image/png")


def forwarded_complaints(merchant):
    """Complaints the desk forwarded to this merchant, with the merchant clock of the latest
    forwarding (due, met) annotated."""
    clock = ComplaintDeadline.objects.filter(complaint=OuterRef("pk"), kind=DeadlineKind.MERCHANT_REPLY).order_by(
        "-started_at", "-pk"
    )
    return (
        Complaint.objects.filter(merchant=merchant, mall_id=merchant.mall_id, forwarded_at__isnull=False)
        .select_related("customer")
        .annotate(reply_due=Subquery(clock.values("due_at")[:1]), reply_met=Subquery(clock.values("met_at")[:1]))
    )


def awaiting_answer(queryset):
    return queryset.filter(status=Status.WITH_MERCHANT).filter(
        Q(merchant_replied_at__isnull=True) | Q(merchant_replied_at__lt=F("forwarded_at"))
    )


def is_awaiting(complaint):
    return complaint.status == Status.WITH_MERCHANT and (
        complaint.merchant_replied_at is None or complaint.merchant_replied_at < complaint.forwarded_at
    )


def visible_attachments(complaint, merchant):
    """The complaint's photos, and whatever this merchant's own users attached; never the desk's
    other documents."""
    return (
        ComplaintAttachment.objects.filter(complaint=complaint)
        .filter(Q(content_type__in=IMAGE_TYPES) | Q(uploaded_by__merchant_account__merchant=merchant))
        .order_by("uploaded_at", "pk")
    )


def merchant_returns(merchant):
    """This merchant's no-reason returns (every state), newest first."""
    from returns.models import ReturnRequest

    return (
        ReturnRequest.objects.filter(merchant=merchant, mall_id=merchant.mall_id)
        .select_related("customer")
        .order_by("-requested_on", "-pk")
    )


def merchant_exchanges(merchant):
    """This merchant's exchanges (every state), newest first."""
    from exchanges.models import Exchange

    return (
        Exchange.objects.filter(merchant=merchant, mall_id=merchant.mall_id)
        .select_related("customer")
        .order_by("-requested_on", "-pk")
    )


def return_needs_answer(r):
    from returns.models import ReturnStatus

    return r.merchant_replied_at is None and r.status in (
        ReturnStatus.REQUESTED,
        ReturnStatus.CHECKED,
        ReturnStatus.APPROVED,
    )


def merchant_failures(merchant):
    """This merchant's failed price-tag inspections, newest first, with their failure codes."""
    from merchants.models import PriceTagInspection

    return (
        PriceTagInspection.objects.filter(merchant=merchant, mall_id=merchant.mall_id, passed=False)
        .select_related("booth")
        .prefetch_related("failures")
        .order_by("-inspected_at", "-pk")
    )


def failure_standing(merchant, now=None):
    """Where the merchant stands against the mall's flag rule: failures in the window, the limit."""
    from datetime import timedelta

    from django.utils import timezone

    from merchants.models import MerchantPolicy, PriceTagInspection

    now = now or timezone.now()
    policy = MerchantPolicy.for_mall(merchant.mall)
    recent = PriceTagInspection.objects.filter(
        merchant=merchant, passed=False, inspected_at__gt=now - timedelta(days=policy.flag_window_days)
    ).count()
    return {
        "recent": recent,
        "limit": policy.flag_failures,
        "days": policy.flag_window_days,
        "flagged": merchant.flagged,
    }


def deposit_ledger(merchant):
    """The merchant's deposit ledger, oldest first, with the running balance, and its top-up
    requests (receivables: what the deposit could not cover, to be paid in by `due_on`), newest
    first. A deduction or request names the compensation it paid by number only (the entries'
    reasons are the desk's own wording). Three queries, whatever the number of rows."""
    from merchants.models import DepositEntry, Receivable

    entries = list(
        DepositEntry.objects.filter(merchant=merchant, mall_id=merchant.mall_id).order_by("entry_date", "pk")
    )
    requests = list(
        Receivable.objects.filter(merchant=merchant, mall_id=merchant.mall_id).order_by("-recorded_at", "-pk")
    )
    numbers = _compensation_numbers(entries + requests, merchant)
    running = 0
    for entry in entries:
        running += entry.signed
        entry.running_balance = running
    for row in entries + requests:
        row.compensation_number = numbers.get((row.source_type_id, row.source_id), "")
    return entries, running, requests


def _compensation_numbers(rows, merchant):
    """{(content type id, id): compensation number} for the rows whose source is a compensation."""
    from django.contrib.contenttypes.models import ContentType

    from compensations.models import Compensation

    content_type = ContentType.objects.get_for_model(Compensation)
    ids = {row.source_id for row in rows if row.source_type_id == content_type.pk and row.source_id}
    found = Compensation.objects.filter(pk__in=ids, merchant=merchant).values_list("pk", "number") if ids else []
    return {(content_type.pk, pk): number for pk, number in found}


def exit_checklist(merchant):
    """The exit as the merchant sees it: each step done or pending, read from the merchant's file,
    its open cases and receivables (merchants.services.exit decides; nothing here does)."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from merchants.models import MerchantPolicy, MerchantStatus, Receivable, hold_end
    from merchants.open_cases import open_cases

    cases = [(provider, list(found)) for provider, found in open_cases(merchant)]
    unsettled = list(Receivable.objects.filter(merchant=merchant, mall_id=merchant.mall_id).open())
    exited = merchant.status in (MerchantStatus.EXITED, MerchantStatus.DEPOSIT_RELEASED)
    steps = [
        ("notice", _("Exit notice recorded"), bool(merchant.exit_notice_date)),
        (
            "after_sales",
            _("After-sales agent named, with a phone"),
            bool(merchant.after_sales_agent and merchant.after_sales_phone),
        ),
    ]
    steps += [
        (f"cases_{provider.key}", _("%(cases)s: all closed") % {"cases": provider.label}, not found)
        for provider, found in cases
    ]
    steps += [
        ("receivables", _("Receivables paid in"), not unsettled),
        ("exit", _("Exit confirmed and booths handed back"), exited),
        ("deposit", _("Deposit released"), merchant.status == MerchantStatus.DEPOSIT_RELEASED),
    ]
    policy = MerchantPolicy.for_mall(merchant.mall)
    hold_until, expected = merchant.deposit_hold_until, False
    if hold_until is None and merchant.planned_exit_date:
        # Not exited yet: the hold runs from the day the exit is confirmed (never backdated), so
        # from the planned exit date or today, whichever is later, at the earliest.
        start = max(merchant.planned_exit_date, timezone.localdate())
        hold_until, expected = hold_end(start, policy.deposit_hold_months), True
    return {
        "steps": [{"key": key, "label": label, "done": done} for key, label, done in steps],
        "cases": cases,
        "receivables": unsettled,
        "hold_until": hold_until,
        "hold_expected": expected,
        "hold_months": policy.deposit_hold_months,
        "exiting": merchant.status != MerchantStatus.ACTIVE and bool(merchant.exit_notice_date),
    }


SCORECARD_MONTHS = 6


def _months(today, count):
    """The first day of each of the last `count` calendar months, oldest first, this one last."""
    firsts, year, month = [], today.year, today.month
    for _step in range(count):
        firsts.append(today.replace(year=year, month=month, day=1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return firsts[::-1]


def _month_key(value):
    """A TruncMonth value (a date, or an aware datetime at local midnight) as (year, month)."""
    from datetime import datetime

    from django.utils import timezone

    if isinstance(value, datetime):
        value = timezone.localdate(value)
    return value.year, value.month


def _rate(part, whole):
    from decimal import Decimal

    return None if not whole else (Decimal(part) * 100 / whole).quantize(Decimal("0.1"))


def scorecard(merchant, today=None):
    """The merchant's month by month beside the mall's: complaints received (the mall's average per
    merchant holding a booth that month), the merchant's answer to forwarded complaints (hours,
    on time), satisfaction of reached callbacks ((satisfied + mostly satisfied) / reached, as in
    the weekly report) and the price-tag pass rate. Only the mall's totals are read, never another
    merchant's name. Five queries whatever the number of months or records."""
    from datetime import datetime, time, timedelta

    from django.db.models import Count
    from django.db.models.functions import TruncMonth
    from django.utils import timezone

    from followups.models import FINISHED_CALLBACK_STATES, REACHED, SATISFIED, Callback
    from merchants.models import BoothTenancy, PriceTagInspection

    today = today or timezone.localdate()
    firsts = _months(today, SCORECARD_MONTHS)
    start_day = firsts[0]
    start = timezone.make_aware(datetime.combine(start_day, time.min))
    mall_id = merchant.mall_id
    mine = Q(merchant=merchant)
    rows = {(first.year, first.month): {"month": first} for first in firsts}

    def put(key, **values):
        key = _month_key(key)
        if key in rows:
            rows[key].update(values)

    received = (
        Complaint.objects.filter(mall_id=mall_id, merchant__isnull=False, received_at__gte=start)
        .annotate(m=TruncMonth("received_at"))
        .order_by()
        .values("m")
        .annotate(mine=Count("pk", filter=mine), total=Count("pk"))
    )
    for row in received:
        put(row["m"], complaints=row["mine"], complaints_total=row["total"])

    holders = {key: set() for key in rows}
    tenancies = (
        BoothTenancy.objects.filter(mall_id=mall_id, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start_day))
        .values_list("merchant_id", "start_date", "end_date")
    )
    for merchant_id, began, ended in tenancies:
        for first in firsts:
            last = (first + timedelta(days=31)).replace(day=1) - timedelta(days=1)
            if began <= last and (ended is None or ended >= first):
                holders[(first.year, first.month)].add(merchant_id)

    answers = ComplaintDeadline.objects.filter(
        complaint__mall_id=mall_id, kind=DeadlineKind.MERCHANT_REPLY, met_at__gte=start
    ).values_list("complaint__merchant_id", "started_at", "met_at", "due_at")
    times = {key: {"mine": [], "all": [], "on_time": 0} for key in rows}
    for merchant_id, started, met, due in answers:
        bucket = times.get(_month_key(met))
        if bucket is None:
            continue
        hours = (met - started).total_seconds() / 3600
        bucket["all"].append(hours)
        if merchant_id == merchant.pk:
            bucket["mine"].append(hours)
            bucket["on_time"] += met <= due

    finished = Q(status__in=FINISHED_CALLBACK_STATES, outcome__in=REACHED)
    ours = Q(complaint__merchant=merchant) | Q(sale__merchant=merchant)
    callbacks = (
        Callback.objects.filter(mall_id=mall_id, deadline_on__gte=start_day, deadline_on__lte=today)
        .filter(finished)
        .annotate(m=TruncMonth("deadline_on"))
        .order_by()
        .values("m")
        .annotate(
            reached=Count("pk", filter=ours),
            satisfied=Count("pk", filter=ours & Q(outcome__in=SATISFIED)),
            reached_total=Count("pk"),
            satisfied_total=Count("pk", filter=Q(outcome__in=SATISFIED)),
        )
    )
    for row in callbacks:
        put(row["m"], **{k: row[k] for k in ("reached", "satisfied", "reached_total", "satisfied_total")})

    inspections = (
        PriceTagInspection.objects.filter(mall_id=mall_id, inspected_at__gte=start)
        .annotate(m=TruncMonth("inspected_at"))
        .order_by()
        .values("m")
        .annotate(
            checked=Count("pk", filter=mine),
            failed=Count("pk", filter=mine & Q(passed=False)),
            checked_total=Count("pk"),
            failed_total=Count("pk", filter=Q(passed=False)),
        )
    )
    for row in inspections:
        put(row["m"], **{k: row[k] for k in ("checked", "failed", "checked_total", "failed_total")})

    months = []
    for key, row in rows.items():
        n_holders, answered = len(holders[key]), times[key]
        total = row.get("complaints_total", 0)
        months.append(
            {
                "month": row["month"],
                "complaints": row.get("complaints", 0),
                "complaints_mall": round(total / n_holders, 1) if n_holders else None,
                "answered": len(answered["mine"]),
                "answer_hours": _average(answered["mine"]),
                "answer_hours_mall": _average(answered["all"]),
                "answered_on_time": _rate(answered["on_time"], len(answered["mine"])),
                "satisfaction": _rate(row.get("satisfied", 0), row.get("reached", 0)),
                "satisfaction_mall": _rate(row.get("satisfied_total", 0), row.get("reached_total", 0)),
                "checked": row.get("checked", 0),
                "tag_pass": _rate(row.get("checked", 0) - row.get("failed", 0), row.get("checked", 0)),
                "tag_pass_mall": _rate(
                    row.get("checked_total", 0) - row.get("failed_total", 0), row.get("checked_total", 0)
                ),
            }
        )
    return months[::-1]


def _average(hours):
    return round(sum(hours) / len(hours), 1) if hours else None
