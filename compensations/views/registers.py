"""The inbox (what waits for me, oldest first), the register with totals, and the Excel export."""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from complaints.models import Complaint
from complaints.models import Status as ComplaintStatus
from servicedesk.access import has_role, memberships
from servicedesk.navigation import require_section
from servicedesk.roles import Role

from ..export import register_workbook
from ..filters import CompensationFilter
from ..models import APPROVED_STATES, Compensation, Status, Tier
from ..models.rows import escalated_rows, owing_rows, to_pay_rows, waiting_rows
from ..models.transitions import PAYERS, PROPOSERS

PAGE_SIZE = 50
EXPORT_LIMIT = 5000
MONEY = DecimalField(max_digits=14, decimal_places=2)


def awaiting_decision_by(user):
    """Cases whose waiting step this user may sign: managers their malls' first step, head office
    the general manager's and head office's steps. Never their own proposals or a second signature."""
    tiers = Q(pk__in=[])
    for mall_id, role in memberships(user):
        if role == Role.MANAGER and mall_id is not None:
            tiers |= Q(next_tier=Tier.MANAGER, mall_id=mall_id)
        elif role == Role.HEAD_OFFICE:
            tiers |= Q(next_tier__in=[Tier.GENERAL_MANAGER, Tier.HEAD_OFFICE])
    return (
        Compensation.objects.for_user(user)
        .filter(tiers, status=Status.PROPOSED)
        .exclude(proposed_by=user)
        .exclude(approvals__approver=user)
    )


def _scoped(request, queryset):
    if request.mall is not None:
        return queryset.for_mall(request.mall)
    return queryset


@login_required
def inbox(request):
    """The landing page: what waits for me, oldest first. The lists are rows of values
    (compensations.models.rows), written by compensations.templatetags.inbox_tags."""
    section = require_section(request.user, "compensations")
    user = request.user
    waiting = waiting_rows(awaiting_decision_by(user).order_by("waiting_since", "pk")[:200])
    mall = request.mall
    to_pay = owing = escalated = None
    if mall is not None and has_role(user, mall, *PAYERS):
        to_pay = to_pay_rows(
            Compensation.objects.for_mall(mall).filter(status=Status.APPROVED).order_by("payment_due_on", "pk")[:200]
        )
        owing = owing_rows(Compensation.objects.for_mall(mall).owing()[:200])
    if mall is not None and has_role(user, mall, *PROPOSERS):
        escalated = escalated_rows(
            Complaint.objects.for_mall(mall)
            .filter(status=ComplaintStatus.ESCALATED)
            .exclude(compensations__status__in=[s for s in Status if s != Status.REJECTED])
            .order_by("received_at")[:200]
        )
    return render(
        request,
        "compensations/index.html",
        {
            "section": section,
            "waiting": waiting,
            "to_pay": to_pay,
            "owing": owing,
            "escalated": escalated,
            "today": timezone.localdate(),
        },
    )


def _register(request):
    cases = _scoped(request, Compensation.objects.for_user(request.user))
    filterset = CompensationFilter(request.GET or None, queryset=cases, user=request.user, mall=request.mall)
    return filterset, filterset.qs.order_by("-proposed_at", "-pk")


def register_totals(queryset):
    """Totals by one aggregate query, in exact decimals: what the register's rows add up to."""
    zero = Value(Decimal("0.00"), output_field=MONEY)
    paid = Q(paid_at__isnull=False)
    return queryset.order_by().aggregate(
        count=Coalesce(Sum(Value(1)), 0),
        proposed=Coalesce(Sum("amount", output_field=MONEY), zero),
        approved=Coalesce(Sum("amount", filter=Q(status__in=APPROVED_STATES), output_field=MONEY), zero),
        paid=Coalesce(Sum("amount", filter=paid, output_field=MONEY), zero),
        recovered=Coalesce(Sum("recovered_amount", output_field=MONEY), zero),
        written_off=Coalesce(Sum("written_off_amount", output_field=MONEY), zero),
        outstanding=Coalesce(
            Sum(F("amount") - F("recovered_amount") - F("written_off_amount"), filter=paid, output_field=MONEY),
            zero,
        ),
    )


@login_required
def compensation_register(request):
    section = require_section(request.user, "compensations")
    filterset, cases = _register(request)
    page = Paginator(cases.for_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "compensations/register.html",
        {
            "section": section,
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "totals": register_totals(cases),
        },
    )


@login_required
def compensation_register_export(request):
    require_section(request.user, "compensations")
    _filterset, cases = _register(request)
    workbook = register_workbook(cases.for_list()[:EXPORT_LIMIT], register_totals(cases))
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="compensations-{stamp}.xlsx"'
    workbook.save(response)
    return response
