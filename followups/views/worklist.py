"""The callback worklist: my callbacks today, one callback's page with its script and outcome."""

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.access import has_role
from servicedesk.formerrors import add_service_errors
from servicedesk.models import Customer
from servicedesk.navigation import require_section
from servicedesk.phone_access import full_phone_shown, full_phones_shown
from servicedesk.roles import Role
from servicedesk.uploads import serve_upload

from .. import services
from ..forms import CallbackOutcomeForm, CustomerCallForm, HomeVisitForm, HomeVisitOutcomeForm
from ..models import CALLBACK_STAFF, Callback, CallbackKind, CallbackPolicy, CallbackStatus, HomeVisit, HomeVisitPhoto
from ..models.rows import callback_rows
from ..selectors import worklist_figures, worklist_page
from .common import callback_for, script_for

SUPERVISED_CALLS = 200


def _today_for(queryset):
    """Due today or earlier, not waiting for a later attempt today, and not waiting for the
    customer's survey answer (followups.services.surveys)."""
    today = timezone.localdate()
    end_of_today = timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min))
    return (
        queryset.still_open()
        .filter(due_on__lte=today)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lt=end_of_today))
        .filter(Q(survey_wait_until__isnull=True) | Q(survey_wait_until__lte=timezone.now()))
        .for_list()
        .order_by("deadline_on", "next_attempt_at", "pk")
    )


@login_required
def worklist(request):
    """我的今日回访: the calls to make today, soonest deadline first, with the full phone number
    for the person calling, a page of calls at a time (WORKLIST_CALLS). A supervisor also sees
    the mall's unassigned and overdue ones."""
    section = require_section(request.user, "followups")
    mine = worklist_page(_today_for(Callback.objects.filter(assignee=request.user)), request.GET.get("page"))
    mall = request.mall
    supervising = mall is not None and has_role(request.user, mall, Role.SUPERVISOR, Role.MANAGER)
    others, more_others = None, False
    if supervising:
        # The soonest SUPERVISED_CALLS by deadline; one more is read to say that more wait
        # (assigning these brings the next ones up) without counting the mall's whole backlog.
        others = callback_rows(
            Callback.objects.for_mall(mall)
            .still_open()
            .filter(Q(assignee__isnull=True) | Q(overdue_at__isnull=False))
            .exclude(assignee=request.user)
            .order_by("deadline_on", "pk")[: SUPERVISED_CALLS + 1]
        )
        more_others = len(others) > SUPERVISED_CALLS
        others = others[:SUPERVISED_CALLS]
    # The page shows the full number of each of its customers to call (a role that may not see
    # it gets the masked number): each one shown is logged, and only those.
    shown = full_phones_shown(request, [call.customer for call in mine.calls])
    today = timezone.localdate()
    figures = None
    if mall is not None:
        figures = worklist_figures(mall, today - timedelta(days=today.weekday()), today)
    return render(
        request,
        "followups/worklist.html",
        {
            "section": section,
            "callbacks": mine.callbacks,
            "calls": mine.calls,
            "shown": shown,
            "mine": mine,
            "others": others,
            "more_others": more_others,
            "supervised_calls": SUPERVISED_CALLS,
            "figures": figures,
            "today": today,
        },
    )


def _callable_today(request, customer):
    """The customer's calls due today that this user may make: theirs, unassigned ones, and for
    a supervisor of the mall every one. Home visits are planned on their own page."""
    callbacks = Callback.objects.filter(customer=customer).exclude(kind=CallbackKind.HOME_VISIT)
    if not has_role(request.user, customer.mall_id, Role.SUPERVISOR):
        callbacks = callbacks.filter(Q(assignee=request.user) | Q(assignee__isnull=True))
    return list(_today_for(callbacks))


