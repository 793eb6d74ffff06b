"""顾客电话投诉员工登记表: register, answer, manager sign-off, printed register."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.access import has_role, require_role, roles_in, working_mall
from servicedesk.formerrors import add_service_errors
from servicedesk.navigation import require_section
from servicedesk.workflow import allowed_actions

from ..forms import StaffAnswerForm, StaffComplaintForm
from ..models import STAFF_TAKERS, STAFF_TRANSITIONS, StaffAction, StaffComplaint, StaffComplaintStatus
from ..services import staff_complaint_answer, staff_complaint_register, staff_complaint_sign_off


def _records(request):
    records = StaffComplaint.objects.for_user(request.user).select_related(
        "mall", "booth__merchant", "taken_by", "signed_off_by"
    )
    if request.mall is not None:
        records = records.for_mall(request.mall)
    return records


@login_required
def staff_list(request):
    require_section(request.user, "complaints")
    records = _records(request)
    status = request.GET.get("status", "")
    if status in StaffComplaintStatus.values:
        records = records.filter(status=status)
    can_register = request.mall is not None and has_role(request.user, request.mall, *STAFF_TAKERS)
    return render(
        request,
        "complaints/staff_list.html",
        {
            "records": records[:300],
            "can_register": can_register,
            "status": status,
            "statuses": StaffComplaintStatus.choices,
        },
    )


@login_required
def staff_create(request):
    require_section(request.user, "complaints")
    mall = working_mall(request, *STAFF_TAKERS)
    form = StaffComplaintForm(request.POST or None, mall=mall)
    if request.method == "POST" and form.is_valid():
        try:
            record = staff_complaint_register(mall=mall, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Phone complaint %(number)s registered.") % {"number": record.number})
            return redirect("complaints:staff_detail", pk=record.pk)
    return render(request, "complaints/staff_form.html", {"form": form})


@login_required
def staff_detail(request, pk):
    record = get_object_or_404(_records(request), pk=pk)
    require_section(request.user, "complaints")
    allowed = allowed_actions(STAFF_TRANSITIONS, record.status, roles_in(request.user, record.mall))
    answer_form = None
    if StaffAction.ANSWER in allowed:
        answer_form = StaffAnswerForm(
            request.POST or None, initial={"answered_at": timezone.localtime().replace(second=0, microsecond=0)}
        )
        if request.method == "POST" and answer_form.is_valid():
            try:
                staff_complaint_answer(record=record, actor=request.user, **answer_form.cleaned_data)
            except ValidationError as error:
                add_service_errors(answer_form, error)
            else:
                messages.success(request, _("Answer recorded."))
                return redirect("complaints:staff_detail", pk=record.pk)
    can_sign = StaffAction.SIGN_OFF in allowed
    return render(
        request, "complaints/staff_detail.html", {"record": record, "answer_form": answer_form, "can_sign": can_sign}
    )


@login_required
def staff_sign_off(request, pk):
    record = get_object_or_404(_records(request), pk=pk)
    # Role first, whatever the record's state: only a manager signs off.
    require_role(request.user, record.mall, *STAFF_TRANSITIONS.roles_for(StaffAction.SIGN_OFF))
    if request.method == "POST":
        try:
            staff_complaint_sign_off(record=record, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Signed off."))
    return redirect("complaints:staff_detail", pk=record.pk)


@login_required
def staff_register_print(request):
    require_section(request.user, "complaints")
    return render(
        request,
        "complaints/print_staff_register.html",
        {"records": _records(request)[:500], "mall": request.mall, "printed_at": timezone.now()},
    )
