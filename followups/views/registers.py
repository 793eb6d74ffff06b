"""The callback register (回访登记) with filters and .xlsx export; the sales import pages."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from servicedesk.exports import append_row
from servicedesk.formerrors import add_service_errors
from servicedesk.navigation import require_section
from servicedesk.phones import mask_phone

from .. import services
from ..forms import RegisterFilterForm, SalesImportForm
from ..models import Callback, SalesImport
from ..selectors import callback_figures
from ..services.reading import COLUMNS
from .common import working_mall

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filtered(request):
    form = RegisterFilterForm(request.GET or None)
    callbacks = Callback.objects.for_user(request.user)
    if request.mall is not None:
        callbacks = callbacks.for_mall(request.mall)
    if form.is_valid():
        data = form.cleaned_data
        for field in ("kind", "status", "outcome"):
            if data[field]:
                callbacks = callbacks.filter(**{field: data[field]})
        if data["start"]:
            callbacks = callbacks.filter(deadline_on__gte=data["start"])
        if data["end"]:
            callbacks = callbacks.filter(deadline_on__lte=data["end"])
        if data["q"]:
            q = data["q"].strip()
            callbacks = callbacks.filter(
                Q(customer__name__icontains=q)
                | Q(customer__mobile=q)
                | Q(sale__order_number=q)
                | Q(complaint__number=q)
            )
    return form, callbacks.for_list().order_by("-deadline_on", "-pk")


@login_required
def callback_register(request):
    section = require_section(request.user, "followups")
    form, callbacks = _filtered(request)
    if request.GET.get("format") == "xlsx":
        return _xlsx(callbacks)
    start = form.cleaned_data.get("start") if form.is_valid() else None
    end = form.cleaned_data.get("end") if form.is_valid() else None
    page = Paginator(callbacks, 50).get_page(request.GET.get("page"))
    # The figures are those of the rows listed (the deadline filter is the period).
    figures = callback_figures(callbacks, start or date.min, end or date.max)
    return render(
        request,
        "followups/register.html",
        {"section": section, "form": form, "page": page, "figures": figures, "filters": _filters(request)},
    )


def _filters(request):
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    return params.urlencode()


def _xlsx(callbacks):
    from openpyxl import Workbook

    headers = ["商场", "回访类型", "顾客", "手机", "订单号/投诉编号", "商品", "应回访日", "截止日", "回访人", "状态"]
    headers += ["次数", "结果", "满意度说明", "完成时间"]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("回访登记")
    append_row(sheet, headers)
    for c in callbacks.iterator(chunk_size=2000):
        append_row(
            sheet,
            [
                c.mall.code,
                str(c.get_kind_display()),
                c.customer.name,
                mask_phone(c.customer.mobile),
                c.sale.order_number if c.sale_id else c.complaint.number,
                c.sale.goods if c.sale_id else c.complaint.goods,
                c.due_on,
                c.deadline_on,
                str(c.assignee or ""),
                str(c.get_status_display()),
                c.attempts,
                str(c.get_outcome_display()) if c.outcome else "",
                c.note,
                timezone.localtime(c.finished_at).strftime("%Y-%m-%d %H:%M") if c.finished_at else "",
            ],
        )
    response = HttpResponse(content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="callbacks-{timezone.localdate():%Y%m%d}.xlsx"'
    workbook.save(response)
    return response


@login_required
def sales_import(request):
    require_section(request.user, "followups")
    mall = working_mall(request, *services.IMPORTERS)
    form = SalesImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.sales_import_start(mall=mall, upload=form.cleaned_data["file"], actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("followups:import_progress", pk=run.pk)
    runs = SalesImport.objects.for_mall(mall).select_related("created_by")[:10]
    return render(
        request,
        "followups/sales_import.html",
        {"form": form, "mall": mall, "columns": list(COLUMNS), "runs": runs},
    )


def _run_for(request, pk):
    run = get_object_or_404(SalesImport.objects.for_user(request.user), pk=pk)
    require_section(request.user, "followups")
    return run


@login_required
def import_progress(request, pk):
    run = _run_for(request, pk)
    return render(request, "followups/import_progress.html", {"run": run})


@login_required
def import_status(request, pk):
    """What the progress bar polls."""
    run = _run_for(request, pk)
    return JsonResponse(
        {
            "status": run.status,
            "status_label": str(run.get_status_display()),
            "percent": run.percent,
            "rows_done": run.rows_done,
            "total_rows": run.total_rows,
            "finished": run.finished,
        }
    )
