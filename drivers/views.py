"""Driver runs: the planner's list, planning a run and its stops, the printed run sheet, and the
driver's phone page for today."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicedesk.access import all_roles, has_role, working_mall
from servicedesk.formerrors import add_service_errors
from servicedesk.navigation import require_section
from servicedesk.phone_access import full_phones_shown
from servicedesk.roles import Role
from servicedesk.uploads import serve_upload

from . import services
from .forms import RunForm, StopCancelForm, StopDoneForm, StopForm, names_another_malls_case
from .models import PLANNERS, READERS, DeliveryRun, RunStop, StopStatus


def _reads_runs(user, mall):
    return user.is_superuser or has_role(user, mall, *READERS)


@login_required
def run_list(request):
    require_section(request.user, "drivers")
    if not request.user.is_superuser and not (all_roles(request.user) & set(READERS)):
        return redirect("drivers:today")
    runs = (
        DeliveryRun.objects.for_user(request.user)
        .select_related("mall", "driver")
        .annotate(stop_count=Count("stops"))
        .order_by("-run_on", "pk")
    )
    if request.mall is not None:
        runs = runs.for_mall(request.mall)
    return render(
        request,
        "drivers/runs.html",
        {
            "page": Paginator(runs, 50).get_page(request.GET.get("page")),
            "can_plan": request.mall is not None and has_role(request.user, request.mall, *PLANNERS),
        },
    )


@login_required
def run_new(request):
    mall = working_mall(request, *PLANNERS)
    form = RunForm(request.POST or None, mall=mall, initial={"run_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            run = services.run_plan(mall=mall, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Run planned; now add its stops."))
            return redirect("drivers:run", pk=run.pk)
    return render(request, "drivers/run_form.html", {"form": form})


def _run(request, pk):
    run = get_object_or_404(DeliveryRun.objects.for_user(request.user).select_related("mall", "driver"), pk=pk)
    require_section(request.user, "drivers")
    if not (_reads_runs(request.user, run.mall) or run.driver_id == request.user.pk):
        raise Http404
    return run


def _stops(run):
    return run.stops.select_related("return_request", "home_visit", "exchange").order_by("position")


@login_required
def run_detail(request, pk):
    """The run and its stops; a planner adds the next stop here (POST)."""
    run = _run(request, pk)
    may_plan = has_role(request.user, run.mall, *PLANNERS) and run.run_on >= timezone.localdate()
    form = StopForm(request.POST or None, mall=run.mall) if may_plan else None
    if form is not None and names_another_malls_case(request.POST.get("case", ""), run.mall):
        raise Http404
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.stop_add(run=run, actor=request.user, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Stop added."))
            return redirect("drivers:run", pk=run.pk)
    context = {
        "run": run,
        "stops": _stops(run),
        "form": form,
        "may_cancel": has_role(request.user, run.mall, *PLANNERS),
    }
    return render(request, "drivers/run_detail.html", context)


@login_required
def run_sheet(request, pk):
    """The paper form; a role that calls customers (FULL_PHONE_ROLES) gets the full mobiles, each
    showing logged, every other role the masked ones."""
    run = _run(request, pk)
    stops = list(
        _stops(run).select_related("return_request__customer", "exchange__customer", "home_visit__callback__customer")
    )
    shown = full_phones_shown(request, {stop.customer.pk: stop.customer for stop in stops if stop.customer}.values())
    for stop in stops:
        stop.mobile_shown = stop.customer.mobile if stop.customer and stop.customer.pk in shown else ""
    return render(request, "drivers/print_run_sheet.html", {"run": run, "stops": stops})


@login_required
def today(request):
    """The driver's phone page: today's runs planned for them, each stop with its form."""
    require_section(request.user, "drivers")
    if Role.DRIVER not in all_roles(request.user):
        raise PermissionDenied(_("Only drivers have a run."))
    runs = list(
        DeliveryRun.objects.for_user(request.user)
        .filter(driver=request.user, run_on=timezone.localdate())
        .select_related("mall")
        .prefetch_related(Prefetch("stops", queryset=RunStop.objects.select_related("return_request", "exchange")))
        .order_by("pk")
    )
    return render(request, "drivers/today.html", {"runs": runs})


@login_required
@require_POST
def stop_done(request, pk):
    stop = get_object_or_404(RunStop.objects.for_user(request.user).select_related("run"), pk=pk)
    require_section(request.user, "drivers")
    if stop.run.driver_id != request.user.pk:
        raise Http404
    form = StopDoneForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError([message for errors in form.errors.values() for message in errors])
        services.stop_mark(stop=stop, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Stop %(position)s marked.") % {"position": stop.position})
    return redirect("drivers:today")


@login_required
def stop_photo(request, pk):
    stop = get_object_or_404(RunStop.objects.for_user(request.user).select_related("run__mall"), pk=pk)
    require_section(request.user, "drivers")
    if not (_reads_runs(request.user, stop.run.mall) or stop.run.driver_id == request.user.pk) or not stop.photo:
        raise Http404
    return serve_upload(stop.photo, stop.photo.name.rsplit("/", 1)[-1])


@login_required
def stop_cancel(request, pk):
    """A planner takes a planned stop off its run, with the reason (any day: a stop left unmarked
    when its day passed is cancelled so its case can go on another run)."""
    stop = get_object_or_404(
        RunStop.objects.for_user(request.user).select_related("run__mall", "run__driver", "exchange"), pk=pk
    )
    require_section(request.user, "drivers")
    run = stop.run
    if not (_reads_runs(request.user, run.mall) or run.driver_id == request.user.pk):
        raise Http404
    if not has_role(request.user, run.mall, *PLANNERS):
        raise PermissionDenied(_("Only the mall's clerks and supervisors cancel a stop."))
    if stop.status != StopStatus.PLANNED:
        messages.info(
            request,
            _("Stop %(position)s is %(status)s: only a planned stop is cancelled.")
            % {
                "position": stop.position,
                "status": stop.get_status_display(),
            },
        )
        return redirect("drivers:run", pk=run.pk)
    form = StopCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.stop_cancel(stop=stop, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Stop %(position)s cancelled.") % {"position": stop.position})
            return redirect("drivers:run", pk=run.pk)
    return render(request, "drivers/stop_cancel.html", {"run": run, "stop": stop, "form": form})
