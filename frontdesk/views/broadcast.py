"""The broadcast screens: today's programme with ticks, the weekly programme, scripts, prints."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicedesk.access import has_role, working_mall
from servicedesk.formerrors import add_service_errors
from servicedesk.navigation import require_section
from servicedesk.notifications import staff_of
from servicedesk.qr import qr_data_uri
from servicedesk.roles import Role

from .. import services
from ..forms import AnnouncementForm, ScriptForm, SlotForm
from ..models import BroadcastPlay, BroadcastScript, BroadcastSlot, PlayStatus, Weekday
from ..services.common import APPROVERS, DESK_ROLES
from .common import chosen_mall, day_from


def _day_lines(mall, day, user):
    """The day's programme: ticked lines for today and past days, the planned slots for a future
    day, or for today while it is not drawn up yet. A GET writes nothing: the lines are drawn up
    by the hourly task (frontdesk.draw_up_programmes) and by the services that change slots."""
    today = timezone.localdate()
    plays = (
        BroadcastPlay.objects.for_user(user)
        .filter(mall=mall, day=day)
        .exclude(status=PlayStatus.DUE, slot__is_active=False)
        .select_related("slot__script", "slot__announcer", "played_by")
        .order_by("starts_at", "pk")
    )
    if day < today or (day == today and plays.exists()):
        return plays, True
    slots = (
        BroadcastSlot.objects.for_user(user)
        .on_air()
        .for_mall(mall)
        .for_day(day)
        .select_related("script", "announcer")
        .order_by("starts_at", "pk")
    )
    return slots, False


@login_required
def broadcast_day(request):
    require_section(request.user, "frontdesk")
    mall = request.mall
    day = day_from(request)
    context = {"day": day, "today": timezone.localdate(), "mall": mall}
    if mall is not None:
        lines, drawn_up = _day_lines(mall, day, request.user)
        lines = list(lines)
        context.update(
            lines=lines,
            drawn_up=drawn_up,
            can_tick=day == context["today"] and has_role(request.user, mall, *DESK_ROLES),
            played=sum(1 for line in lines if drawn_up and line.status == PlayStatus.PLAYED),
            previous_day=day - timedelta(days=1),
            next_day=day + timedelta(days=1),
        )
        if context["can_tick"]:
            context["announcement_form"] = AnnouncementForm()
    return render(request, "frontdesk/broadcast_day.html", context)


@login_required
@require_POST
def announcement_add(request):
    """A one-off announcement (寻人寻物, a notice) on today's programme; "read out now" ticks it."""
    mall = working_mall(request, *DESK_ROLES)
    form = AnnouncementForm(request.POST)
    if form.is_valid():
        try:
            play = services.announcement_add(
                mall=mall, actor=request.user, played="played" in request.POST, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if play.status == PlayStatus.PLAYED:
                messages.success(request, _("Announcement read out and recorded."))
            else:
                messages.success(request, _("Announcement added to today's programme: mark it played once read out."))
            return redirect(f"{reverse('frontdesk:broadcast')}#play-{play.pk}")
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label} {' '.join(errors)}".strip())
    return redirect(f"{reverse('frontdesk:broadcast')}#announce")


