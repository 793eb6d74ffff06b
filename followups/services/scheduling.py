"""The daily scheduling: create every callback that has become due, for all malls, and share
them out fairly; and the overdue scan.

Set-based and safe to repeat: per kind one SELECT finds what is due *and has no callback yet*
(up to today, not only today, so a missed day is caught up), and one bulk INSERT ... ON CONFLICT
DO NOTHING writes them; the unique keys (kind + sale, kind + complaint + round) make a second
run, or two runs at once, create each callback exactly once.

When a callback is due (DOMAIN.md §6; periods count from the day after the event):
- after-sale: from the day after delivery to `after_sale_within_days` after it;
- warranty ending: from `warranty_days_before` days before the end to the day before it;
- service: from the day after the complaint was resolved to the complaint policy's
  `callback_days` after it;
- home visit: as service, for claims over the threshold, repeat complaints and media cases.
Sales whose window has passed are not called any more (a late import of last year's sales
does not flood the worklist); a resolved complaint always gets its service callback, late if
need be, because closing it waits for that callback.
"""

import heapq
import itertools
from collections import defaultdict
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from complaints.models import Channel, ComplaintPolicy
from complaints.models import Status as ComplaintStatus
from servicedesk import texts
from servicedesk.models import Mall
from servicedesk.notifications import notify, staff_of
from servicedesk.roles import Role

from ..models import OPEN_CALLBACK_STATES, Callback, CallbackKind, CallbackPolicy, CallbackStatus, Sale

INSERT_BATCH = 5000


def callbacks_schedule(*, today=None):
    """Create the callbacks due up to `today` (default: today) and assign them. Returns
    {kind: number created}."""
    today = today or timezone.localdate()
    policies = _policies()
    created = {
        CallbackKind.AFTER_SALE: _insert(_after_sale_due(policies, today)),
        CallbackKind.WARRANTY: _insert(_warranty_due(policies, today)),
        CallbackKind.SERVICE: _insert(_service_due(policies, today)),
        CallbackKind.HOME_VISIT: _insert(_home_visit_due(policies, today)),
    }
    for mall_id in policies:
        callbacks_assign(mall_id=mall_id)
    return created


def _policies():
    """{mall id: policy in force today} for every active mall; a mall never configured has the defaults."""
    mall_ids = list(Mall.objects.active().values_list("pk", flat=True))
    return CallbackPolicy.in_force(mall_ids)


def _by_setting(policies, kind, setting):
    """Malls with `kind` switched on, grouped by the value of `setting`: one OR-ed condition
    per distinct value keeps each kind to a single SELECT whatever the number of malls."""
    groups = defaultdict(list)
    for mall_id, policy in policies.items():
        if policy.enabled(kind):
            groups[getattr(policy, setting)].append(mall_id)
    return groups


def _missing(queryset, kind, link):
    """Only rows that have no callback of this kind yet."""
    existing = Callback.objects.filter(kind=kind, **{link: OuterRef("pk")})
    if link == "complaint":
        existing = existing.filter(round=OuterRef("reopen_count"))
    return queryset.filter(~Exists(existing))


def _after_sale_due(policies, today):
    groups = _by_setting(policies, CallbackKind.AFTER_SALE, "after_sale_within_days")
    if not groups:
        return
    window = Q()
    for within, mall_ids in groups.items():
        window |= Q(mall_id__in=mall_ids, delivery_date__gte=today - timedelta(days=within), delivery_date__lt=today)
    rows = _missing(Sale.objects.filter(window), CallbackKind.AFTER_SALE, "sale")
    for pk, mall_id, customer_id, delivered in rows.values_list(
        "pk", "mall_id", "customer_id", "delivery_date"
    ).iterator(chunk_size=INSERT_BATCH):
        within = policies[mall_id].after_sale_within_days
        yield Callback(
            mall_id=mall_id,
            kind=CallbackKind.AFTER_SALE,
            sale_id=pk,
            customer_id=customer_id,
            due_on=delivered + timedelta(days=1),
            deadline_on=delivered + timedelta(days=within),
        )


def _warranty_due(policies, today):
    groups = _by_setting(policies, CallbackKind.WARRANTY, "warranty_days_before")
    if not groups:
        return
    window = Q()
    for before, mall_ids in groups.items():
        window |= Q(
            mall_id__in=mall_ids, warranty_ends_on__gt=today, warranty_ends_on__lte=today + timedelta(days=before)
        )
    rows = _missing(Sale.objects.filter(window), CallbackKind.WARRANTY, "sale")
    for pk, mall_id, customer_id, ends in rows.values_list("pk", "mall_id", "customer_id", "warranty_ends_on").iterator(
        chunk_size=INSERT_BATCH
    ):
        before = policies[mall_id].warranty_days_before
        yield Callback(
            mall_id=mall_id,
            kind=CallbackKind.WARRANTY,
            sale_id=pk,
            customer_id=customer_id,
            due_on=ends - timedelta(days=before),
            deadline_on=ends - timedelta(days=1),
        )


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _resolved_complaints(policies, kind, today):
    from complaints.models import Complaint

    mall_ids = [mall_id for mall_id, policy in policies.items() if policy.enabled(kind)]
    return Complaint.objects.filter(mall_id__in=mall_ids, resolved_at__lt=_start_of(today))


