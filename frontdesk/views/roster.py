"""The monthly duty roster (排班表): list and draw up, the grid of cells, publish, the paper form."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicedesk.access import has_role, working_mall
from servicedesk.formerrors import add_service_errors
from servicedesk.navigation import require_section
from servicedesk.notifications import staff_of

from .. import selectors, services
from ..forms import RosterGridForm, RosterNewForm
from ..models import DUTY_CODES, ROSTER_EDITORS, ROSTER_STAFF, Duty, DutyRoster, RosterStatus


def _next_month():
    return (timezone.localdate().replace(day=1) + timedelta(days=32)).replace(day=1)


def _roster(request, pk):
    rosters = DutyRoster.objects.visible_to(request.user).select_related("mall", "drawn_up_by", "published_by")
    roster = get_object_or_404(rosters, pk=pk)
    require_section(request.user, "frontdesk")
    return roster


@login_required
def roster_list(request):
    """The mall's rosters by month; supervisors draw up a new month here."""
    require_section(request.user, "frontdesk")
    mall = request.mall
    can_draw_up = mall is not None and has_role(request.user, mall, *ROSTER_EDITORS)
    form = RosterNewForm(request.POST or None, initial={"month": _next_month()})
    if request.method == "POST":
        mall = working_mall(request, *ROSTER_EDITORS)
        if form.is_valid():
            try:
                roster = services.roster_draw_up(mall=mall, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Roster drawn up as a draft; fill in the shifts and publish it."))
                return redirect("frontdesk:roster", pk=roster.pk)
    rosters = DutyRoster.objects.visible_to(request.user).select_related("mall", "drawn_up_by", "published_by")
    if mall is not None:
        rosters = rosters.for_mall(mall)
    today = timezone.localdate()
    return render(
        request,
        "frontdesk/rosters.html",
        {
            "page": Paginator(rosters, 24).get_page(request.GET.get("page")),
            "form": form if can_draw_up else None,
            "today": today,
            "on_duty": selectors.on_duty(mall, today) if mall is not None else None,
        },
    )


def _sheet(roster, editing):
    extra = ()
    if editing:  # everyone on the desk gets a row to be put on shifts
        extra = staff_of(roster.mall, *ROSTER_STAFF).filter(memberships__mall=roster.mall).distinct()
    return selectors.roster_sheet(roster, extra_staff=extra)


@login_required
def roster_detail(request, pk):
    """The roster as a grid: a row per person, a cell per day; editors change the cells here."""
    roster = _roster(request, pk)
    can_edit = has_role(request.user, roster.mall_id, *ROSTER_EDITORS)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied(_("Only the supervisor or the manager changes the roster."))
    sheet = _sheet(roster, can_edit)
    form = RosterGridForm(request.POST or None, sheet=sheet) if can_edit else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            changed = services.roster_set_duties(
                roster=roster, actor=request.user, duties=form.duties(), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Roster saved: %(n)d cells changed.") % {"n": changed})
            return redirect("frontdesk:roster", pk=roster.pk)
    return render(
        request,
        "frontdesk/roster_detail.html",
        {
            "roster": roster,
            "sheet": sheet,
            "form": form,
            "rows": _form_rows(sheet, form),
            "options": [(duty.value, DUTY_CODES[duty]) for duty in Duty],
            "legend": [(DUTY_CODES[duty], duty.label) for duty in Duty],
            "can_publish": can_edit and roster.status == RosterStatus.DRAFT,
        },
    )


def _form_rows(sheet, form):
    """[(row, [(day, cell code, conflict, bound field or None)])] for the template."""
    rows = []
    for row in sheet.rows:
        cells = []
        for day, duty, conflict in row.cells:
            field = form[f"d-{row.staff.pk}-{day.day}"] if form is not None else None
            cells.append((day, DUTY_CODES[duty], conflict, field))
        rows.append((row, cells))
    return rows


@login_required
@require_POST
def roster_publish(request, pk):
    roster = _roster(request, pk)
    try:
        services.roster_publish(roster=roster, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Roster published: the desk works by it."))
    return redirect("frontdesk:roster", pk=roster.pk)


@login_required
def roster_print(request, pk):
    """客户服务中心值班安排表: the paper form, landscape A4."""
    roster = _roster(request, pk)
    sheet = selectors.roster_sheet(roster)
    return render(
        request,
        "frontdesk/print_roster.html",
        {
            "roster": roster,
            "sheet": sheet,
            "rows": _form_rows(sheet, None),
            "legend": [(DUTY_CODES[duty], duty.label) for duty in Duty],
        },
    )
