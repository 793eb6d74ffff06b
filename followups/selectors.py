"""Reads of the followups app: figures for the weekly report, the complaint's service callback,
the sales the forms below read (servicedesk.sales)."""

from decimal import Decimal

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