@login_required
def customer_call(request, customer_pk):
    """One call to a customer with several callbacks due: every script on one page and one form;
    each callback is still recorded as its own attempt."""
    # Another mall's customer is 404 before anything else is said about them.
    customer = get_object_or_404(Customer.objects.for_user(request.user).select_related("mall"), pk=customer_pk)
    require_section(request.user, "followups")
    if not has_role(request.user, customer.mall_id, *CALLBACK_STAFF):
        raise PermissionDenied(_("Only complaint officers and supervisors make callbacks."))
    callbacks = _callable_today(request, customer)
    if not callbacks:
        messages.info(request, _("Nothing is due for %(customer)s today.") % {"customer": customer.name})
        return redirect("followups:index")
    form = CustomerCallForm(request.POST or None, callbacks=callbacks)
    if request.method == "POST" and form.is_valid():
        try:
            recorded = services.callbacks_record_call(
                callbacks=callbacks,
                actor=request.user,
                outcomes=form.outcomes(),
                notes=form.notes(),
                next_attempt_at=form.cleaned_data["next_attempt_at"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _after_call(request, recorded)
    policy = CallbackPolicy.for_mall(customer.mall)
    return render(
        request,
        "followups/customer_call.html",
        {
            "customer": customer,
            "items": [
                {
                    "callback": c,
                    "script": script_for(c, policy),
                    "outcome": form[f"outcome_{c.pk}"],
                    "note": form[f"note_{c.pk}"],
                }
                for c in callbacks
            ],
            "form": form,
            "show_full_phone": full_phone_shown(request, customer),
        },
    )


def _after_call(request, recorded):
    for item in recorded:
        if item.reopened is not None:
            messages.warning(
                request,
                _("The customer is unsatisfied: complaint %(number)s is reopened.") % {"number": item.reopened},
            )
    first = recorded[0].callback
    if first.status == CallbackStatus.RETRY:
        messages.info(
            request,
            _("Not reached; try again at %(when)s.")
            % {"when": timezone.localtime(first.next_attempt_at).strftime("%Y-%m-%d %H:%M")},
        )
    else:
        messages.success(
            request,
            _("One call recorded for %(n)d callbacks: %(outcomes)s.")
            % {
                "n": len(recorded),
                "outcomes": "、".join(
                    f"{r.callback.get_kind_display()} {r.callback.get_outcome_display()}" for r in recorded
                ),
            },
        )
    new_complaint = next((r.new_complaint_url for r in recorded if r.new_complaint_url), "")
    if new_complaint:
        messages.warning(request, _("The customer is unsatisfied: register the complaint now."))
        return redirect(new_complaint)
    return redirect("followups:index")


@login_required
def callback_detail(request, pk):
    callback = callback_for(request, pk)
    may_work = callback.is_open and (
        (callback.assignee_id == request.user.pk and has_role(request.user, callback.mall, *CALLBACK_STAFF))
        or has_role(request.user, callback.mall, Role.SUPERVISOR)
    )
    form = CallbackOutcomeForm(request.POST or None) if may_work else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            recorded = services.callback_record(callback=callback, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _after_recording(request, recorded)
    visit = HomeVisit.objects.filter(callback=callback).select_related("officer").prefetch_related("photos").first()
    return render(
        request,
        "followups/callback_detail.html",
        {
            "callback": callback,
            "script": script_for(callback),
            "form": form if callback.kind != CallbackKind.HOME_VISIT else None,
            "attempts": callback.attempt_log.select_related("made_by"),
            "visit": visit,
            "visit_form": _visit_form(request, callback, visit) if may_work and callback.is_home_visit else None,
            "visit_outcome_form": HomeVisitOutcomeForm() if may_work and visit is not None else None,
            "show_full_phone": full_phone_shown(request, callback.customer),
        },
    )


@login_required
def home_visit_photo(request, pk, photo_pk):
    """A home-visit photo, to whoever may see the callback (never a public /media/ link)."""
    callback = callback_for(request, pk)
    photo = get_object_or_404(HomeVisitPhoto, pk=photo_pk, visit__callback=callback)
    return serve_upload(photo.image, photo.image.name.rsplit("/", 1)[-1])


def _visit_form(request, callback, visit):
    staff = services.callback_staff(callback.mall_id)
    initial = {"address": callback.customer.address, "officer": request.user.pk}
    if visit is not None:
        initial = {
            "visit_on": visit.visit_on,
            "address": visit.address,
            "officer": visit.officer_id,
            "driver": visit.driver,
        }
    return HomeVisitForm(initial=initial, staff=staff)


def _after_recording(request, recorded):
    callback = recorded.callback
    if recorded.reopened is not None:
        messages.warning(
            request, _("The customer is unsatisfied: complaint %(number)s is reopened.") % {"number": recorded.reopened}
        )
    elif recorded.new_complaint_url:
        messages.warning(request, _("The customer is unsatisfied: register the complaint now."))
        return redirect(recorded.new_complaint_url)
    elif callback.status == CallbackStatus.RETRY:
        messages.info(
            request,
            _("Not reached; try again at %(when)s.")
            % {"when": timezone.localtime(callback.next_attempt_at).strftime("%Y-%m-%d %H:%M")},
        )
    else:
        messages.success(request, _("Recorded: %(status)s.") % {"status": callback.get_status_display()})
    return redirect("followups:index")


@login_required
def home_visit_plan(request, pk):
    callback = callback_for(request, pk)
    staff = services.callback_staff(callback.mall_id)
    form = HomeVisitForm(request.POST or None, staff=staff)
    if request.method == "POST" and form.is_valid():
        try:
            services.home_visit_schedule(callback=callback, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Home visit planned."))
            return redirect("followups:callback", pk=callback.pk)
    for field, errors in form.errors.items():
        messages.error(request, f"{form.fields[field].label if field in form.fields else ''} {' '.join(errors)}")
    return redirect("followups:callback", pk=callback.pk)


@login_required
def home_visit_done(request, pk):
    callback = callback_for(request, pk)
    visit = HomeVisit.objects.filter(callback=callback).first()
    form = HomeVisitOutcomeForm(request.POST or None, request.FILES or None)
    if visit is not None and request.method == "POST" and form.is_valid():
        try:
            recorded = services.home_visit_record(
                visit=visit,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
                report=form.cleaned_data["report"],
                photos=form.cleaned_data["photos"] or (),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            return _after_recording(request, recorded)
    for field, errors in form.errors.items():
        messages.error(request, f"{form.fields[field].label if field in form.fields else ''} {' '.join(errors)}")
    return redirect("followups:callback", pk=callback.pk)
