"""Exchange screens: the register with filters, the request form, the case page, the slip."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from followups.models import Sale
from portal.models import CaseMessage
from servicedesk.access import has_role, roles_in, working_mall
from servicedesk.customer_links import printed_link, valid_days_after_end
from servicedesk.formerrors import add_service_errors
from servicedesk.models import Customer
from servicedesk.navigation import require_section
from servicedesk.pdf import render_pdf
from servicedesk.phone_access import full_phone_shown
from servicedesk.registers import request_register
from servicedesk.workflow import allowed_actions

from . import services
from .forms import (
    ConfirmForm,
    DeliverForm,
    EmptyForm,
    ExchangeRequestForm,
    FreightForm,
    OverrideForm,
    PickUpForm,
    RefuseForm,
    ReplacementForm,
    SettleForm,
)
from .models import DESK, EXCHANGE_TRANSITIONS, Exchange, ExchangeAction, ExchangeKind, ExchangeStatus
from .selectors import exchange_next_step

A = ExchangeAction
# action -> (form class, service, how the form's data becomes the service's arguments)
ACTIONS = {
    A.CONFIRM: (ConfirmForm, services.exchange_confirm, lambda d: d),
    A.OVERRIDE: (OverrideForm, services.exchange_override, lambda d: {"reason": d["override_reason"]}),
    A.REFUSE: (RefuseForm, services.exchange_refuse, lambda d: {"reason": d["refusal_reason"]}),
    A.RECORD_FREIGHT: (FreightForm, services.exchange_record_freight, lambda d: d),
    A.AGREE_REPLACEMENT: (ReplacementForm, services.exchange_agree_replacement, lambda d: d),
    A.SETTLE: (SettleForm, services.exchange_settle, lambda d: d),
    A.PICK_UP: (PickUpForm, services.exchange_pick_up, lambda d: d),
    A.DELIVER: (DeliverForm, services.exchange_deliver, lambda d: d),
    A.CLOSE: (EmptyForm, services.exchange_close, lambda d: {}),
}


def _exchange_for(request, pk):
    e = get_object_or_404(
        Exchange.objects.for_user(request.user).select_related(
            "mall", "customer", "merchant", "booth", "registered_by", "confirmed_by", "overridden_by"
        ),
        pk=pk,
    )
    require_section(request.user, "returns")
    return e


@login_required
def exchange_list(request):
    section = require_section(request.user, "returns")
    exchanges = Exchange.objects.for_user(request.user).select_related("mall", "customer", "merchant")
    kind = request.GET.get("kind", "")
    if kind in ExchangeKind.values:
        exchanges = exchanges.filter(kind=kind)
    delayed = request.GET.get("delayed") == "1"
    if delayed:
        exchanges = exchanges.filter(delay_flagged=True)
    page, status, query = request_register(request, exchanges, statuses=ExchangeStatus)
    return render(
        request,
        "exchanges/index.html",
        {
            "section": section,
            "page": page,
            "status": status,
            "kind": kind,
            "delayed": delayed,
            "query": query,
            "statuses": ExchangeStatus.choices,
            "kinds": ExchangeKind.choices,
            "can_register": request.mall is not None and has_role(request.user, request.mall, *DESK),
        },
    )


@login_required
def exchange_new(request):
    mall = working_mall(request, *DESK)
    form = ExchangeRequestForm(request.POST or None, mall=mall, initial=_initial(request, mall))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            e = services.exchange_register(
                mall=mall,
                actor=request.user,
                customer_name=data["customer_name"],
                customer_mobile=data["customer_mobile"],
                **form.sale(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Exchange %(number)s registered.") % {"number": e.number})
            return redirect("exchanges:detail", pk=e.pk)
    return render(request, "exchanges/new.html", {"form": form, "mall": mall})


def _initial(request, mall):
    """`?sale=<id>` (a unified-cashier purchase on the customer's page) fills the customer and
    the sale, so the exchange is asked against it with nothing retyped; `?customer=<id>` the
    customer only. Another mall's sale or customer fills nothing."""
    initial, customer = {}, None
    sale_id, customer_id = request.GET.get("sale", ""), request.GET.get("customer", "")
    if sale_id.isdigit():
        sale = Sale.objects.filter(mall=mall, pk=sale_id).select_related("customer").first()
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
        customer = Customer.objects.filter(mall=mall, pk=customer_id).first()
    if customer is not None:
        initial["customer_name"] = customer.name
        if request.method == "GET" and full_phone_shown(request, customer):  # shown in the form: logged
            initial["customer_mobile"] = customer.mobile
    return initial


@login_required
def exchange_detail(request, pk):
    e = _exchange_for(request, pk)
    roles = roles_in(request.user, e.mall_id)
    forms = {
        action: ACTIONS[action][0](prefix=action) for action in allowed_actions(EXCHANGE_TRANSITIONS, e.status, roles)
    }
    return render(
        request,
        "exchanges/detail.html",
        {
            "e": e,
            "forms": forms,
            "labels": dict(ExchangeAction.choices),
            "next_step": exchange_next_step(e),
            "show_full_phone": full_phone_shown(request, e.customer),
            # What the customer wrote through the status link (read here; photos are counted).
            "conversation": list(
                CaseMessage.objects.filter(case_type="exchange", case_id=e.pk, direction="from_customer")
            ),
        },
    )


@login_required
@require_POST
def exchange_action(request, pk, action):
    e = _exchange_for(request, pk)
    if action not in ACTIONS:
        raise Http404
    form_class, service, arguments = ACTIONS[action]
    form = form_class(request.POST, prefix=action)
    if form.is_valid():
        try:
            service(exchange=e, actor=request.user, **arguments(form.cleaned_data))
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{' '.join(errors)}" if label else " ".join(errors))
    else:
        messages.success(request, _("Saved."))
    return redirect("exchanges:detail", pk=e.pk)


@login_required
@require_http_methods(["GET", "POST"])
def exchange_slip(request, pk):
    """换货处理单, printed for the customer's, the merchant's and the desk's signatures. A GET shows it
    without the status link (a GET never writes); a POST (the case page's print button) issues the
    customer a fresh link."""
    return render(request, "exchanges/print_slip.html", _slip_context(request, _exchange_for(request, pk)))


@login_required
@require_http_methods(["GET", "POST"])
def exchange_slip_pdf(request, pk):
    """The same slip as a PDF (WeasyPrint), to file or send; with the status link on a POST."""
    e = _exchange_for(request, pk)
    response = HttpResponse(
        render_pdf("exchanges/print_slip_pdf.html", _slip_context(request, e)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{e.number}.pdf"'
    return response


def _slip_context(request, e):
    """The full mobile only to the desk roles, and then logged; each print by POST carries a
    fresh customer link."""
    return {
        "e": e,
        "today": timezone.localdate(),
        "show_full_phone": full_phone_shown(request, e.customer),
        "status_qr": printed_link(e)[1] if request.method == "POST" else None,
        "link_days": valid_days_after_end(e.mall),
    }
