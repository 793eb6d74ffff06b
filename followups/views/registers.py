"""The callback register (回访登记) with filters and .xlsx export; the sales import pages."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from servicedesk import long_exports
from servicedesk.access import working_mall
from servicedesk.formerrors import add_service_errors
from servicedesk.navigation import require_section

from .. import services
from ..exports import CALLBACK_EXPORT_INLINE_ROWS, callback_register_workbook, export_file_name, filtered_callbacks
from ..forms import SalesImportForm
from ..models import SalesImport
from ..selectors import callback_figures
from ..services.reading import COLUMNS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filtered(request):
    return filtered_callbacks(request.user, request.mall, request.GET)


@login_required
def callback_register(request):
    section = require_section(request.user, "followups")
    form, callbacks = _filtered(request)
    if request.GET.get("format") == "xlsx":
        return _xlsx(request, callbacks)
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


def _xlsx(request, callbacks):
    """Short registers are built here; long ones by a worker, with reports' progress page."""
    if callbacks.count() > CALLBACK_EXPORT_INLINE_ROWS:
        params = {"query": _filters(request), "mall": request.mall.pk if request.mall else None}
        return redirect(long_exports.queue(user=request.user, kind="callback_register", params=params))
    response = HttpResponse(callback_register_workbook(callbacks), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{export_file_name()}"'
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
