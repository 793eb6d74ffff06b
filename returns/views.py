"""Return screens: register, request with live eligibility, the case page, slip, summary."""

import io
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from frontdesk.conversion import mark_converted
from servicedesk import sales
from servicedesk.access import has_role, roles_in, working_mall
from servicedesk.customer_links import printed_link, valid_days_after_end
from servicedesk.exports import append_row
from servicedesk.formerrors import add_service_errors
from servicedesk.models import Customer
from servicedesk.navigation import require_section
from servicedesk.pdf import render_pdf
from servicedesk.phone_access import full_phone_shown
from servicedesk.phones import normalise_mobile
from servicedesk.registers import request_register
from servicedesk.roles import Role
from servicedesk.uploads import serve_upload
from servicedesk.workflow import allowed_actions

from . import services
from .eligibility import EXCLUSION_SENTENCES, assess, assess_return
from .exchange_line import exchange_line
from .forms import (
    ApproveForm,
    EmptyForm,
    InspectForm,
    MerchantReplyForm,
    OverrideForm,
    PeriodForm,
    ReceiveForm,
    RefundForm,
    RefuseForm,
    ReturnRequestForm,
)
from .models import DESK, RETURN_TRANSITIONS, ReturnAction, ReturnPolicy, ReturnRequest, ReturnStatus
from .selectors import period_returns, return_next_step, summary
from .services.flow import refund_due

# action -> (form class, service, how the form's data becomes the service's arguments)
ACTIONS = {
    "check": (EmptyForm, services.return_check, lambda d: {}),
    "override": (OverrideForm, services.return_override, lambda d: {"reason": d["override_reason"]}),
    "merchant_reply": (MerchantReplyForm, services.return_merchant_reply, lambda d: d),
    "approve": (ApproveForm, services.return_approve, lambda d: d),
    "refuse": (RefuseForm, services.return_refuse, lambda d: {"reason": d["refusal_reason"]}),
    "receive_goods": (ReceiveForm, services.return_receive_goods, lambda d: d),
    "inspect": (InspectForm, services.return_inspect, lambda d: d),
    "refund": (RefundForm, services.return_refund, lambda d: d),
    "close": (EmptyForm, services.return_close, lambda d: {}),
}


def _return_for(request, pk):
    r = get_object_or_404(
        ReturnRequest.objects.for_user(request.user).select_related(
            "mall", "customer", "merchant", "booth", "registered_by", "decided_by", "overridden_by"
        ),
        pk=pk,
    )
    require_section(request.user, "returns")
    return r


@login_required
def return_list(request):
    section = require_section(request.user, "returns")
    returns = ReturnRequest.objects.for_user(request.user).select_related("mall", "customer", "merchant")
    page, status, query = request_register(request, returns, statuses=ReturnStatus)
    return render(
        request,
        "returns/index.html",
        {
            "section": section,
            "page": page,
            "status": status,
            "query": query,
            "statuses": ReturnStatus.choices,
            "can_register": request.mall is not None and has_role(request.user, request.mall, *DESK),
        },
    )


