from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from frontdesk.conversion import mark_converted
from servicedesk.access import working_mall
from servicedesk.navigation import require_section
from servicedesk.phones import normalise_mobile
from servicedesk.roles import Role

from ..forms import IntakeForm
from ..models import ADDRESS_CATEGORIES, ADDRESS_DEMANDS, FACE_TO_FACE_CHANNELS, Complaint, Status
from ..prefill import intake_initial, purchases_of, returns_of
from ..services import complaint_register
from .common import form_errors_from

DESK_ROLES = (Role.FRONT_DESK, Role.COMPLAINT_OFFICER)


@login_required
def complaint_intake(request):
    require_section(request.user, "complaints")
    mall = working_mall(request, *DESK_ROLES)
    form = IntakeForm(request.POST or None, request.FILES or None, mall=mall, initial=intake_initial(request))
    if request.method == "POST" and form.is_valid():
        try:
            complaint = complaint_register(mall=mall, actor=request.user, **form.service_kwargs())
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            mark_converted(request, "complaint", complaint.number)
            messages.success(request, _("Complaint %(number)s registered.") % {"number": complaint.number})
            if not complaint.paid_via_unified_cashier:
                messages.warning(
                    request,
                    _(
                        "Not paid through the unified cashier: the mall's promises (advance compensation, "
                        "no-reason returns) do not cover this purchase. This has been recorded."
                    ),
                )
            if complaint.repeat_of_id:
                messages.warning(
                    request,
                    _("Repeat complaint: the same order was complained about in %(number)s.")
                    % {"number": complaint.repeat_of.number},
                )
            return redirect("complaints:detail", pk=complaint.pk)
    return render(
        request,
        "complaints/intake.html",
        {
            "form": form,
            "mall": mall,
            # The address rule, for the page to mark the address required as the case is typed.
            "address_rule": {
                "channels": " ".join(sorted(FACE_TO_FACE_CHANNELS)),
                "categories": " ".join(sorted(ADDRESS_CATEGORIES)),
                "demands": " ".join(sorted(ADDRESS_DEMANDS)),
            },
            "intake_texts": {
                "none": _("No earlier complaints."),
                "no_returns": _("No return requests."),
                "no_purchases": _("No imported sales."),
                "known": _("Known customer"),
                "open": _("open"),
                "use": _("Use this purchase"),
                "used": _("Filled in from %(order)s"),
            },
        },
    )


@login_required
def customer_lookup(request):
    """As the clerk types a mobile: the customer of this mall, their past complaints, their
    return requests and their unified-cashier purchases (each with the intake fields it fills,
    so the clerk picks the purchase instead of retyping it)."""
    require_section(request.user, "complaints")
    mall = working_mall(request, *DESK_ROLES)
    mobile = normalise_mobile(request.GET.get("mobile", ""))
    if len(mobile) != 11:
        return JsonResponse({"found": False})
    customer = mall.customers.filter(mobile=mobile).first()
    if customer is None:
        return JsonResponse({"found": False})
    past = Complaint.objects.filter(customer=customer).select_related("merchant").order_by("-received_at")[:10]
    return JsonResponse(
        {
            "found": True,
            "name": customer.name,
            "address": customer.address,
            "other_phone": customer.other_phone,
            "url": reverse("customers:detail", args=[customer.pk]),
            "complaints": [
                {
                    "number": c.number,
                    "received": timezone.localdate(c.received_at).isoformat(),
                    "status": str(Status(c.status).label),
                    "merchant": str(c.merchant or "—"),
                    "voucher": c.voucher_number,
                    "open": c.is_open,
                }
                for c in past
            ],
            "returns": returns_of(customer),
            "purchases": purchases_of(customer),
        }
    )
