"""The desk's dashboard, shift handovers, the enquiry log and the day's printable desk log."""

from datetime import datetime, time, timedelta
from itertools import zip_longest
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicedesk.access import has_role, working_mall
from servicedesk.formerrors import add_service_errors
from servicedesk.models import Customer
from servicedesk.navigation import require_section
from servicedesk.phones import normalise_mobile

from .. import selectors, services
from ..forms import EnquiryForm, HandoverConfirmForm, HandoverForm, MatterForm, SignLogForm
from ..models import (
    MATTER_ROLES,
    SIGNERS,
    BroadcastPlay,
    BroadcastSlot,
    ConversionKind,
    DeskLogSignature,
    DutyMatter,
    Enquiry,
    Handover,
    PlayStatus,
)
from ..services.common import DESK_ROLES
from ..services.desk import HANDOVER_ROLES
from .common import chosen_mall, day_from


@login_required
def index(request):
    """Today at the desk: broadcast progress, enquiry counts, handovers waiting, this month's spot checks."""
    section = require_section(request.user, "frontdesk")
    mall = request.mall
    today = timezone.localdate()
    context = {"section": section, "mall": mall, "today": today}
    if mall is not None:
        # Drawn up by the hourly task and the slot services; a GET writes nothing. Until it is
        # drawn up, the slots planned for today are counted.
        plays = BroadcastPlay.objects.filter(mall=mall, day=today, slot__is_active=True)
        now = timezone.localtime().time()
        plays_total = plays.count() or BroadcastSlot.objects.on_air().for_mall(mall).for_day(today).count()
        context.update(
            plays_total=plays_total,
            plays_done=plays.filter(status=PlayStatus.PLAYED).count(),
            next_play=plays.filter(status=PlayStatus.DUE, ends_at__gt=now).select_related("slot").first(),
            enquiries=selectors.enquiry_counts(mall, today),
            unconfirmed=Handover.objects.for_mall(mall).unconfirmed().select_related("outgoing")[:5],
            spot_check_average=selectors.spot_check_average(mall, today.year, today.month),
        )
    return render(request, "frontdesk/index.html", context)


# --- Handovers --------------------------------------------------------------------------------


@login_required
def handover_list(request):
    require_section(request.user, "frontdesk")
    handovers = Handover.objects.for_user(request.user).select_related("mall", "outgoing", "confirmed_by")
    if request.mall is not None:
        handovers = handovers.for_mall(request.mall)
    page = Paginator(handovers, 30).get_page(request.GET.get("page"))
    can_record = request.mall is not None and has_role(request.user, request.mall, *HANDOVER_ROLES)
    works_matters = request.mall is not None and has_role(request.user, request.mall, *MATTER_ROLES)
    matters = DutyMatter.objects.for_user(request.user).unfinished().select_related("owner", "mall")
    if request.mall is not None:
        matters = matters.for_mall(request.mall)
    return render(
        request,
        "frontdesk/handovers.html",
        {
            "page": page,
            "can_record": can_record,
            "matters": matters[:100],
            "matter_form": MatterForm() if works_matters else None,
            "can_finish": works_matters,
            "today": timezone.localdate(),
            "on_duty": selectors.on_duty(request.mall, timezone.localdate()) if request.mall is not None else None,
        },
    )