@login_required
def return_new(request):
    mall = working_mall(request, *DESK)
    form = ReturnRequestForm(request.POST or None, mall=mall, initial=_customer_initial(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            r = services.return_register(
                mall=mall,
                actor=request.user,
                customer_name=data["customer_name"],
                customer_mobile=data["customer_mobile"],
                **form.sale(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            mark_converted(request, "return", r.number)
            messages.success(request, _("Return %(number)s registered.") % {"number": r.number})
            return redirect("returns:detail", pk=r.pk)
    return render(
        request, "returns/new.html", {"form": form, "mall": mall, "purchases": _purchases_to_pick(request, mall)}
    )


def _purchases_to_pick(request, mall):
    """Opened for a customer (`?customer=<id>`, from their page or an enquiry): their unified-cashier
    purchases, each a link that fills the form from the sale, so nothing is retyped."""
    customer_id = request.GET.get("customer", "")
    if request.method != "GET" or not customer_id.isdigit():
        return []
    return sales.purchases_of(int(customer_id), mall=mall)


def _customer_initial(request):
    """`?customer=<id>` (an enquiry turned into a return) fills the customer; `?sale=<id>` (an
    imported unified-cashier sale) fills the customer and the sale, so nothing is typed twice."""
    initial, customer = {}, None
    sale_id, customer_id = request.GET.get("sale", ""), request.GET.get("customer", "")
    if sale_id.isdigit():
        sale = sales.sale_for(request.user, sale_id)
        if sale is not None:
            customer = sale.customer
            initial.update(
                voucher_number=sale.order_number,
                via_unified_cashier=True,
                merchant=sale.merchant_id,
                booth=sale.booth_id,
                goods=sale.goods,
                model=sale.model,
                quantity=sale.quantity,
                price_paid=sale.amount,
                payment_date=timezone.localdate(sale.paid_at),
                delivery_date=sale.delivery_date,
            )
    elif customer_id.isdigit():
        customer = Customer.objects.for_user(request.user).filter(pk=customer_id).first()
    if customer is not None:
        initial.update(customer_name=customer.name)
        if request.method == "GET" and full_phone_shown(request, customer):  # the form shows it: logged
            initial.update(customer_mobile=customer.mobile)
    elif request.GET.get("mobile"):
        initial["customer_mobile"] = normalise_mobile(request.GET["mobile"])[:11]
    return initial


@login_required
def eligibility_preview(request):
    """The eligibility panel, redrawn while the request form is being filled in."""
    mall = request.mall
    if mall is None:
        raise Http404
    require_section(request.user, "returns")
    data = request.GET

    def day(name):
        try:
            return date.fromisoformat(data.get(name, ""))
        except ValueError:
            return None

    if data.get("kind") == "quality":
        return render(request, "returns/_eligibility.html", {"quality": True})
    result = assess(
        policy=ReturnPolicy.for_mall(mall),
        request_date=timezone.localdate(),
        payment_date=day("payment_date"),
        delivery_date=day("delivery_date"),
        voucher_number=data.get("voucher_number", ""),
        via_unified_cashier=data.get("via_unified_cashier") in ("on", "true", "1"),
        flags={flag: data.get(flag) in ("on", "true", "1") for flag in EXCLUSION_SENTENCES},
    )
    return render(request, "returns/_eligibility.html", {"result": result})


@login_required
def return_detail(request, pk):
    r = _return_for(request, pk)
    forms = {}
    for action in allowed_actions(RETURN_TRANSITIONS, r.status, roles_in(request.user, r.mall_id)):
        key = "inspect" if action.startswith("inspect_") else action
        forms[key] = ACTIONS[key][0](prefix=key)
    if r.status in (ReturnStatus.REQUESTED, ReturnStatus.CHECKED, ReturnStatus.APPROVED) and has_role(
        request.user, r.mall_id, *DESK
    ):
        forms["merchant_reply"] = MerchantReplyForm(prefix="merchant_reply")
    overridable = r.status == ReturnStatus.CHECKED and r.eligible is False and not r.overridden_by_id
    if overridable and has_role(request.user, r.mall_id, Role.MANAGER):
        forms["override"] = OverrideForm(prefix="override")
    if "approve" in forms:
        forms["approve"] = ApproveForm(prefix="approve", initial={"pickup_address": r.customer.address})
    return render(
        request,
        "returns/detail.html",
        {
            "r": r,
            "assessment": assess_return(r) if r.kind == "no_reason" else None,
            "forms": forms,
            "labels": dict(ReturnAction.choices),
            "refund_due": refund_due(r),
            "next_step": return_next_step(r),
            "show_full_phone": full_phone_shown(request, r.customer),
        },
    )


@login_required
def return_photo(request, pk, photo_pk):
    """A photo of the returned goods (taken by the desk or the merchant's own user)."""
    r = _return_for(request, pk)
    photo = get_object_or_404(r.photos.all(), pk=photo_pk)
    return serve_upload(photo.file, photo.original_name)


@login_required
@require_POST
def return_action(request, pk, action):
    r = _return_for(request, pk)
    if action not in ACTIONS:
        raise Http404
    form_class, service, arguments = ACTIONS[action]
    form = form_class(request.POST, prefix=action)
    if form.is_valid():
        try:
            service(return_request=r, actor=request.user, **arguments(form.cleaned_data))
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{' '.join(errors)}" if label else " ".join(errors))
    else:
        messages.success(request, _("Saved."))
    return redirect("returns:detail", pk=r.pk)


@login_required
@require_http_methods(["GET", "POST"])
def return_slip(request, pk):
    """无理由退货处理单, printed for signatures. A GET shows it without the status link (a GET
    never writes); a POST (the case page's print button) issues the customer a fresh link."""
    r = _return_for(request, pk)
    return render(request, "returns/print_slip.html", _slip_context(request, r))


def _slip_context(request, r):
    """The slip states the promise in force on the day the customer asked (the mall's policy);
    the full mobile only to the desk roles, and then logged."""
    policy = r.policy()
    # Each print carries a fresh customer link (#18 §2), issued by a POST only.
    status_qr = printed_link(r)[1] if request.method == "POST" else None
    return {
        "status_qr": status_qr,
        "link_days": valid_days_after_end(r.mall_id),
        "r": r,
        "policy": policy,
        "assessment": assess_return(r),
        "refund_due": refund_due(r, policy),
        "show_full_phone": full_phone_shown(request, r.customer),
    }


@login_required
@require_http_methods(["GET", "POST"])
def return_slip_pdf(request, pk):
    """The same slip as a PDF (WeasyPrint); with the status link on a POST."""
    r = _return_for(request, pk)
    response = HttpResponse(
        render_pdf("returns/print_slip_pdf.html", _slip_context(request, r)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{r.number}.pdf"'
    return response


def _period(request):
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    form = PeriodForm(request.GET or {"start": monday - timedelta(days=7), "end": monday - timedelta(days=1)})
    if form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, None, None


@login_required
def return_summary(request):
    """无理由退货处理汇总表 for a period: on screen, printed, or as .xlsx."""
    require_section(request.user, "returns")
    form, start, end = _period(request)
    returns = ReturnRequest.objects.for_user(request.user)
    if request.mall is not None:
        returns = returns.for_mall(request.mall)
    rows, totals, exchange_totals = [], None, None
    if start:
        selected = period_returns(returns, start, end)
        rows = selected.select_related("mall", "customer", "merchant").order_by("requested_on", "pk")
        totals = summary(selected)
        # The exchanges of the same period: one line of the same paper register (退换货).
        exchange_totals = exchange_line(request.user, request.mall, start, end)
        if request.GET.get("format") == "xlsx":
            return _xlsx(rows, totals, start, end, exchange_totals)
    return render(
        request,
        "returns/summary.html",
        {"form": form, "rows": rows, "totals": totals, "exchanges": exchange_totals, "start": start, "end": end},
    )


# The paper summary's headers: Chinese, or English for a reader working in English.
HEADERS = [
    pgettext_lazy("register sheet", "Form no."),
    pgettext_lazy("register sheet", "Mall"),
    pgettext_lazy("register sheet", "Requested on"),
    pgettext_lazy("register sheet", "Customer"),
    pgettext_lazy("register sheet", "Merchant"),
    pgettext_lazy("register sheet", "Goods"),
    pgettext_lazy("register sheet", "Amount paid"),
    pgettext_lazy("register sheet", "Status"),
    pgettext_lazy("register sheet", "Refund"),
    pgettext_lazy("register sheet", "Refunded at"),
    pgettext_lazy("register sheet", "Reason for refusal"),
]


def _xlsx(rows, totals, start, end, exchanges=None):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    title = pgettext("paper form", "No-Reason Returns Summary")
    sheet = workbook.create_sheet(pgettext("register sheet", "Returns summary"))
    period = pgettext("paper form", "%(first)s to %(last)s") % {"first": f"{start:%Y-%m-%d}", "last": f"{end:%Y-%m-%d}"}
    append_row(sheet, [f"{title} {period}"])
    append_row(sheet, [str(header) for header in HEADERS])
    for r in rows:
        append_row(
            sheet,
            [
                r.number,
                r.mall.code,
                r.requested_on,
                r.customer.name,
                r.merchant.brand,
                r.goods,
                float(r.price_paid),
                r.get_status_display(),
                float(r.refund_amount) if r.refund_amount is not None else None,
                timezone.localtime(r.refunded_at).strftime("%Y-%m-%d %H:%M") if r.refunded_at else "",
                r.refusal_reason,
            ],
        )
    append_row(sheet, [])
    append_row(
        sheet,
        [
            pgettext("register sheet", "Total"),
            totals["count"],
            pgettext("paper form", "Approved"),
            totals["approved"],
            pgettext("paper form", "Refused"),
            totals["refused"],
        ],
    )
    append_row(
        sheet,
        [
            pgettext("register sheet", "Refunds in total"),
            float(totals["refund_sum"] or 0),
            pgettext("paper form", "Average days to refund"),
            totals["average_days_to_refund"],
        ],
    )
    if exchanges is not None:
        append_row(
            sheet,
            [
                pgettext("register sheet", "Exchanges"),
                exchanges["count"],
                pgettext("paper form", "Refused"),
                exchanges["refused"],
                pgettext("paper form", "Delivered"),
                exchanges["delivered"],
                pgettext("paper form", "Difference paid in (yuan)"),
                float(exchanges["paid_in"] or 0),
                pgettext("paper form", "Difference refunded (yuan)"),
                float(exchanges["refunded"] or 0),
            ],
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="returns-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"'
    return response
