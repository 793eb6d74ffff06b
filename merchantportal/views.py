"""The merchant portal (/merchant/): a merchant user's own small desk, phone-first.

Views are thin: every record is looked up through merchantportal.selectors scoped to the user's
merchant (another merchant's or mall's record is 404), every write is a service call.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_ratelimit.decorators import ratelimit

from complaints.services import complaint_record_merchant_reply
from merchants.accounts import merchant_account
from merchants.models import MerchantPolicy
from merchants.services import merchant_invitation_accept, merchant_invitation_open
from portal.views import client_key, public
from servicedesk.forms import add_errors
from servicedesk.models import Notification, PhoneViewLog
from servicedesk.phones import mask_phone
from servicedesk.uploads import serve_upload

from . import selectors
from .forms import AnswerForm, ExchangeRefuseForm, GoodsBackForm, PriceTagFixedForm, ReturnAnswerForm, SetPasswordForm

PAGE_RATE = "60/m"
POST_RATE = "10/m"


def merchant_view(view):
    """Signed in as an active merchant user (staff never get here: the middleware 404s them)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        account = merchant_account(request.user)
        if account is None or not account.is_active:
            raise Http404
        request.merchant_user = account
        request.merchant = account.merchant
        return view(request, *args, **kwargs)

    return wrapper


@merchant_view
def home(request):
    complaints = selectors.forwarded_complaints(request.merchant)
    waiting = list(selectors.awaiting_answer(complaints).order_by("reply_due")[:20])
    notices = list(Notification.objects.filter(recipient=request.user).order_by("-created_at")[:10])
    return render(
        request,
        "merchantportal/home.html",
        {"waiting": waiting, "notices": notices, "account": request.merchant_user},
    )


@merchant_view
def complaint_list(request):
    complaints = selectors.forwarded_complaints(request.merchant)
    show = request.GET.get("show", "waiting")
    if show == "waiting":
        complaints = selectors.awaiting_answer(complaints).order_by("reply_due")
    else:
        show = "all"
        complaints = complaints.order_by("-forwarded_at", "-pk")
    rows = list(complaints[:100])
    for complaint in rows:
        complaint.awaiting = selectors.is_awaiting(complaint)
        complaint.customer_masked = mask_phone(complaint.customer.mobile)
    return render(request, "merchantportal/complaint_list.html", {"complaints": rows, "show": show})


@merchant_view
def complaint_detail(request, pk):
    complaint = get_object_or_404(selectors.forwarded_complaints(request.merchant), pk=pk)
    awaiting = selectors.is_awaiting(complaint)
    form = AnswerForm()
    if request.method == "POST":
        if not awaiting:
            messages.error(request, _("This complaint is not waiting for your answer."))
            return redirect("merchantportal:complaint", pk=complaint.pk)
        form = AnswerForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                complaint_record_merchant_reply(
                    complaint=complaint,
                    actor=request.user,
                    answer=data["answer"],
                    reply=data["reply"],
                    remedy=data["remedy"],
                    amount=data["amount"],
                    attachments=data["attachments"],
                )
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Your answer was sent to the customer service centre."))
                return redirect("merchantportal:complaint", pk=complaint.pk)
    policy = MerchantPolicy.for_mall(request.merchant.mall)
    customer = complaint.customer
    contact = policy.merchants_contact_customers
    if contact:
        PhoneViewLog.objects.create(
            mall_id=customer.mall_id, customer=customer, viewer=request.user, page=request.get_full_path()[:300]
        )
    return render(
        request,
        "merchantportal/complaint_detail.html",
        {
            "complaint": complaint,
            "awaiting": awaiting,
            "form": form,
            "attachments": selectors.visible_attachments(complaint, request.merchant),
            "customer_mobile": customer.mobile if contact else mask_phone(customer.mobile),
            "customer_address": customer.address if contact else "",
        },
    )


@merchant_view
def complaint_file(request, pk, attachment_pk):
    complaint = get_object_or_404(selectors.forwarded_complaints(request.merchant), pk=pk)
    attachment = get_object_or_404(selectors.visible_attachments(complaint, request.merchant), pk=attachment_pk)
    return serve_upload(attachment.file, attachment.original_name)


