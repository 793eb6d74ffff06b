"""The callback register (回访登记) as a workbook: filtered as on the register page, built in the
request when short and by a worker (reports' export, with its progress page) when long.

82,521 rows took 63 s in a request, past the proxy's 60 s (issue #14): past
CALLBACK_EXPORT_INLINE_ROWS rows the page queues the export instead.
"""

import io

from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import pgettext, pgettext_lazy

from servicedesk.exports import append_row
from servicedesk.models import Mall
from servicedesk.phones import mask_phone

from .forms import RegisterFilterForm
from .models import Callback

# Up to this many rows the workbook is built in the request (a few seconds); above, by a worker.
CALLBACK_EXPORT_INLINE_ROWS = 5000
# The paper register's headers: Chinese, or English for a reader working in English.
HEADERS = [
    pgettext_lazy("register sheet", "Mall"),
    pgettext_lazy("register sheet", "Kind of callback"),
    pgettext_lazy("register sheet", "Customer"),
    pgettext_lazy("register sheet", "Mobile"),
    pgettext_lazy("register sheet", "Order no. / complaint no."),
    pgettext_lazy("register sheet", "Goods"),
    pgettext_lazy("register sheet", "Due on"),
    pgettext_lazy("register sheet", "Deadline"),
    pgettext_lazy("register sheet", "Called by"),
    pgettext_lazy("register sheet", "Status"),
    pgettext_lazy("register sheet", "Attempts"),
    pgettext_lazy("register sheet", "Outcome"),
    pgettext_lazy("register sheet", "Satisfaction notes"),
    pgettext_lazy("register sheet", "Finished at"),
]


def filtered_callbacks(user, mall, query):
    """(form, callbacks) for the register's filters in `query` (a QueryDict), as `user` sees them."""
    form = RegisterFilterForm(query or None)
    callbacks = Callback.objects.for_user(user)
    if mall is not None:
        callbacks = callbacks.for_mall(mall)
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


def callback_register_workbook(callbacks, progress=None, total=None):
    """The register as .xlsx bytes (write-only workbook, rows streamed from the database)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(pgettext("register sheet", "Callbacks"))
    append_row(sheet, [str(header) for header in HEADERS])
    for done, c in enumerate(callbacks.iterator(chunk_size=2000), start=1):
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
        if progress is not None:
            progress(done, total)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_file_name():
    return f"callbacks-{timezone.localdate():%Y%m%d}.xlsx"


def build_callback_register(export, progress):
    """reports' export builder: the register as it was filtered when the export was asked for."""
    mall = Mall.objects.filter(pk=export.params.get("mall")).first() if export.params.get("mall") else None
    _form, callbacks = filtered_callbacks(export.requested_by, mall, QueryDict(export.params.get("query", "")))
    total = callbacks.count()
    return export_file_name(), callback_register_workbook(callbacks, progress=progress, total=total)
