"""Reads of the followups app: figures for the weekly report, the worklist's calls, the
complaint's service callback, the sales the forms below read (servicedesk.sales)."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Count, Q

from complaints.callbacks import ServiceCallback
from servicedesk.models import Mall

from .models import (
    FINISHED_CALLBACK_STATES,
    REACHED,
    SATISFIED,
    AnswerSource,
    Callback,
    CallbackKind,
    CallbackStatus,
    Sale,
)
from .models.rows import CallbackRow, CustomerRow, callback_rows

# The calls on one page of an officer's worklist. A call takes a few minutes with its notes:
# 50 is half a day's calls, and each call recorded brings the next one up; an officer with
# a backlog of thousands gets the soonest 50, the count of the rest and the next pages
# (docs/followups.md §3).
WORKLIST_CALLS = 50


def callback_figures(queryset_or_mall, start, end):
    """DOMAIN.md §8 for callbacks whose deadline falls in [start, end] (dates, inclusive):
    D due, K done (finished: reached, or given up as unreachable after the attempts allowed),
    K' reached, callback rate K / D, satisfaction (satisfied + mostly satisfied) / K'. K' and the
    satisfied are also split by source: `reached_phone`/`reached_survey` (the survey by link).
    Home visits count as callbacks. One aggregate query. Rates are None when undefined."""
    if isinstance(queryset_or_mall, Mall):
        callbacks = Callback.objects.filter(mall=queryset_or_mall)
    elif hasattr(queryset_or_mall, "model") and queryset_or_mall.model is Mall:
        callbacks = Callback.objects.filter(mall__in=queryset_or_mall)
    else:
        callbacks = queryset_or_mall
    return _figures(callbacks.filter(deadline_on__gte=start, deadline_on__lte=end))


def worklist_figures(mall, start, end):
    """The worklist's week so far: the callbacks that were on the mall's worklists some day in
    [start, end] (called from `due_on`, counted until `deadline_on`), so a call made today counts
    today even when its deadline is next week. Same D, K, K' and rates as `callback_figures`."""
    return _figures(Callback.objects.filter(mall=mall, due_on__lte=end, deadline_on__gte=start))


def _figures(callbacks):
    figures = callbacks.aggregate(
        due=Count("pk"),
        done=Count("pk", filter=Q(status__in=FINISHED_CALLBACK_STATES)),
        reached=Count("pk", filter=Q(status__in=FINISHED_CALLBACK_STATES, outcome__in=REACHED)),
        satisfied=Count("pk", filter=Q(status__in=FINISHED_CALLBACK_STATES, outcome__in=SATISFIED)),
        # Of those, answered by the customer through the survey link (the rest: by the desk).
        reached_survey=Count(
            "pk", filter=Q(status__in=FINISHED_CALLBACK_STATES, outcome__in=REACHED, source=AnswerSource.SURVEY)
        ),
        satisfied_survey=Count(
            "pk", filter=Q(status__in=FINISHED_CALLBACK_STATES, outcome__in=SATISFIED, source=AnswerSource.SURVEY)
        ),
    )
    figures["reached_phone"] = figures["reached"] - figures["reached_survey"]
    figures["satisfied_phone"] = figures["satisfied"] - figures["satisfied_survey"]
    figures["callback_rate"] = _rate(figures["done"], figures["due"])
    figures["satisfaction_rate"] = _rate(figures["satisfied"], figures["reached"])
    return figures


@dataclass(slots=True)
class Call:
    """One row of the worklist: a customer to phone about their due callbacks (one call settles
    them all), or one home visit (a visit, not a call, keeps a row of its own)."""

    customer: CustomerRow
    visit: bool
    callbacks: list[CallbackRow]
    first: CallbackRow | None = None
    deadline_on: date | None = None
    overdue: bool = False
    attempts: int = 0
    next_attempt_at: datetime | None = None


