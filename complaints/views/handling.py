from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from servicedesk import customer_links, mall_settings, texts
from servicedesk.access import has_role, require_role, roles_in
from servicedesk.formerrors import add_service_errors
from servicedesk.pdf import render_pdf
from servicedesk.phone_access import full_phone_shown
from servicedesk.roles import Role
from servicedesk.uploads import serve_upload
from servicedesk.workflow import TransitionRefused, allowed_actions, check

from .. import callbacks, services
from ..forms import ACTION_FORMS, AssignForm, IdentifyMerchantForm, LogForm
from ..models import TRANSITIONS, Action, Complaint, ComplaintPolicy, DeadlineKind, EntryKind
from ..next_step import complaint_next_step
from ..services.handling import LOG_ROLES
from .common import complaint_for

# Who may write to the customer (customer_links.message_to_customer checks the same).
CUSTOMER_MESSAGE_ROLES = (Role.FRONT_DESK, Role.COMPLAINT_OFFICER, Role.SUPERVISOR, Role.MANAGER)

# How each action's page hands its form's fields to the service.
SERVICES = {
    Action.ACKNOWLEDGE: services.complaint_acknowledge,
    Action.IDENTIFY_MERCHANT: services.complaint_identify_merchant,
    Action.ASSIGN: services.complaint_assign,
    Action.TAKE: services.complaint_take,
    Action.FORWARD: services.complaint_forward_to_merchant,
    Action.MERCHANT_REPLY: services.complaint_record_merchant_reply,
    Action.PROPOSE: services.complaint_propose,
    Action.RESOLVE: services.complaint_resolve,
    Action.REJECT_PROPOSAL: services.complaint_reject_proposal,
    Action.NOT_ACCEPT: services.complaint_not_accept,
    Action.WITHDRAW: services.complaint_withdraw,
    Action.PAUSE: services.complaint_pause,
    Action.RESUME: services.complaint_resume,
    Action.ESCALATE: services.complaint_escalate,
    Action.REFER: services.complaint_refer,
    Action.CALL_BACK: services.complaint_call_back,
    Action.CALLBACK_FAILED: services.complaint_callback_failed,
    Action.REOPEN: services.complaint_reopen,
    Action.CLOSE: services.complaint_close,
}
# Actions that move the complaint along the main path get the primary button.
MAIN_PATH = {Action.TAKE, Action.FORWARD, Action.PROPOSE, Action.RESOLVE, Action.CALL_BACK, Action.CLOSE, Action.ASSIGN}


# A call from the complaint's page is recorded on the service callback (complaints.callbacks);
# once that callback exists, further calls are made from the callback worklist.
WORKLIST_ACTIONS = {Action.CALL_BACK, Action.CALLBACK_FAILED}


def actions_for(user, complaint, service_callback=None):
    return [
        {"action": action, "label": Action(action).label, "main": action in MAIN_PATH}
        for action in allowed_actions(TRANSITIONS, complaint.status, roles_in(user, complaint.mall))
        if not (action == Action.PAUSE and complaint.is_paused)
        and not (action == Action.RESUME and not complaint.is_paused)
        and not (action == Action.ACKNOWLEDGE and complaint.first_contact_at)
        and not (action == Action.IDENTIFY_MERCHANT and complaint.merchant_id)
        and not (action in WORKLIST_ACTIONS and service_callback is not None)
    ]


@login_required
def complaint_detail(request, pk):
    complaint = complaint_for(
        request,
        pk,
        # The earlier complaint's number by a subquery, not a seventh join: joining the complaints
        # table to itself made PostgreSQL spend ~9 ms planning a 0.2 ms look-up at the full chain
        # (issue 22, docs/benchmarks.md §23).
        Complaint.objects.select_related("mall", "customer", "merchant", "booth", "assignee", "registered_by").annotate(
            repeat_of_number=Subquery(Complaint.objects.filter(pk=OuterRef("repeat_of_id")).values("number"))
        ),
    )
    callback = callbacks.service_callback(complaint)
    return render(
        request,
        "complaints/detail.html",
        {
            "complaint": complaint,
            "actions": actions_for(request.user, complaint, callback),
            "service_callback": callback,
            "next_step": complaint_next_step(complaint, callback),
            "deadlines": complaint.deadlines.order_by("due_at"),
            "entries": complaint.entries.select_related("author"),
            "attachments": complaint.attachments.all(),
            "pauses": complaint.pauses.all(),
            "repeats": complaint.repeats.all(),
            "escalation_grounds": [texts.render(g) for g in services.escalation_grounds(complaint)]
            if complaint.is_open
            else [],
            "show_full_phone": full_phone_shown(request, complaint.customer),
            "log_form": LogForm()
            if complaint.is_open and has_role(request.user, complaint.mall, *services.handling.LOG_ROLES)
            else None,
            # The messages with the customer through the status link (portal), and the desk's reply.
            "conversation": customer_links.conversation(complaint),
            "may_message_customer": complaint.closed_at is None
            and has_role(request.user, complaint.mall, *CUSTOMER_MESSAGE_ROLES),
        },
    )


@login_required
@require_POST
def customer_message_add(request, pk):
    """The desk writes to the customer: shown on the customer's status page (first name only)."""
    complaint = complaint_for(request, pk)
    require_role(request.user, complaint.mall, *CUSTOMER_MESSAGE_ROLES)
    if complaint.closed_at is not None:
        messages.error(request, _("The complaint has ended: call the customer instead."))
        return redirect("complaints:detail", pk=complaint.pk)
    try:
        customer_links.message_to_customer(case=complaint, actor=request.user, text=request.POST.get("text", "")[:4000])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The customer will see the message on the status page."))
    return redirect(f"{reverse('complaints:detail', args=[complaint.pk])}#customer-messages")


