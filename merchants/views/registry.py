"""Merchant list, file, registration, edits, entry and exit, documents, deposit, prints."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicedesk.access import has_role, require_role, roles_in, working_mall
from servicedesk.formerrors import add_service_errors
from servicedesk.navigation import require_section
from servicedesk.roles import Role
from servicedesk.uploads import serve_upload
from servicedesk.workflow import allowed_actions

from .. import services
from ..filters import MerchantFilter
from ..forms import (
    BoothAssignForm,
    ConfirmExitForm,
    DepositEntryForm,
    DocumentForm,
    ExitNoticeForm,
    FlagClearForm,
    MerchantForm,
    MerchantRegisterForm,
)
from ..models import (
    MERCHANT_EDITORS,
    MERCHANT_TRANSITIONS,
    REQUIRED_DOCUMENTS,
    Booth,
    DocumentKind,
    EntryKind,
    Merchant,
    MerchantAction,
    MerchantDocument,
    MerchantPolicy,
)
from ..open_cases import case_lists, open_cases
from .common import can_edit, merchant_for, merchant_for_change

PAGE_SIZE = 50


@login_required
def merchant_list(request):
    section = require_section(request.user, "merchants")
    merchants = (
        Merchant.objects.for_user(request.user)
        .with_deposit_balance()
        .select_related("mall")
        .prefetch_related(Prefetch("booths", queryset=Booth.objects.filter(is_active=True).order_by("number")))
        .order_by("mall__code", "brand", "pk")
    )
    if request.mall is not None:
        merchants = merchants.for_mall(request.mall)
    filters = MerchantFilter(request.GET or None, queryset=merchants, mall=request.mall)
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    threshold = MerchantPolicy.for_mall(request.mall).deposit_low_threshold if request.mall else None
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "merchants/index.html",
        {
            "section": section,
            "filter": filters,
            "page": page,
            "query_string": query.urlencode(),
            "low_threshold": threshold,
            "can_register": request.mall is not None and has_role(request.user, request.mall, *MERCHANT_EDITORS),
        },
    )


@login_required
def merchant_detail(request, pk):
    merchant = merchant_for(request, pk)
    user = request.user
    entries = list(merchant.deposit_entries.select_related("recorded_by").order_by("entry_date", "pk"))
    running = 0
    for entry in entries:
        running += entry.signed
        entry.running_balance = running
    actions = [
        (action, action.label)
        for action in allowed_actions(MERCHANT_TRANSITIONS, merchant.status, roles_in(user, merchant.mall_id))
    ]
    documents = merchant.documents.select_related("uploaded_by").order_by("kind", "-uploaded_at")
    current_kinds = {d.kind for d in documents if d.is_current}
    context = {
        "merchant": merchant,
        "booths": merchant.booths.order_by("number"),
        "tenancies": merchant.tenancies.select_related("booth").order_by("-start_date"),
        "documents": documents,
        "checklist": [(DocumentKind(k).label, k in current_kinds) for k in REQUIRED_DOCUMENTS],
        "entries": entries,
        "balance": running,
        "receivables": merchant.receivables.order_by("-recorded_at"),
        "inspections": merchant.inspections.select_related("booth", "inspector").prefetch_related("failures")[:20],
        "open_cases": open_cases(merchant),
        "case_lists": case_lists(merchant, user),
        "actions": actions,
        "can_edit": can_edit(user, merchant),
        "can_clear_flag": has_role(user, merchant.mall_id, Role.MANAGER, Role.SUPERVISOR),
        "document_form": DocumentForm(),
        "deposit_form": DepositEntryForm(),
        "booth_form": BoothAssignForm(),
        "flag_form": FlagClearForm(),
    }
    return render(request, "merchants/detail.html", context)


@login_required
def merchant_register_view(request):
    mall = working_mall(request, *MERCHANT_EDITORS)
    form = MerchantRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in MerchantForm.Meta.fields}
        try:
            merchant = services.merchant_register(mall=mall, actor=request.user, booths=[form.booth()], **fields)
        except ValidationError as error:
            add_service_errors(form, _booth_errors_to_form(error))
        else:
            messages.success(request, _("Merchant registered; upload the entry documents next."))
            return redirect("merchants:detail", pk=merchant.pk)
    return render(request, "merchants/register.html", {"form": form, "mall": mall})


def _booth_errors_to_form(error):
    """The booth service names its fields number/floor; the register form calls them booth_*."""
    if hasattr(error, "error_dict"):
        renamed = {
            (f"booth_{field}" if field in ("number", "floor", "zone", "area") else field): errors
            for field, errors in error.error_dict.items()
        }
        return ValidationError(renamed)
    return error


@login_required
def merchant_edit(request, pk):
    merchant = merchant_for(request, pk)
    if not can_edit(request.user, merchant):
        raise PermissionDenied(_("Your role may read this merchant but not change it."))
    form = MerchantForm(request.POST or None, instance=merchant)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            if changes:
                services.merchant_update(merchant=Merchant.objects.get(pk=merchant.pk), actor=request.user, **changes)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Merchant saved."))
            return redirect("merchants:detail", pk=merchant.pk)
    return render(request, "merchants/edit.html", {"form": form, "merchant": merchant})


TRANSITION_SERVICES = {
    MerchantAction.VERIFY: services.merchant_verify,
    MerchantAction.ACTIVATE: services.merchant_activate,
    MerchantAction.RELEASE_DEPOSIT: services.merchant_release_deposit,
}


@login_required
@require_POST
def merchant_transition(request, pk, action):
    merchant = merchant_for(request, pk)
    service = TRANSITION_SERVICES.get(action)
    if service is None:
        raise Http404
    action = MerchantAction(action)
    require_role(request.user, merchant.mall_id, *MERCHANT_TRANSITIONS.roles_for(action))
    try:
        service(merchant=merchant, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": action.label})
    return redirect("merchants:detail", pk=merchant.pk)


@login_required
def merchant_exit_view(request, pk):
    merchant = merchant_for_change(request, pk, *MERCHANT_TRANSITIONS.roles_for(MerchantAction.NOTICE_EXIT))
    form = ExitNoticeForm(request.POST or None, merchant=merchant)
    if request.method == "POST" and form.is_valid():
        try:
            services.merchant_notice_exit(merchant=merchant, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Exit notice recorded."))
            return redirect("merchants:detail", pk=merchant.pk)
    return render(
        request,
        "merchants/exit_form.html",
        {"form": form, "merchant": merchant, "open_cases": open_cases(merchant), "step": "notice"},
    )


@login_required
def merchant_confirm_exit_view(request, pk):
    merchant = merchant_for_change(request, pk, *MERCHANT_TRANSITIONS.roles_for(MerchantAction.CONFIRM_EXIT))
    form = ConfirmExitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.merchant_confirm_exit(merchant=merchant, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Exit confirmed; the booths are free and the deposit hold has started."))
            return redirect("merchants:detail", pk=merchant.pk)
    return render(
        request,
        "merchants/exit_form.html",
        {"form": form, "merchant": merchant, "open_cases": open_cases(merchant), "step": "confirm"},
    )


@login_required
@require_POST
def document_add(request, pk):
    merchant = merchant_for_change(request, pk, *MERCHANT_EDITORS)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_upload(merchant=merchant, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
    _report(request, form, _("Document filed."))
    return redirect(f"{merchant.get_absolute_url()}#documents")


@login_required
def document_file(request, pk, document_id):
    merchant = merchant_for(request, pk)
    document = get_object_or_404(MerchantDocument, pk=document_id, merchant=merchant)
    return serve_upload(document.file, document.filename)


@login_required
@require_POST
def deposit_entry_add(request, pk):
    merchant = merchant_for_change(request, pk, *MERCHANT_EDITORS)
    form = DepositEntryForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        service = services.deposit_collect if data["kind"] == EntryKind.COLLECT else services.deposit_top_up
        try:
            service(
                merchant=merchant,
                actor=request.user,
                amount=data["amount"],
                reason=data["reason"],
                entry_date=data["entry_date"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
    _report(request, form, _("Deposit entry recorded."))
    return redirect(f"{merchant.get_absolute_url()}#deposit")


@login_required
@require_POST
def booth_add(request, pk):
    merchant = merchant_for_change(request, pk, *MERCHANT_EDITORS)
    form = BoothAssignForm(request.POST)
    if form.is_valid():
        try:
            services.booth_assign(mall=merchant.mall, merchant=merchant, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
    _report(request, form, _("Booth assigned."))
    return redirect(f"{merchant.get_absolute_url()}#booths")


@login_required
@require_POST
def merchant_flag_clear(request, pk):
    merchant = merchant_for_change(request, pk, Role.MANAGER, Role.SUPERVISOR)
    form = FlagClearForm(request.POST)
    if form.is_valid():
        try:
            services.merchant_clear_flag(merchant=merchant, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
    _report(request, form, _("Flag cleared."))
    return redirect(merchant.get_absolute_url())


def _report(request, form, success):
    if form.errors:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{' '.join(errors)}" if label else " ".join(errors))
    else:
        messages.success(request, success)


@login_required
def merchant_file(request, pk):
    """Printable merchant file (商户档案)."""
    merchant = merchant_for(request, pk)
    return render(
        request,
        "merchants/print_merchant_file.html",
        {
            "merchant": merchant,
            "tenancies": merchant.tenancies.select_related("booth").order_by("-start_date"),
            "documents": merchant.documents.current().order_by("kind"),
            "balance": services.deposit_balance(merchant),
        },
    )


@login_required
def exit_checklist(request, pk):
    """Printable exit checklist (商户撤场交接清单)."""
    merchant = merchant_for(request, pk)
    return render(
        request,
        "merchants/print_exit_checklist.html",
        {
            "merchant": merchant,
            "booths": merchant.tenancies.select_related("booth").order_by("booth__number"),
            "open_cases": open_cases(merchant),
            "balance": services.deposit_balance(merchant),
            "receivables": merchant.receivables.open(),
            "policy": MerchantPolicy.for_mall(merchant.mall),
        },
    )
