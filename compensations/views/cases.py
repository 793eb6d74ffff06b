"""One case: propose, see, decide, pay, recover, write off, close, print."""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaints.models import Complaint
from merchants.services import deposit_balance
from servicedesk.access import require_role, roles_in
from servicedesk.amounts import rmb_capitals
from servicedesk.customer_links import printed_link, valid_days_after_end
from servicedesk.formerrors import add_service_errors
from servicedesk.navigation import require_section
from servicedesk.uploads import serve_upload
from servicedesk.workflow import allowed_actions, refusal

from .. import services
from ..forms import DecisionForm, PayoutForm, ProposalForm, RecoveryForm, WriteOffForm
from ..models import TRANSITIONS, Action, Compensation, PaymentMethod, Status
from ..models.transitions import PAYERS, PROPOSERS
from ..selectors import next_actor
from .common import compensation_for


def _may(user, compensation, action):
    return action in allowed_actions(TRANSITIONS, compensation.status, roles_in(user, compensation.mall))


@login_required
def compensation_propose_view(request, complaint_pk):
    complaint = get_object_or_404(
        Complaint.objects.for_user(request.user).select_related("mall", "merchant", "customer", "booth"),
        pk=complaint_pk,
    )
    require_section(request.user, "compensations")
    require_role(request.user, complaint.mall, *PROPOSERS)
    refusal = None
    try:
        services.validate_proposal(
            complaint=complaint, reason="quality", loss_price=0, loss_costs=0, loss_penalties=0, amount=0
        )
    except ValidationError as error:
        if not hasattr(error, "error_dict"):  # a precondition of the complaint, not of the money
            refusal = " ".join(error.messages)
    initial = {"loss_price": complaint.purchase_amount, "amount": complaint.claimed_amount}
    form = ProposalForm(request.POST or None, request.FILES or None, initial=initial, complaint=complaint)
    if request.method == "POST" and refusal is None and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            compensation = services.compensation_propose(complaint=complaint, actor=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Advance compensation %(number)s proposed.") % {"number": compensation.number})
            return redirect("compensations:detail", pk=compensation.pk)
    balance = deposit_balance(complaint.merchant) if complaint.merchant_id else None
    return render(
        request,
        "compensations/propose.html",
        {"complaint": complaint, "form": form, "refusal": refusal, "deposit_balance": balance},
    )


@login_required
def compensation_detail(request, pk):
    compensation = compensation_for(
        request,
        pk,
        Compensation.objects.select_related(
            "mall",
            "merchant",
            "complaint",
            "complaint__customer",
            "complaint__booth",
            "proposed_by",
            "paid_by",
            "receivable",
            "written_off_by",
        ),
    )
    user = request.user
    can_decide = services.can_decide(user, compensation)
    return render(
        request,
        "compensations/detail.html",
        {
            "c": compensation,
            "approvals": compensation.approvals.select_related("approver").order_by("step"),
            "evidence": compensation.evidence.all(),
            "recoveries": compensation.recoveries.select_related("recorded_by"),
            "boxes": services.form_context(compensation)["boxes"],
            "can_decide": can_decide,
            "next_actor": next_actor(compensation, user),
            "decision_form": DecisionForm(initial={"step": compensation.next_step}) if can_decide else None,
            "can_pay": _may(user, compensation, Action.PAY),
            "can_recover": _may(user, compensation, Action.RECORD_RECOVERY),
            "can_write_off": _may(user, compensation, Action.WRITE_OFF),
            "can_close": _may(user, compensation, Action.CLOSE),
            "actions": allowed_actions(TRANSITIONS, compensation.status),
        },
    )


def _back(request, compensation):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("compensations:detail", pk=compensation.pk)


@login_required
@require_POST
def compensation_decide_view(request, pk):
    """Approve or reject from the inbox or the detail page."""
    compensation = compensation_for(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Approve or reject."))
        return _back(request, compensation)
    try:
        services.compensation_decide(compensation=compensation, actor=request.user, **form.cleaned_data)
    except services.AlreadyDecided as error:
        messages.warning(request, " ".join(error.messages))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        compensation.refresh_from_db()
        messages.success(
            request,
            _("%(number)s: %(decision)s.")
            % {
                "number": compensation.number,
                "decision": dict(form.fields["decision"].choices)[form.cleaned_data["decision"]],
            },
        )
    return _back(request, compensation)


def _action_page(request, compensation, action, form, run, template="compensations/act.html"):
    """GET: the form; POST: call the service, errors next to the fields. PermissionDenied is a 403."""
    if (compensation.status, action) not in TRANSITIONS:
        try:
            if action == Action.PAY:
                services.refuse_before_final_approval(compensation)
            raise refusal(TRANSITIONS, compensation.status, action)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("compensations:detail", pk=compensation.pk)
    require_role(request.user, compensation.mall, *TRANSITIONS[(compensation.status, action)][1])
    if request.method == "POST" and form.is_valid():
        try:
            run(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(action)s: done.") % {"action": action.label})
            return redirect("compensations:detail", pk=compensation.pk)
    return render(request, template, {"c": compensation, "form": form, "action": action})


@login_required
def compensation_pay_view(request, pk):
    compensation = compensation_for(request, pk)
    form = PayoutForm(request.POST or None, request.FILES or None)
    return _action_page(
        request,
        compensation,
        Action.PAY,
        form,
        lambda data: services.compensation_pay(compensation=compensation, actor=request.user, **data),
    )


@login_required
def compensation_recovery_view(request, pk):
    compensation = compensation_for(request, pk)
    form = RecoveryForm(request.POST or None, initial={"amount": compensation.outstanding})
    return _action_page(
        request,
        compensation,
        Action.RECORD_RECOVERY,
        form,
        lambda data: services.compensation_record_recovery(compensation=compensation, actor=request.user, **data),
    )


@login_required
def compensation_write_off_view(request, pk):
    compensation = compensation_for(request, pk)
    form = WriteOffForm(request.POST or None)
    return _action_page(
        request,
        compensation,
        Action.WRITE_OFF,
        form,
        lambda data: services.compensation_write_off(compensation=compensation, actor=request.user, **data),
    )


@login_required
@require_POST
def compensation_close_view(request, pk):
    compensation = compensation_for(request, pk)
    try:
        services.compensation_close(compensation=compensation, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(action)s: done.") % {"action": Action.CLOSE.label})
    return redirect("compensations:detail", pk=compensation.pk)


def _form_case(request, pk):
    return compensation_for(
        request,
        pk,
        Compensation.objects.select_related(
            "mall", "merchant", "complaint", "complaint__customer", "complaint__booth", "proposed_by", "paid_by"
        ),
    )


@login_required
def compensation_approval(request, pk):
    """售后服务先行赔偿审批表, printable (plain HTML with the print stylesheet)."""
    compensation = _form_case(request, pk)
    return render(request, "compensations/approval_form.html", services.form_context(compensation))


@login_required
def compensation_approval_pdf(request, pk):
    """The same form as a PDF; each download is archived with the record."""
    compensation = _form_case(request, pk)
    content = services.compensation_archive_form(compensation=compensation, actor=request.user)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{compensation.number}.pdf"'
    return response


@login_required
@require_POST
def compensation_customer_receipt(request, pk):
    """先行赔偿确认书 for the customer to sign at payout: the amount in figures and capitals, the
    assignment of the claim to the mall, and a status link as a QR code. A POST, because each
    print issues the customer a new link."""
    compensation = _form_case(request, pk)
    require_role(request.user, compensation.mall, *PAYERS)
    if compensation.status != Status.APPROVED:
        messages.error(request, _("The receipt is printed after the final approval and before the payout."))
        return redirect("compensations:detail", pk=compensation.pk)
    _url, status_qr = printed_link(compensation)
    return render(
        request,
        "compensations/customer_receipt.html",
        {
            "c": compensation,
            "complaint": compensation.complaint,
            "capitals": rmb_capitals(compensation.amount) if translation.get_language().startswith("zh") else "",
            "payment_methods": PaymentMethod.choices,
            "status_qr": status_qr,
            "link_days": valid_days_after_end(compensation.mall),
        },
    )


@login_required
def receipt_download(request, pk):
    compensation = compensation_for(request, pk)
    if not compensation.receipt:
        raise Http404
    return serve_upload(compensation.receipt, f"{compensation.number}-receipt{Path(compensation.receipt.name).suffix}")


@login_required
def evidence_download(request, pk, evidence_pk):
    compensation = compensation_for(request, pk)
    evidence = get_object_or_404(compensation.evidence, pk=evidence_pk)
    return serve_upload(evidence.file, evidence.original_name)