@login_required
@require_POST
def matter_new(request):
    mall = working_mall(request, *MATTER_ROLES)
    form = MatterForm(request.POST)
    if form.is_valid():
        try:
            services.matter_record(mall=mall, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Matter recorded; it stays with you until it is finished or taken over."))
    else:
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect("frontdesk:handovers")


@login_required
@require_POST
def matter_finish(request, pk):
    matter = get_object_or_404(DutyMatter.objects.for_user(request.user), pk=pk)
    require_section(request.user, "frontdesk")
    try:
        services.matter_finish(matter=matter, actor=request.user, outcome=request.POST.get("outcome", "")[:200])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Matter finished."))
    return redirect("frontdesk:handovers")


@login_required
@require_POST
def log_sign(request):
    """The supervisor signs the day's desk log (?date=YYYY-MM-DD, default today)."""
    require_section(request.user, "frontdesk")
    mall = working_mall(request, *SIGNERS)
    day = day_from(request)
    form = SignLogForm(request.POST)
    remarks = form.cleaned_data["remarks"] if form.is_valid() else ""
    try:
        services.desk_log_sign(mall=mall, day=day, actor=request.user, remarks=remarks)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The desk log of %(day)s is signed.") % {"day": day.isoformat()})
    return redirect(f"{reverse('frontdesk:print_desk_log')}?{urlencode({'date': day.isoformat()})}")


@login_required
def handover_new(request):
    mall = working_mall(request, *HANDOVER_ROLES)
    form = HandoverForm(
        request.POST or None, initial={"shift": "morning" if timezone.localtime().hour < 15 else "evening"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            handover = services.handover_record(mall=mall, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Handover recorded; the incoming shift confirms it on this page."))
            return redirect("frontdesk:handover", pk=handover.pk)
    return render(request, "frontdesk/handover_form.html", {"form": form})


@login_required
def handover_detail(request, pk):
    handover = get_object_or_404(
        Handover.objects.for_user(request.user).select_related("mall", "outgoing", "confirmed_by"), pk=pk
    )
    require_section(request.user, "frontdesk")
    links = handover.matters.select_related("matter", "taken_by").order_by("-important", "pk")
    important = [
        link.matter for link in links if link.important and link.taken_by_id is None and link.matter.status == "open"
    ]
    form = HandoverConfirmForm(request.POST or None, important=important)
    if request.method == "POST" and form.is_valid():
        try:
            services.handover_confirm(handover=handover, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Handover confirmed."))
            return redirect("frontdesk:handover", pk=handover.pk)
    can_confirm = (
        handover.confirmed_at is None
        and handover.outgoing_id != request.user.pk
        and has_role(request.user, handover.mall_id, *DESK_ROLES)
    )
    return render(
        request,
        "frontdesk/handover_detail.html",
        {
            "handover": handover,
            "form": form,
            "can_confirm": can_confirm,
            "links": links,
            "expected": _expected_incoming(handover),
        },
    )


def _expected_incoming(handover):
    """Who the published roster puts on the shift that takes over: the evening shift of the same
    day after a morning handover, the next day's morning shift after an evening one."""
    day = timezone.localdate(handover.handed_over_at)
    if handover.shift == "evening":
        day, shift = day + timedelta(days=1), "morning"
    else:
        shift = "evening"
    for value, label, people in selectors.on_duty(handover.mall_id, day):
        if value == shift:
            return {"day": day, "label": label, "people": people}
    return None


@login_required
def print_desk_log(request):
    """总台工作日志: the day's handovers, enquiries and broadcast programme on one sheet."""
    require_section(request.user, "frontdesk")
    mall = chosen_mall(request)
    day = day_from(request)
    handovers = (
        Handover.objects.for_user(request.user)
        .filter(mall=mall, handed_over_at__date=day)
        .select_related("outgoing", "confirmed_by")
        .order_by("handed_over_at")
    )
    enquiries = (
        Enquiry.objects.for_user(request.user)
        .filter(mall=mall, received_on=day)
        .select_related("customer", "recorded_by")
        .order_by("received_at")
    )
    plays = (
        BroadcastPlay.objects.for_user(request.user)
        .filter(mall=mall, day=day)
        .exclude(status=PlayStatus.DUE, slot__is_active=False)
        .select_related("slot", "played_by")
        .order_by("starts_at")
    )
    start = timezone.make_aware(datetime.combine(day, time.min))
    matters = (
        DutyMatter.objects.for_user(request.user)
        .filter(mall=mall, raised_at__lt=start + timedelta(days=1))
        .filter(Q(status="open") | Q(finished_at__gte=start))
        .select_related("owner", "finished_by")
    )
    return render(
        request,
        "frontdesk/print_desk_log.html",
        {
            "matters": matters,
            "signature": DeskLogSignature.objects.filter(mall=mall, day=day).select_related("signed_by").first(),
            "can_sign": has_role(request.user, mall, *SIGNERS),
            "mall": mall,
            "day": day,
            "handovers": handovers,
            "enquiries": enquiries,
            # Two broadcasts a row: the day's programme takes half the paper.
            "play_rows": _in_pairs(list(plays)),
            "counts": selectors.enquiry_counts(mall, day),
            "on_duty": selectors.on_duty(mall, day),
        },
    )


def _in_pairs(items):
    half = (len(items) + 1) // 2
    return list(zip_longest(items[:half], items[half:]))


# --- Enquiries --------------------------------------------------------------------------------


# The channel of the desk's last enquiry is kept for the next caller (a phone shift stays on phone).
LAST_CHANNEL_KEY = "frontdesk_enquiry_channel"


def _enquiry_initial(request):
    """A fresh entry form: the last channel used, and the customer when the page was opened
    from their page (`?customer=<id>`) or from the phone search (`?mobile=`)."""
    initial = {"channel": request.session.get(LAST_CHANNEL_KEY, "walk_in"), "minutes_taken": 1}
    customer_id = request.GET.get("customer", "")
    if customer_id.isdigit():
        customer = Customer.objects.for_user(request.user).filter(pk=customer_id).first()
        if customer is not None:
            initial.update(customer_name=customer.name, customer_mobile=customer.mobile)
    elif request.GET.get("mobile"):
        initial["customer_mobile"] = normalise_mobile(request.GET["mobile"])[:11]
    return initial


@login_required
def enquiry_list(request):
    """The enquiry log with the quick-entry form on top. After saving, the form is there again,
    empty and with the cursor in it, for the next caller."""
    require_section(request.user, "frontdesk")
    mall = request.mall
    can_record = mall is not None and has_role(request.user, mall, *DESK_ROLES)
    form = EnquiryForm(request.POST or None, initial=_enquiry_initial(request))
    if request.method == "POST":
        mall = working_mall(request, *DESK_ROLES)
        if form.is_valid():
            try:
                enquiry = services.enquiry_record(mall=mall, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                request.session[LAST_CHANNEL_KEY] = enquiry.channel
                messages.success(request, _("Enquiry logged. Ready for the next caller."))
                return redirect(f"{reverse('frontdesk:enquiries')}#enquiry-entry")
    day = day_from(request)
    enquiries = Enquiry.objects.for_user(request.user).select_related("mall", "customer", "recorded_by")
    if mall is not None:
        enquiries = enquiries.for_mall(mall)
    if "date" in request.GET:
        enquiries = enquiries.on_day(day)
    page = Paginator(enquiries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "frontdesk/enquiries.html",
        {
            "form": form,
            "page": page,
            "can_record": can_record,
            "counts": selectors.enquiry_counts(mall, timezone.localdate()) if mall else None,
        },
    )


# Where a converted enquiry opens; those pages read ?customer= and ?enquiry= (frontdesk.conversion).
CONVERSION_TARGETS = {
    ConversionKind.COMPLAINT: "complaints:intake",
    ConversionKind.RETURN: "returns:new",
}


def conversion_url(enquiry, kind):
    """The complaint intake or return request page, prefilled with `?customer=<id>&enquiry=<id>`."""
    path = reverse(CONVERSION_TARGETS[ConversionKind(kind)])
    return f"{path}?{urlencode({'customer': enquiry.customer_id, 'enquiry': enquiry.pk})}"


@login_required
def enquiry_convert(request, pk, kind):
    enquiry = get_object_or_404(Enquiry.objects.for_user(request.user), pk=pk)
    require_section(request.user, "frontdesk")
    working_mall(request, *DESK_ROLES)
    if kind not in ConversionKind.values:
        return redirect("frontdesk:enquiries")
    if enquiry.customer_id is None:
        messages.error(request, _("Record the customer's name and mobile first: the case needs the customer."))
        return redirect("frontdesk:enquiries")
    return redirect(conversion_url(enquiry, kind))
