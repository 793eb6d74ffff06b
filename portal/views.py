"""The customer's case page (/c/<token>/): public, rate-limited, not indexed, no staff links."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_ratelimit.decorators import ratelimit

from servicedesk.clientip import client_ip
from servicedesk.models import Mall
from servicedesk.satisfaction import Satisfaction
from servicedesk.uploads import serve_upload

from . import services
from .cases import CASE_KINDS, compensation_view, complaint_view, customer_status, return_view
from .models import CaseMessage, CaseType

# The survey's answers in the desk's words (servicedesk.satisfaction), best first.
SURVEY_CHOICES = Satisfaction.choices

PAGE_RATE = "60/m"
POST_RATE = "10/m"


def client_key(group, request):
    return client_ip(request) or "unknown"


def public(response):
    """What every public page answers with: not indexed, not cached, never framed."""
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


def rate_limited(request, exception=None):
    return public(render(request, "portal/rate_limited.html", status=429))


def not_found(request, mall=None):
    malls = [mall] if mall else list(Mall.objects.filter(is_active=True).exclude(service_phone="").order_by("code"))
    return public(render(request, "portal/not_found.html", {"malls": malls}, status=404))


@never_cache
@ratelimit(key=client_key, rate=PAGE_RATE, method=ratelimit.ALL, block=True)
@ratelimit(key=client_key, rate=POST_RATE, method="POST", block=True)
def case(request, token):
    link, case, expired = services.link_open(token)
    if case is None:
        return not_found(request, link.mall if expired else None)
    errors = {}
    if request.method == "POST":
        done, errors = _act(request, link, case)
        errors = {("general" if field == "__all__" else field): messages for field, messages in errors.items()}
        if done:
            return redirect(f"{request.path}?done={done}")
    facts = []
    if link.case_type in CASE_KINDS:
        case_kind = CASE_KINDS[link.case_type]
        steps, next_step, actions = case_kind.view(case)
        facts, kind = case_kind.facts(case), case_kind.label
    elif link.case_type == CaseType.RETURN:
        steps, next_step, actions = return_view(case)
        kind = _("return")
    elif link.case_type == CaseType.COMPENSATION:
        steps, next_step, actions = compensation_view(case)
        kind = _("advance compensation")
    else:
        steps, next_step, actions = complaint_view(case)
        kind = _("complaint")
    context = {
        "case": case,
        "status_label": customer_status(link.case_type, case),
        "mall": case.mall,
        "kind": kind,
        "steps": steps,
        "facts": facts,
        "next_step": next_step,
        "actions": actions,
        "conversation": services.messages_of(link),
        "errors": errors,
        "done": request.GET.get("done", "")[:20],
        "token": token,
        "form": request.POST if errors else {},
        "survey_choices": SURVEY_CHOICES if actions.get("survey") else (),
    }
    return public(render(request, "portal/case.html", context))


def _act(request, link, case):
    from complaints.services.customer import (
        complaint_customer_accept,
        complaint_customer_reject,
        complaint_customer_withdraw,
    )
    from sms.services import sms_opt_out

    action = request.POST.get("action", "")
    if link.case_type != CaseType.COMPLAINT and action not in ("message", "sms_off"):
        return "", {"__all__": [_("Choose what you want to do.")]}
    try:
        if action == "message":
            services.customer_send(
                link=link, text=request.POST.get("text", ""), photos=request.FILES.getlist("photos")[:20]
            )
        elif action == "accept":
            complaint_customer_accept(complaint=case)
        elif action == "reject":
            complaint_customer_reject(complaint=case, reason=request.POST.get("reason", "")[:2000])
        elif action == "withdraw":
            complaint_customer_withdraw(complaint=case, reason=request.POST.get("reason", "")[:2000])
        elif action == "survey":
            from followups.services import callback_answer_survey

            callback_answer_survey(
                complaint=case, outcome=request.POST.get("outcome", "")[:20], note=request.POST.get("note", "")[:4000]
            )
        elif action == "sms_off":
            sms_opt_out(mall=case.mall, mobile=case.customer.mobile, source="link")
        else:
            return "", {"__all__": [_("Choose what you want to do.")]}
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            return "", {field: list(messages) for field, messages in error.message_dict.items()}
        return "", {"__all__": error.messages}
    return action, {}


@never_cache
@ratelimit(key=client_key, rate=PAGE_RATE, method=ratelimit.ALL, block=True)
def photo(request, token, pk):
    link, case, _expired = services.link_open(token)
    if case is None:
        return not_found(request)
    message = (
        CaseMessage.objects.filter(pk=pk, case_type=link.case_type, case_id=link.case_id).exclude(photo="").first()
    )
    if message is None:
        return not_found(request, link.mall)
    return public(serve_upload(message.photo, f"photo-{message.pk}"))