@never_cache
@ratelimit(key=client_key, rate=PAGE_RATE, method=ratelimit.ALL, block=True)
@ratelimit(key=client_key, rate=POST_RATE, method="POST", block=True)
def invitation(request, token):
    """Public: the invited person sets a password. A wrong token is 404; an expired or used one
    says so (and names nothing of the merchant)."""
    found, problem = merchant_invitation_open(token)
    if found is None:
        raise Http404
    form = SetPasswordForm()
    if problem is None and request.method == "POST":
        form = SetPasswordForm(request.POST)
        if form.is_valid():
            try:
                account = merchant_invitation_accept(
                    token=token,
                    password=form.cleaned_data["password"],
                    password_again=form.cleaned_data["password_again"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                return public(
                    render(request, "merchantportal/invitation_done.html", {"username": account.user.username})
                )
    context = {"problem": problem, "form": form, "merchant": found.merchant if problem is None else None}
    return public(render(request, "merchantportal/invitation.html", context, status=200 if problem is None else 410))


@merchant_view
def return_list(request):
    rows = list(selectors.merchant_returns(request.merchant)[:100])
    for r in rows:
        r.needs_answer = selectors.return_needs_answer(r)
        r.customer_masked = mask_phone(r.customer.mobile)
    return render(request, "merchantportal/return_list.html", {"returns": rows})


@merchant_view
def return_detail(request, pk):
    from returns import services as return_services
    from returns.models import ReturnStatus

    r = get_object_or_404(selectors.merchant_returns(request.merchant), pk=pk)
    needs_answer = selectors.return_needs_answer(r)
    goods_back = r.status in (ReturnStatus.APPROVED, ReturnStatus.GOODS_RECEIVED)
    answer_form, goods_form = ReturnAnswerForm(prefix="answer"), GoodsBackForm(prefix="goods")
    if request.method == "POST":
        step = request.POST.get("step")
        try:
            if step == "answer" and needs_answer:
                answer_form = ReturnAnswerForm(request.POST, prefix="answer")
                if answer_form.is_valid():
                    return_services.return_merchant_reply(
                        return_request=r, actor=request.user, **answer_form.cleaned_data
                    )
                    messages.success(request, _("Your answer was sent to the customer service centre."))
                    return redirect("merchantportal:return", pk=r.pk)
            elif step == "goods" and goods_back:
                goods_form = GoodsBackForm(request.POST, request.FILES, prefix="goods")
                if goods_form.is_valid():
                    data = goods_form.cleaned_data
                    kwargs = {"intact": data["intact"], "reasons": data["reasons"], "note": data["note"]}
                    if r.status == ReturnStatus.APPROVED:
                        return_services.return_goods_back(
                            return_request=r, actor=request.user, photos=data["photos"], **kwargs
                        )
                    else:
                        return_services.return_inspect(
                            return_request=r, actor=request.user, photos=data["photos"], **kwargs
                        )
                    messages.success(request, _("Recorded. The customer service centre can now refund the customer."))
                    return redirect("merchantportal:return", pk=r.pk)
            else:
                messages.error(request, _("This return is not waiting for that."))
                return redirect("merchantportal:return", pk=r.pk)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            add_errors(goods_form if step == "goods" else answer_form, error)
    return render(
        request,
        "merchantportal/return_detail.html",
        {
            "r": r,
            "needs_answer": needs_answer,
            "goods_back": goods_back,
            "answer_form": answer_form,
            "goods_form": goods_form,
            "customer_masked": mask_phone(r.customer.mobile),
            "photos": r.photos.order_by("uploaded_at", "pk"),
        },
    )


@merchant_view
def return_photo(request, pk, photo_pk):
    r = get_object_or_404(selectors.merchant_returns(request.merchant), pk=pk)
    photo = get_object_or_404(r.photos.all(), pk=photo_pk)
    return serve_upload(photo.file, photo.original_name)


@merchant_view
def price_tag_list(request):
    rows = list(selectors.merchant_failures(request.merchant)[:100])
    return render(
        request,
        "merchantportal/price_tag_list.html",
        {"inspections": rows, "standing": selectors.failure_standing(request.merchant)},
    )


@merchant_view
def price_tag_detail(request, pk):
    from merchants.services import inspection_report_fixed

    inspection = get_object_or_404(selectors.merchant_failures(request.merchant), pk=pk)
    open_fix = not inspection.fixed_at and not inspection.merchant_reported_fixed_at
    form = PriceTagFixedForm()
    if request.method == "POST" and open_fix:
        form = PriceTagFixedForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                inspection_report_fixed(inspection=inspection, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Reported. The inspector will re-check the price tag."))
                return redirect("merchantportal:price_tag", pk=inspection.pk)
    return render(
        request,
        "merchantportal/price_tag_detail.html",
        {"inspection": inspection, "open_fix": open_fix, "form": form, "photos": inspection.photos.order_by("pk")},
    )


@merchant_view
def price_tag_photo(request, pk, photo_pk):
    inspection = get_object_or_404(selectors.merchant_failures(request.merchant), pk=pk)
    photo = get_object_or_404(inspection.photos.all(), pk=photo_pk)
    return serve_upload(photo.image, photo.image.name.rsplit("/", 1)[-1])


@merchant_view
@require_safe
def deposit(request):
    """Read-only: the ledger, the balance and what the merchant must pay in (top-up requests)."""
    entries, balance, requests = selectors.deposit_ledger(request.merchant)
    return render(
        request,
        "merchantportal/deposit.html",
        {
            "entries": entries[::-1],
            "balance": balance,
            "requests": requests,
            "open_requests": [r for r in requests if r.settled_on is None],
            "today": timezone.localdate(),
            "policy": MerchantPolicy.for_mall(request.merchant.mall),
        },
    )


@merchant_view
@require_safe
def exit_checklist(request):
    """Read-only: where the merchant's exit stands (done and pending), the cases it carries."""
    return render(request, "merchantportal/exit.html", selectors.exit_checklist(request.merchant))


@merchant_view
@require_safe
def scorecard(request):
    return render(request, "merchantportal/scorecard.html", {"months": selectors.scorecard(request.merchant)})


@merchant_view
def exchange_list(request):
    rows = list(selectors.merchant_exchanges(request.merchant)[:100])
    for e in rows:
        e.customer_masked = mask_phone(e.customer.mobile)
    return render(request, "merchantportal/exchange_list.html", {"exchanges": rows})


@merchant_view
def exchange_detail(request, pk):
    """The merchant confirms an eligible exchange here, or refuses it with its reason: a refusal
    goes to the supervisor and the manager, who uphold it or override it (exchanges.services)."""
    from exchanges.models import ExchangeStatus
    from exchanges.services import exchange_confirm, exchange_merchant_refuse

    e = get_object_or_404(selectors.merchant_exchanges(request.merchant), pk=pk)
    waiting = e.status == ExchangeStatus.REQUESTED
    may_confirm = waiting and e.eligible
    refuse_form = ExchangeRefuseForm()
    if request.method == "POST":
        action = request.POST.get("action", "confirm")
        if action not in ("confirm", "refuse") or not (may_confirm if action == "confirm" else waiting):
            messages.error(request, _("This exchange is not waiting for your confirmation."))
            return redirect("merchantportal:exchange", pk=e.pk)
        if action == "refuse":
            refuse_form = ExchangeRefuseForm(request.POST)
            if refuse_form.is_valid() and _service(
                refuse_form,
                exchange_merchant_refuse,
                exchange=e,
                actor=request.user,
                reason=refuse_form.cleaned_data["merchant_refusal_reason"],
            ):
                messages.success(request, _("Your refusal was sent to the customer service centre, which decides."))
                return redirect("merchantportal:exchange", pk=e.pk)
        else:
            try:
                exchange_confirm(exchange=e, actor=request.user)
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Your confirmation was sent to the customer service centre."))
            return redirect("merchantportal:exchange", pk=e.pk)
    return render(
        request,
        "merchantportal/exchange_detail.html",
        {
            "e": e,
            "may_confirm": may_confirm,
            "may_refuse": waiting,
            "refuse_form": refuse_form,
            "customer_masked": mask_phone(e.customer.mobile),
        },
    )


def _service(form, service, **arguments):
    """Call `service`; its ValidationError goes next to the form's fields. True when it saved."""
    try:
        service(**arguments)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        add_errors(form, error)
        return False
    return True
