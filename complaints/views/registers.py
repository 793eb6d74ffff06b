"""The complaint register, the officer's worklist, the printed register and the Excel export."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, F, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from merchants.models import Merchant
from servicedesk.access import has_role
from servicedesk.navigation import require_section
from servicedesk.pagination import BoundedPaginator
from servicedesk.roles import Role

from ..export import register_workbook
from ..filters import ComplaintFilter
from ..models import OPEN_STATES, Complaint
from ..models.rows import list_rows

PAGE_SIZE = 50
EXPORT_LIMIT = 5000


def _register(request, instances=False):
    """The filtered register: as for list_rows(), which reads the page's columns itself, or as
    instances with everything (for_register(): the printed register, the export)."""
    complaints = Complaint.objects.for_user_in(request.user, request.mall)
    if instances:
        complaints = complaints.for_register()
    filterset = ComplaintFilter(request.GET or None, queryset=complaints, user=request.user, mall=request.mall)
    return filterset, filterset.qs.order_by("-received_at", "-pk")


@login_required
def complaint_register_view(request):
    """The landing page: the complaint register with its filters."""
    section = require_section(request.user, "complaints")
    filterset, complaints = _register(request)
    page = BoundedPaginator(complaints, PAGE_SIZE, page=request.GET.get("page")).get_page(request.GET.get("page"))
    page.object_list = list_rows(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    can_register = request.mall is not None and has_role(
        request.user, request.mall, Role.FRONT_DESK, Role.COMPLAINT_OFFICER
    )
    return render(
        request,
        "complaints/register.html",
        {
            "section": section,
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "can_register": can_register,
            "now": timezone.now(),
        },
    )


@login_required
def my_work(request):
    """Assigned to me, soonest deadline first; overdue ones on top."""
    require_section(request.user, "complaints")
    complaints = (
        Complaint.objects.for_user(request.user)
        .open()
        .filter(assignee=request.user)
        .for_list()
        .with_next_due()
        .order_by(F("next_due").asc(nulls_last=True), "received_at")
    )
    unassigned = Complaint.objects.for_user(request.user).filter(status="registered").for_list().with_next_due()
    if request.mall is not None:
        unassigned = unassigned.for_mall(request.mall)
    return render(
        request,
        "complaints/my_work.html",
        {
            "complaints": list_rows(complaints[:200]),
            "unassigned": list_rows(unassigned.order_by(F("next_due").asc(nulls_last=True))[:100]),
            "now": timezone.now(),
        },
    )


@login_required
def complaint_register_print(request):
    """消费者投诉处理登记表 (register): the filtered complaints as the paper register."""
    require_section(request.user, "complaints")
    _filterset, complaints = _register(request, instances=True)
    return render(
        request,
        "complaints/print_register.html",
        {"complaints": complaints[:1000], "mall": request.mall, "printed_at": timezone.now()},
    )


@login_required
def complaint_register_export(request):
    require_section(request.user, "complaints")
    _filterset, complaints = _register(request, instances=True)
    workbook = register_workbook(complaints[:EXPORT_LIMIT])
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="complaints-{stamp}.xlsx"'
    workbook.save(response)
    return response


@login_required
def merchant_complaints(request, merchant_pk):
    """A merchant's complaints (linked from the merchant's page and its exit checklist)."""
    require_section(request.user, "complaints")
    merchant = get_object_or_404(Merchant.objects.for_user(request.user).select_related("mall"), pk=merchant_pk)
    complaints = merchant.complaints.for_list().order_by("-received_at")
    counts = merchant.complaints.aggregate(total=Count("pk"), open=Count("pk", filter=Q(status__in=OPEN_STATES)))
    return render(
        request,
        "complaints/merchant_complaints.html",
        {
            "merchant": merchant,
            "complaints": list_rows(complaints[:500]),
            "now": timezone.now(),
            "counts": counts,
            "shown": 500,
        },
    )
