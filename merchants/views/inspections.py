"""Price-tag inspections: this week's coverage, recording, failures awaiting a fix."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicedesk.access import has_role, working_mall
from servicedesk.formerrors import add_service_errors
from servicedesk.navigation import require_section

from .. import services
from ..forms import InspectionForm
from ..models import PRICE_TAG_RULES, MerchantPolicy, PriceTagInspection
from ..services.inspections import INSPECTORS


@login_required
def inspection_list(request):
    require_section(request.user, "merchants")
    inspections = (
        PriceTagInspection.objects.for_user(request.user)
        .select_related("booth", "merchant", "inspector", "mall")
        .prefetch_related("failures")
    )
    if request.mall is not None:
        inspections = inspections.for_mall(request.mall)
    if request.GET.get("open") == "1":
        inspections = inspections.awaiting_fix()
    page = Paginator(inspections, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "merchants/inspections.html",
        {
            "page": page,
            "coverage": services.weekly_coverage(request.mall) if request.mall else None,
            "can_inspect": request.mall is not None and has_role(request.user, request.mall, *INSPECTORS),
            "only_open": request.GET.get("open") == "1",
        },
    )


@login_required
def inspection_record_view(request):
    mall = working_mall(request, *INSPECTORS)
    previous = None
    if request.GET.get("reinspect"):
        previous = get_object_or_404(
            PriceTagInspection.objects.for_mall(mall), pk=request.GET["reinspect"], passed=False
        )
    initial = {"booth": previous.booth_id} if previous else {}
    form = InspectionForm(
        request.POST or None, request.FILES or None, mall=mall, initial=initial, reinspection_of=previous
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        goods = data["goods"]
        try:
            inspection = services.inspection_record(
                booth=data["booth"],
                actor=request.user,
                items_checked=data["items_checked"],
                failures=[(code, goods) for code in data["failures"]],
                photos=data["photos"],
                notes=data["notes"],
                reinspection_of=previous,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if inspection.passed:
                messages.success(request, _("Inspection recorded: passed."))
            else:
                messages.warning(
                    request,
                    _(
                        "Inspection recorded: failed. The merchant must fix it by %(deadline)s. "
                        "Print this notice for the merchant to sign."
                    )
                    % {"deadline": timezone.localtime(inspection.fix_deadline).strftime("%Y-%m-%d %H:%M")},
                )
                return redirect("merchants:inspection_notice", pk=inspection.pk)
            return redirect("merchants:inspections")
    return render(
        request,
        "merchants/inspection_form.html",
        {"form": form, "previous": previous, "policy": MerchantPolicy.for_mall(mall)},
    )


@login_required
@require_POST
def inspection_fixed(request, pk):
    inspection = get_object_or_404(PriceTagInspection.objects.for_user(request.user), pk=pk)
    try:
        services.inspection_mark_fixed(inspection=inspection, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Marked fixed."))
    return redirect("merchants:inspections")


@login_required
def inspection_notice(request, pk):
    """标价签检查整改通知书: what failed, the rules it broke, the fix deadline, and lines for the
    merchant's signature and the re-inspection. Printed after a failed inspection."""
    require_section(request.user, "merchants")
    inspection = get_object_or_404(
        PriceTagInspection.objects.for_user(request.user)
        .select_related("mall", "booth", "merchant", "inspector")
        .prefetch_related("failures"),
        pk=pk,
    )
    if inspection.passed:
        messages.info(request, _("The inspection passed: there is nothing for the merchant to fix."))
        return redirect("merchants:inspections")
    return render(
        request,
        "merchants/print_inspection_notice.html",
        {
            "inspection": inspection,
            "policy": MerchantPolicy.for_mall(inspection.mall),
            "rules": PRICE_TAG_RULES,
            "reinspection": inspection.reinspections.select_related("inspector").order_by("inspected_at").first(),
        },
    )