@login_required
@require_POST
def play_tick(request, pk):
    play = get_object_or_404(BroadcastPlay.objects.for_user(request.user), pk=pk)
    try:
        services.play_tick(play=play, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(f"{reverse('frontdesk:broadcast')}?date={play.day.isoformat()}#play-{play.pk}")


@login_required
def programme(request):
    require_section(request.user, "frontdesk")
    mall = request.mall
    context = {"mall": mall}
    if mall is not None:
        slots = (
            BroadcastSlot.objects.for_user(request.user)
            .active()
            .for_mall(mall)
            .select_related("script", "announcer", "approved_by", "instructed_by")
        )
        weekly = {day: [] for day in Weekday}
        one_off = []
        for slot in slots.order_by("starts_at"):
            if slot.on_date is None:
                weekly[Weekday(slot.weekday)].append(slot)
            elif slot.on_date >= timezone.localdate():
                one_off.append(slot)
        context.update(
            weekly=list(weekly.items()),
            one_off=sorted(one_off, key=lambda s: (s.on_date, s.starts_at)),
            pending=[s for s in slots if s.awaiting_approval],
            can_plan=has_role(request.user, mall, *APPROVERS),
            can_add=has_role(request.user, mall, *DESK_ROLES),
            managers=staff_of(mall, Role.MANAGER).filter(memberships__mall=mall).distinct(),
        )
    return render(request, "frontdesk/programme.html", context)


@login_required
def slot_add(request):
    mall = working_mall(request, *DESK_ROLES)
    weekly_allowed = has_role(request.user, mall, *APPROVERS)
    initial = {"on_date": request.GET.get("date") or None}
    form = SlotForm(request.POST or None, mall=mall, weekly_allowed=weekly_allowed, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            slot = services.slot_add(
                mall=mall,
                actor=request.user,
                weekday=data.get("weekday"),
                on_date=data.get("on_date"),
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                slot_type=data["slot_type"],
                script=data["script"],
                announcer=data["announcer"],
                notes=data["notes"],
                instructed_by=data["instructed_by"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if slot.awaiting_approval:
                messages.warning(request, _("Slot added; it goes on air once a supervisor approves it."))
            else:
                messages.success(request, _("Slot added."))
            return redirect("frontdesk:programme")
    return render(request, "frontdesk/slot_form.html", {"form": form})


@login_required
@require_POST
def slot_approve(request, pk):
    slot = get_object_or_404(BroadcastSlot.objects.for_user(request.user), pk=pk)
    instructed_by = None
    if request.POST.get("instructed_by", "").isdigit():
        from django.contrib.auth import get_user_model

        instructed_by = get_user_model().objects.filter(pk=request.POST["instructed_by"]).first()
    try:
        services.slot_approve(slot=slot, actor=request.user, instructed_by=instructed_by)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Approved: %(slot)s") % {"slot": slot})
    return redirect("frontdesk:programme")


@login_required
@require_POST
def slot_retire(request, pk):
    slot = get_object_or_404(BroadcastSlot.objects.for_user(request.user), pk=pk)
    services.slot_retire(slot=slot, actor=request.user)
    messages.success(request, _("Taken off the programme: %(slot)s") % {"slot": slot})
    return redirect("frontdesk:programme")


@login_required
@require_POST
def programme_generate(request):
    mall = working_mall(request, *APPROVERS)
    try:
        created = services.programme_generate_default(mall=mall, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if created:
            messages.success(
                request,
                _("Default programme added for %(days)s.")
                % {"days": "、".join(str(Weekday(day).label) for day in created)},
            )
        else:
            messages.info(request, _("Every weekday already has a programme; nothing was added."))
    return redirect("frontdesk:programme")


@login_required
def script_list(request):
    require_section(request.user, "frontdesk")
    mall = request.mall
    scripts = BroadcastScript.objects.for_user(request.user).select_related("mall")
    if mall is not None:
        scripts = scripts.for_mall(mall)
    can_edit = mall is not None and has_role(request.user, mall, *DESK_ROLES)
    return render(request, "frontdesk/scripts.html", {"scripts": scripts, "can_edit": can_edit})


@login_required
def script_edit(request, pk=None):
    require_section(request.user, "frontdesk")
    script = get_object_or_404(BroadcastScript.objects.for_user(request.user), pk=pk) if pk else None
    mall = script.mall if script else working_mall(request, *DESK_ROLES)
    can_edit = has_role(request.user, mall, *DESK_ROLES)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied(_("Your role may read scripts but not change them."))
    initial = (
        {"title": script.title, "slot_type": script.slot_type, "text_zh": script.text_zh, "text_en": script.text_en}
        if script
        else {}
    )
    form = ScriptForm(request.POST or None, initial=initial)
    if script is not None:
        form.fields["slot_type"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if script is None:
                services.script_create(
                    mall=mall,
                    actor=request.user,
                    title=data["title"],
                    slot_type=data["slot_type"],
                    text_zh=data["text_zh"],
                    text_en=data["text_en"],
                )
            else:
                services.script_revise(
                    script=script,
                    actor=request.user,
                    title=data["title"],
                    text_zh=data["text_zh"],
                    text_en=data["text_en"],
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Script saved."))
            return redirect("frontdesk:scripts")
    return render(request, "frontdesk/script_form.html", {"form": form, "script": script, "can_edit": can_edit})


@login_required
def print_programme(request):
    """播音程序表 for a day (?date=) or a week (?week=, any day of it)."""
    require_section(request.user, "frontdesk")
    mall = chosen_mall(request)
    if "week" in request.GET:
        monday = day_from(request, "week")
        monday -= timedelta(days=monday.weekday())
        days = [monday + timedelta(days=n) for n in range(7)]
    else:
        days = [day_from(request)]
    pages = []
    for day in days:
        lines, drawn_up = _day_lines(mall, day, request.user)
        pages.append({"day": day, "weekday": Weekday(day.weekday()).label, "lines": lines, "drawn_up": drawn_up})
    return render(request, "frontdesk/print_programme.html", {"mall": mall, "pages": pages, "week": len(days) > 1})


@login_required
def intake_poster(request):
    """A printable poster of the mall's online intake page (/m/<code>/) as a QR code, for the desk
    and the mall's notice boards (issue #18 §5)."""
    from django.conf import settings

    require_section(request.user, "frontdesk")
    mall = chosen_mall(request)
    url = f"{settings.SITE_URL.rstrip('/')}{reverse('intake:start', args=[mall.code])}"
    return render(request, "frontdesk/intake_poster.html", {"mall": mall, "url": url, "qr": qr_data_uri(url)})
