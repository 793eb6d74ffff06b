"""The mall's public intake pages (/m/<mall code>/): confirm the mobile by SMS code, then file a
complaint (channel 网络). Public: rate-limited, not indexed, not cached, no staff links; a
privacy notice and consent on every form."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from servicedesk.clientip import client_ip
from servicedesk.forms import add_errors
from servicedesk.models import Mall
from servicedesk.phones import mask_phone

from . import intake
from .forms import CodeForm, MobileForm, OnlineComplaintForm, OnlineReturnForm
from .services import link_url
from .views import PAGE_RATE, POST_RATE, client_key, not_found, public

SESSION_KEY = "portal_intake"


def _mall(code):
    return Mall.objects.filter(code__iexact=(code or "")[:20], is_active=True).first()


def _state(request, mall):
    state = request.session.get(SESSION_KEY) or {}
    return state if state.get("mall") == mall.pk else {}


def _page(request, template, mall, **context):
    return public(render(request, f"portal/{template}", {"mall": mall, **context}))


@never_cache
@ratelimit(key=client_key, rate=PAGE_RATE, method=ratelimit.ALL, block=True)
@ratelimit(key=client_key, rate=POST_RATE, method="POST", block=True)
def start(request, mall_code):
    """Step 1: what the customer wants to do, the mobile, consent; sends the code."""
    mall = _mall(mall_code)
    if mall is None:
        return not_found(request)
    form = MobileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            verification = intake.code_send(
                mall=mall,
                mobile=form.cleaned_data["mobile"],
                address=client_ip(request),
                purpose=form.cleaned_data["purpose"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            request.session[SESSION_KEY] = {"mall": mall.pk, "verification": verification.pk}
            return redirect("intake:code", mall_code=mall.code)
    return _page(request, "intake_start.html", mall, form=form)


@never_cache
@ratelimit(key=client_key, rate=PAGE_RATE, method=ratelimit.ALL, block=True)
@ratelimit(key=client_key, rate=POST_RATE, method="POST", block=True)
def code(request, mall_code):
    """Step 2: the 6-digit code from the SMS."""
    mall = _mall(mall_code)
    if mall is None:
        return not_found(request)
    state = _state(request, mall)
    verification = intake.VerificationCode.objects.filter(pk=state.get("verification"), mall=mall).first()
    if verification is None:
        return redirect("intake:start", mall_code=mall.code)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            verification = intake.code_check(verification=verification, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect(f"intake:{verification.purpose}", mall_code=mall.code)
    return _page(request, "intake_code.html", mall, form=form, mobile=mask_phone(verification.mobile))


@never_cache
@ratelimit(key=client_key, rate=PAGE_RATE, method=ratelimit.ALL, block=True)
@ratelimit(key=client_key, rate=POST_RATE, method="POST", block=True)
def complaint(request, mall_code):
    """Step 3: the complaint, through complaint_register with the desk's rules and messages."""
    mall = _mall(mall_code)
    if mall is None:
        return not_found(request)
    state = _state(request, mall)
    verification = intake.confirmed(state.get("verification"), mall)
    if verification is None or verification.purpose != "complaint":
        return redirect("intake:start", mall_code=mall.code)
    form = OnlineComplaintForm(request.POST or None, request.FILES or None, mall=mall)
    if request.method == "POST" and form.is_valid():
        data = form.service_kwargs()
        try:
            case, token = intake.intake_complaint(
                mall=mall,
                verification_id=verification.pk,
                attachments=data.pop("attachments", []),
                **data,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            request.session.pop(SESSION_KEY, None)
            return _page(
                request,
                "intake_done.html",
                mall,
                case=case,
                link=link_url(token),
                status_path=reverse("portal:case", args=[token]),
            )
    return _page(request, "intake_complaint.html", mall, form=form, mobile=mask_phone(verification.mobile))


@never_cache
@ratelimit(key=client_key, rate=PAGE_RATE, method=ratelimit.ALL, block=True)
@ratelimit(key=client_key, rate=POST_RATE, method="POST", block=True)
def return_request(request, mall_code):
    """Step 3: a no-reason return request, through the return request service; an ineligible
    request says why in the desk's words."""
    mall = _mall(mall_code)
    if mall is None:
        return not_found(request)
    state = _state(request, mall)
    verification = intake.confirmed(state.get("verification"), mall)
    if verification is None or verification.purpose != "return":
        return redirect("intake:start", mall_code=mall.code)
    form = OnlineReturnForm(request.POST or None, mall=mall)
    if request.method == "POST" and form.is_valid():
        try:
            case, eligibility, token = intake.intake_return(
                mall=mall, verification_id=verification.pk, **form.service_kwargs()
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            request.session.pop(SESSION_KEY, None)
            return _page(
                request,
                "intake_done.html",
                mall,
                case=case,
                eligibility=eligibility,
                link=link_url(token),
                status_path=reverse("portal:case", args=[token]),
            )
    return _page(request, "intake_return.html", mall, form=form, mobile=mask_phone(verification.mobile))