def _complaint_callbacks(queryset, kind, within_days):
    rows = _missing(queryset, kind, "complaint").values_list(
        "pk", "mall_id", "customer_id", "resolved_at", "reopen_count"
    )
    for pk, mall_id, customer_id, resolved_at, round_ in rows.iterator(chunk_size=INSERT_BATCH):
        resolved_on = timezone.localdate(resolved_at)
        yield Callback(
            mall_id=mall_id,
            kind=kind,
            complaint_id=pk,
            round=round_,
            customer_id=customer_id,
            due_on=resolved_on + timedelta(days=1),
            deadline_on=resolved_on + timedelta(days=within_days[mall_id]),
        )


def _service_due(policies, today):
    # Waiting for its callback: resolved, not yet called back (a reopened complaint that is
    # resolved again is back in this state with a higher round).
    complaints = _resolved_complaints(policies, CallbackKind.SERVICE, today).filter(status=ComplaintStatus.RESOLVED)
    # Within the complaint policy's callback days: the number the complaint's callback clock shows.
    days = {mall_id: policy.callback_days for mall_id, policy in ComplaintPolicy.in_force(policies).items()}
    yield from _complaint_callbacks(complaints, CallbackKind.SERVICE, days)


def _home_visit_due(policies, today):
    complaints = _resolved_complaints(policies, CallbackKind.HOME_VISIT, today).filter(
        status__in=[ComplaintStatus.RESOLVED, ComplaintStatus.CALLED_BACK]
    )
    reasons = Q()
    for mall_id, policy in policies.items():
        mall_reasons = Q(claimed_amount__gt=policy.home_visit_claim_over)
        if policy.home_visit_repeat:
            mall_reasons |= Q(repeat_of__isnull=False)
        if policy.home_visit_media:
            mall_reasons |= Q(channel=Channel.MEDIA)
        reasons |= Q(mall_id=mall_id) & mall_reasons
    days = {mall_id: policy.home_visit_within_days for mall_id, policy in policies.items()}
    yield from _complaint_callbacks(complaints.filter(reasons), CallbackKind.HOME_VISIT, days)


def _insert(callbacks):
    created = 0
    while batch := list(itertools.islice(callbacks, INSERT_BATCH)):
        for callback in batch:
            callback.status = CallbackStatus.OPEN
        # ON CONFLICT DO NOTHING: a run at the same moment that got there first wins (and the
        # count below then includes the few it wrote).
        Callback.objects.bulk_create(batch, ignore_conflicts=True)
        created += len(batch)
    return created


def callback_staff(mall_id):
    """Who makes the mall's calls: its complaint officers; supervisors when it has none."""
    officers = list(staff_of(mall_id, Role.COMPLAINT_OFFICER).filter(memberships__mall_id=mall_id).order_by("pk"))
    return officers or list(staff_of(mall_id, Role.SUPERVISOR).filter(memberships__mall_id=mall_id).order_by("pk"))


@transaction.atomic
def callbacks_assign(*, mall_id):
    """Give the mall's unassigned open callbacks to the least-loaded staff, soonest due first;
    ties go to the lower user id, so the result does not depend on timing. Rows are claimed
    with SKIP LOCKED: two runs at once never hand the same callback to two people."""
    staff = callback_staff(mall_id)
    if not staff:
        return 0
    unassigned = list(
        Callback.objects.select_for_update(skip_locked=True, of=("self",), no_key=True)
        .filter(mall_id=mall_id, assignee__isnull=True, status__in=OPEN_CALLBACK_STATES)
        .order_by("due_on", "pk")
        .values_list("pk", flat=True)
    )
    if not unassigned:
        return 0
    load = dict.fromkeys((user.pk for user in staff), 0)
    for user_id in Callback.objects.filter(
        assignee_id__in=load, mall_id=mall_id, status__in=OPEN_CALLBACK_STATES
    ).values_list("assignee_id", flat=True):
        load[user_id] += 1
    heap = [(count, user_id) for user_id, count in load.items()]
    heapq.heapify(heap)
    given = defaultdict(list)
    for callback_id in unassigned:
        count, user_id = heapq.heappop(heap)
        given[user_id].append(callback_id)
        heapq.heappush(heap, (count + 1, user_id))
    for user_id, ids in given.items():
        Callback.objects.filter(pk__in=ids).update(assignee_id=user_id)
    return len(unassigned)


@transaction.atomic
def callbacks_mark_overdue(*, today=None):
    """Open callbacks past their deadline: marked once, and the supervisor told once each."""
    today = today or timezone.localdate()
    now = timezone.now()
    overdue = list(
        Callback.objects.select_for_update(skip_locked=True, of=("self",), no_key=True)
        .filter(status__in=OPEN_CALLBACK_STATES, deadline_on__lt=today, overdue_at__isnull=True)
        .select_related("mall", "customer", "sale", "complaint", "assignee")
    )
    Callback.objects.filter(pk__in=[c.pk for c in overdue]).update(overdue_at=now)
    supervisors = {}
    for callback in overdue:
        if callback.mall_id not in supervisors:
            supervisors[callback.mall_id] = list(
                staff_of(callback.mall, Role.SUPERVISOR).filter(memberships__mall=callback.mall)
            )
        notify(
            supervisors[callback.mall_id],
            key=f"callback:{callback.pk}:overdue",
            title=texts.event("notice.callback_overdue", callback=callback),
            body=texts.event(
                "notice.callback_overdue_body",
                deadline=callback.deadline_on,
                assignee=callback.assignee or gettext_lazy("nobody"),
            ),
            url=f"/followups/callbacks/{callback.pk}/",
            mall=callback.mall,
        )
    return len(overdue)
