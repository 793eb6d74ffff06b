"""Service supervision: the month's spot checks with their average, and recording a check."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from servicedesk.access import has_role, working_mall
from servicedesk.formerrors import add_service_errors
from servicedesk.navigation import require_section

from .. import selectors, services
from ..forms import SpotCheckForm
from ..models import CheckChannel, FrontDeskPolicy, SpotCheck
from ..services.common import CHECKERS
from .common import day_from


@login_required
def spot_check_list(request):
    require_section(request.user, "frontdesk")
    mall = request.mall
    month = day_from(request, "month").replace(day=1)
    checks = (
        SpotCheck.objects.for_user(request.user)
        .in_month(month.year, month.month)
        .select_related("mall", "staff_checked", "checker")
    )
    if mall is not None:
        checks = checks.for_mall(mall)
    context = {
        "checks": checks,
        "month": month,
        "can_check": mall is not None and has_role(request.user, mall, *CHECKERS),
        "channels": CheckChannel.choices,
    }
    if mall is not None:
        context["average"] = selectors.spot_check_average(mall, month.year, month.month)
        context["target"] = FrontDeskPolicy.for_mall(mall).spot_check_target
    return render(request, "frontdesk/spot_checks.html", context)


@login_required
def spot_check_new(request):
    mall = working_mall(request, *CHECKERS)
    channel = request.GET.get("channel", CheckChannel.DESK)
    if channel not in CheckChannel.values:
        channel = CheckChannel.DESK
    form = SpotCheckForm(request.POST or None, mall=mall, channel=channel)
    if request.method == "POST" and form.is_valid():
        try:
            check = services.spot_check_record(
                mall=mall,
                actor=request.user,
                channel=channel,
                staff_checked=form.cleaned_data["staff_checked"],
                scores=form.scores(),
                findings=form.cleaned_data["findings"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Spot check recorded: %(score)s points.") % {"score": check.score})
            return redirect("frontdesk:spot_check", pk=check.pk)
    return render(
        request,
        "frontdesk/spot_check_form.html",
        {"form": form, "channel": CheckChannel(channel), "channels": CheckChannel.choices},
    )


@login_required
def spot_check_detail(request, pk):
    check = get_object_or_404(
        SpotCheck.objects.for_user(request.user).select_related("mall", "staff_checked", "checker"), pk=pk
    )
    require_section(request.user, "frontdesk")
    return render(request, "frontdesk/spot_check_detail.html", {"check": check, "items": check.items.all()})