def calls_of(rows):
    """The worklist's calls from CallbackRows in the worklist's order (soonest deadline first):
    one per customer however many of their callbacks are due, one per home visit; calls keep
    the order of their first callback."""
    calls, by_customer = [], {}
    for row in rows:
        call = None if row.is_home_visit else by_customer.get(row.customer.pk)
        if call is None:
            call = Call(customer=row.customer, visit=row.is_home_visit, callbacks=[])
            calls.append(call)
            if not row.is_home_visit:
                by_customer[row.customer.pk] = call
        call.callbacks.append(row)
    for call in calls:
        callbacks = call.callbacks
        call.first = callbacks[0]
        call.deadline_on = callbacks[0].deadline_on
        call.overdue = any(c.overdue for c in callbacks)
        call.attempts = max(c.attempts for c in callbacks)
        call.next_attempt_at = min((c.next_attempt_at for c in callbacks if c.next_attempt_at), default=None)
    return calls


@dataclass(slots=True)
class WorklistPage:
    calls: list[Call]
    callbacks: list[CallbackRow]  # the calls' callbacks, in the worklist's order
    page: object  # django.core.paginator.Page over the calls (number, has_next, start_index ...)
    total_callbacks: int

    @property
    def total_calls(self):
        return self.page.paginator.count


def worklist_page(due, number=None, per_page=None):
    """One page of calls from `due` (the callbacks due, in the worklist's order), and how many
    there are in all. Two queries whatever the backlog: every due callback's id, customer and
    kind, to group them into calls and count them; then the rows of this page's calls, each
    with all of its customer's due callbacks (one query, none when nothing is due)."""
    groups = {}
    for pk, customer_id, kind in due.values_list("pk", "customer_id", "kind"):
        key = ("visit", pk) if kind == CallbackKind.HOME_VISIT else customer_id
        groups.setdefault(key, []).append(pk)
    page = Paginator(list(groups.values()), per_page or WORKLIST_CALLS).get_page(number)
    pks = [pk for group in page.object_list for pk in group]
    # Read again through `due`: a callback recorded in between drops out instead of showing.
    rows = callback_rows(due.filter(pk__in=pks)) if pks else []
    return WorklistPage(
        calls=calls_of(rows),
        callbacks=rows,
        page=page,
        total_callbacks=sum(len(group) for group in groups.values()),
    )


def _rate(part, whole):
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"))


def service_callback(complaint):
    """The service callback of the complaint's current round (None if not scheduled yet)."""
    return Callback.objects.filter(kind=CallbackKind.SERVICE, complaint=complaint, round=complaint.reopen_count).first()


def complaint_callbacks(complaint):
    """What the complaint reads of its service callbacks (complaints.callbacks, provided by this
    app): each round's, oldest first, in the complaint's words. One query."""
    rows = (
        Callback.objects.filter(kind=CallbackKind.SERVICE, complaint=complaint)
        .select_related("assignee")
        .order_by("round")
    )
    return [complaint_view_of(callback) for callback in rows]


def complaint_view_of(callback):
    reached = callback.status == CallbackStatus.DONE and callback.outcome in REACHED
    return ServiceCallback(
        pk=callback.pk,
        round=callback.round,
        status=callback.status,
        status_label=callback.get_status_display(),
        due_on=callback.due_on,
        is_open=callback.is_open,
        assignee=callback.assignee,
        response=callback.outcome if reached else "",
        response_label=callback.get_outcome_display() if reached else "",
        reached_at=callback.finished_at if reached else None,
        note=callback.note,
        failed_attempts=callback.attempts - (1 if reached else 0),
    )


def sale_for(user, pk):
    """A sale the user may see, for a form opened with `?sale=<id>` (servicedesk.sales)."""
    return Sale.objects.for_user(user).select_related("customer", "booth", "merchant").filter(pk=pk).first()


def purchases_of(customer, limit=20, mall=None):
    """The customer's sales (of `mall` if given), newest first, to pick from on a form
    (servicedesk.sales)."""
    sales = Sale.objects.filter(customer=customer)
    if mall is not None:
        sales = sales.filter(mall=mall)
    return list(sales.select_related("merchant", "booth").order_by("-paid_at", "-pk")[:limit])


def callback_note(user, pk):
    """(kind, note) of a callback the user may see, for a complaint started from it
    (complaints.callbacks.callback_note); None if not found or nothing was noted."""
    callback = Callback.objects.for_user(user).filter(pk=pk).first()
    if callback is None or not callback.note:
        return None
    return callback.get_kind_display(), callback.note
