"""The reception and incident log: the list with its clocks, logging an entry of each kind, the
entry with its follow-ups and closing, and each kind's printed register."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicedesk.access import has_role, working_mall
from servicedesk.formerrors import add_service_errors
from servicedesk.navigation import require_section

from .. import services
from ..forms import IncidentCloseForm, IncidentForm, IncidentNoteForm
from ..models import INCIDENT_ROLES, INCIDENT_SENIOR_ROLES, DeskIncident, IncidentKind, IncidentStatus
from ..services.roster import month_days, parse_month
from .common import chosen_mall


def _kind(request):
    value = request.GET.get("kind", "")
    return IncidentKind(value) if value in IncidentKind.values else None


@login_required
def incident_list(request):
    require_section(request.user, "frontdesk")
    kind = _kind(request)
    incidents = DeskIncident.objects.for_user(request.user).select_related("mall", "recorded_by", "closed_by")
    if request.mall is not None:
        incidents = incidents.for_mall(request.mall)
    if kind is not None:
        incidents = incidents.filter(kind=kind)
    state = request.GET.get("state", "")
    now = timezone.now()
    if state == "open":
        incidents = incidents.open()
    elif state == "overdue":
        incidents = incidents.overdue(now)
    return render(
        request,
        "frontdesk/incidents.html",
        {
            "page": Paginator(incidents, 50).get_page(request.GET.get("page")),
            "kind": kind,
            "kinds": IncidentKind.choices,
            "state": state,
            "now": now,
            "can_record": request.mall is not None and has_role(request.user, request.mall, *INCIDENT_ROLES),
            "this_month": timezone.localdate().strftime("%Y-%m"),
        },
    )


@login_required
def incident_new(request):
    mall = working_mall(request, *INCIDENT_ROLES)
    kind = _kind(request) or IncidentKind.VISIT
    form = IncidentForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.incident_record(mall=mall, actor=request.user, kind=kind, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Logged as %(number)s.") % {"number": incident.number})
            return redirect("frontdesk:incident", pk=incident.pk)
    return render(request, "frontdesk/incident_form.html", {"form": form, "kind": kind, "kinds": IncidentKind.choices})


def _incident(request, pk):
    incident = get_object_or_404(
        DeskIncident.objects.for_user(request.user).select_related("mall", "recorded_by", "closed_by"), pk=pk
    )
    require_section(request.user, "frontdesk")
    return incident


@login_required
def incident_detail(request, pk):
    incident = _incident(request, pk)
    works = has_role(request.user, incident.mall_id, *INCIDENT_ROLES) and incident.status == IncidentStatus.OPEN
    may_close = works and (
        not incident.needs_senior_to_close or has_role(request.user, incident.mall_id, *INCIDENT_SENIOR_ROLES)
    )
    return render(
        request,
        "frontdesk/incident_detail.html",
        {
            "incident": incident,
            "notes": incident.notes.select_related("written_by"),
            "note_form": IncidentNoteForm() if works else None,
            "close_form": IncidentCloseForm() if may_close else None,
            "overdue": incident.status == IncidentStatus.OPEN and incident.due_at and incident.due_at < timezone.now(),
        },
    )


@login_required
@require_POST
def incident_follow_up(request, pk):
    incident = _incident(request, pk)
    form = IncidentNoteForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.get("text", [_("Say what was done.")]))
        services.incident_follow_up(incident=incident, actor=request.user, text=form.cleaned_data["text"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Follow-up recorded."))
    return redirect("frontdesk:incident", pk=incident.pk)


@login_required
@require_POST
def incident_close(request, pk):
    incident = _incident(request, pk)
    form = IncidentCloseForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.get("outcome", [_("Say how it ended (the outcome).")]))
        services.incident_close(incident=incident, actor=request.user, outcome=form.cleaned_data["outcome"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Closed."))
    return redirect("frontdesk:incident", pk=incident.pk)


@login_required
def incident_register(request):
    """Each kind's register for a month (?kind=visit&month=2026-03): 政府/媒体接待登记表,
    突发事件记录表, 报修登记表, 意见反馈登记表."""
    require_section(request.user, "frontdesk")
    mall = chosen_mall(request)
    kind = _kind(request) or IncidentKind.VISIT
    month = parse_month(request.GET.get("month", "")) or timezone.localdate().replace(day=1)
    days = month_days(month)
    incidents = (
        DeskIncident.objects.for_user(request.user)
        .filter(mall=mall, kind=kind, occurred_on__gte=days[0], occurred_on__lte=days[-1])
        .select_related("recorded_by", "closed_by")
        .prefetch_related("notes")
        .order_by("occurred_at", "pk")
    )
    return render(
        request,
        "frontdesk/print_incident_register.html",
        {
            "mall": mall,
            "kind": kind,
            "month": month,
            "incidents": incidents,
            "other_kinds": [
                (
                    label,
                    f"{reverse('frontdesk:incident_register')}?{urlencode({'kind': value, 'month': f'{month:%Y-%m}'})}",
                )
                for value, label in IncidentKind.choices
            ],
        },
    )