@login_required
def customer_photo(request, pk, message_pk):
    """A photo the customer sent through the status link."""
    complaint = complaint_for(request, pk)
    message = get_object_or_404(customer_links.conversation(complaint).exclude(photo=""), pk=message_pk)
    return serve_upload(message.photo, f"customer-photo-{message.pk}")


@login_required
def complaint_act(request, pk, action):
    complaint = complaint_for(request, pk)
    if action not in Action.values or action == Action.REGISTER:
        raise Http404
    action = Action(action)
    form_class = ACTION_FORMS[action]
    kwargs = {}
    if form_class is AssignForm:
        kwargs["staff"] = services.assignable_staff(complaint.mall)
    elif form_class is IdentifyMerchantForm:
        kwargs["mall"] = complaint.mall
    try:
        # Say so before the form is filled in, not after; the service checks again on submit.
        check(TRANSITIONS, state=complaint.status, action=action, actor=request.user, mall=complaint.mall)
    except TransitionRefused as error:
        messages.error(request, " ".join(error.messages))
        return redirect("complaints:detail", pk=complaint.pk)
    form = form_class(request.POST if request.method == "POST" else None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            SERVICES[action](complaint=complaint, actor=request.user, **form.cleaned_data)
        except PermissionDenied:
            raise
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(action)s: done.") % {"action": action.label})
            if action == Action.FORWARD:
                messages.info(request, _("Print the notice to the merchant for the merchant to sign."))
            return redirect("complaints:detail", pk=complaint.pk)
    return render(request, "complaints/act.html", {"complaint": complaint, "form": form, "action": action})


@login_required
@require_POST
def complaint_log_add(request, pk):
    complaint = complaint_for(request, pk)
    # Role first: a reader (head office) gets a 403, not a form error that hides the refusal.
    require_role(request.user, complaint.mall, *LOG_ROLES)
    form = LogForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_log(complaint=complaint, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Added to the handling log."))
    else:
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
    return redirect("complaints:detail", pk=complaint.pk)


@login_required
def attachment_download(request, pk, attachment_pk):
    complaint = complaint_for(request, pk)
    attachment = get_object_or_404(complaint.attachments, pk=attachment_pk)
    return serve_upload(attachment.file, attachment.original_name)


@login_required
@require_http_methods(["GET", "POST"])
def intake_slip(request, pk):
    """The receipt. A GET shows it without the status link (a GET never writes); a POST (the
    case page's print button) issues the customer a fresh link and prints it as a QR code."""
    complaint = complaint_for(request, pk)
    return render(request, "complaints/print_slip.html", _slip_context(complaint, issue_link=request.method == "POST"))


def _slip_context(complaint, *, issue_link):
    """The receipt promises what the mall's settings in force on the day of receipt say. Each
    printed link is a new one (tokens are stored hashed: an earlier one cannot be read back)."""
    day = timezone.localdate(complaint.received_at)
    status_qr = customer_links.printed_link(complaint)[1] if issue_link else None
    return {
        "complaint": complaint,
        "clocks": ComplaintPolicy.for_mall(complaint.mall, on=day),
        # The no-reason return window the mall promised that day (returns.ReturnPolicy).
        "return_window_days": mall_settings.value("return_window_days", complaint.mall, on=day),
        "status_qr": status_qr,
        # How long the printed link stays open after the case ends (portal.LinkPolicy), as on the
        # return and exchange slips.
        "link_days": customer_links.valid_days_after_end(complaint.mall) if issue_link else None,
    }


@login_required
@require_http_methods(["GET", "POST"])
def intake_slip_pdf(request, pk):
    """The receipt as a PDF (WeasyPrint), to hand over or send; with the status link on a POST."""
    complaint = complaint_for(request, pk)
    content = render_pdf(
        "complaints/print_slip_pdf.html", _slip_context(complaint, issue_link=request.method == "POST")
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{complaint.number}.pdf"'
    return response


@login_required
def complaint_form_print(request, pk):
    """消费者投诉处理登记表 for one complaint, laid out like the paper form."""
    complaint = complaint_for(
        request, pk, Complaint.objects.select_related("mall", "customer", "merchant", "booth", "assignee")
    )
    return render(
        request,
        "complaints/print_form.html",
        {
            "complaint": complaint,
            "entries": complaint.entries.select_related("author").order_by("happened_at", "pk"),
            "callback": callbacks.last_reached(complaint),
            "show_full_phone": full_phone_shown(request, complaint.customer),
        },
    )


@login_required
def forward_notice_print(request, pk):
    """顾客投诉转商户处理通知书: what the merchant is asked to answer, by when, with room for its
    written answer and signature. Printed when the complaint is forwarded (and again at will)."""
    complaint = complaint_for(
        request, pk, Complaint.objects.select_related("mall", "customer", "merchant", "booth", "assignee")
    )
    if complaint.forwarded_at is None:
        messages.error(request, _("Forward the complaint to the merchant first; the notice is printed then."))
        return redirect("complaints:detail", pk=complaint.pk)
    forwarding = (
        complaint.entries.filter(kind=EntryKind.ACTION, happened_at__gte=complaint.forwarded_at)
        .select_related("author")
        .order_by("happened_at", "pk")
        .first()
    )
    reply_clock = (
        complaint.deadlines.filter(kind=DeadlineKind.MERCHANT_REPLY, started_at__gte=complaint.forwarded_at)
        .order_by("-started_at")
        .first()
    )
    return render(
        request,
        "complaints/print_forward_notice.html",
        {"complaint": complaint, "forwarding": forwarding, "reply_due": reply_clock.due_at if reply_clock else None},
    )
