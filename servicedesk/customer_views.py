"""Customers: list (phones masked), record page with history, register and edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from . import customer_records
from .access import has_role
from .customer_records import actions_for_new_number, customer_page
from .customer_search import MOBILE_LENGTH, customers_by_phone, typed_digits
from .forms import CustomerForm
from .models import Customer
from .navigation import require_section
from .phone_access import full_phone_shown, recent_views
from .roles import Role
from .services import CUSTOMER_EDITORS, customer_find_or_create, customer_update


@login_required
def customer_list(request):
    require_section(request.user, "customers")
    customers = Customer.objects.for_user(request.user).select_related("mall").order_by("-created_at", "-pk")
    if request.mall is not None:
        customers = customers.for_mall(request.mall)
    query = request.GET.get("q", "").strip()
    if query:
        by_phone = customers_by_phone(customers, query)
        customers = by_phone if by_phone is not None else customers.filter(name__contains=query)
    page = Paginator(customers, 50).get_page(request.GET.get("page"))
    return render(request, "servicedesk/customer_list.html", {"page": page, "query": query})


# More than this many customers ending in the same digits: type more of the number.
MAX_CHOICES = 20


@login_required
def customer_find(request):
    """The navbar's phone search: one customer opens their page; several (the same last 4
    digits) give a short list to choose from, numbers masked; none offers a new case for a
    whole mobile typed. Looks in the mall the user works in (every visible mall for head office
    with "all malls" chosen)."""
    require_section(request.user, "customers")
    typed = request.GET.get("q", "").strip()
    customers = Customer.objects.for_user(request.user).select_related("mall")
    if request.mall is not None:
        customers = customers.for_mall(request.mall)
    found = customers_by_phone(customers, typed)
    matches, too_many = [], False
    if found is not None:
        matches = list(found.order_by("name", "mobile", "pk")[: MAX_CHOICES + 1])
        too_many = len(matches) > MAX_CHOICES
        matches = matches[:MAX_CHOICES]
        if len(matches) == 1:
            return redirect("customers:detail", pk=matches[0].pk)
    digits = typed_digits(typed)
    whole = digits if len(digits) == MOBILE_LENGTH else ""
    return render(
        request,
        "servicedesk/customer_find.html",
        {
            "typed": typed,
            "usable": found is not None,
            "matches": matches,
            "too_many": too_many,
            "whole_mobile": whole,
            "new_actions": actions_for_new_number(request.user, request.mall, whole) if whole and not matches else [],
            "can_register": request.mall is not None and has_role(request.user, request.mall, *CUSTOMER_EDITORS),
        },
    )


@login_required
def customer_detail(request, pk):
    """The customer at the centre: their details and everything the desk has about them in their
    mall (complaints, returns, compensations, callbacks, purchases, enquiries), newest first,
    with one-click new cases for them. A fixed number of queries whatever their history."""
    # Another mall's record is 404 before anything else is said about it.
    customer = get_object_or_404(Customer.objects.for_user(request.user).select_related("mall"), pk=pk)
    require_section(request.user, "customers")
    working_here = request.mall is not None and request.mall.pk == customer.mall_id
    return render(
        request,
        "servicedesk/customer_detail.html",
        {
            "customer": customer,
            "show_full_phone": full_phone_shown(request, customer),
            # Managers see who has seen this customer's full number (the access log).
            "phone_views": recent_views(customer) if has_role(request.user, customer.mall, Role.MANAGER) else None,
            "can_edit": has_role(request.user, customer.mall, *CUSTOMER_EDITORS),
            "page": customer_page(customer, request.user, may_act=working_here),
            "per_kind": customer_records.RECORDS_PER_KIND,
        },
    )


@login_required
def customer_create(request):
    mall = request.mall
    if mall is None or not has_role(request.user, mall, *CUSTOMER_EDITORS):
        raise PermissionDenied(_("Choose a mall where you may register customers."))
    # From the phone search: the number the caller gave is already typed.
    form = CustomerForm(request.POST or None, mall=mall, initial={"mobile": typed_digits(request.GET.get("mobile"))})
    if request.method == "POST" and form.is_valid():
        try:
            customer, created = customer_find_or_create(mall=mall, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if created:
                messages.success(request, _("Customer registered."))
            else:
                messages.info(request, _("This mobile number belongs to an existing customer; their record is shown."))
            return redirect("customers:detail", pk=customer.pk)
    return render(request, "servicedesk/customer_form.html", {"form": form, "customer": None})


@login_required
def customer_edit(request, pk):
    customer = get_object_or_404(Customer.objects.for_user(request.user).select_related("mall"), pk=pk)
    if not has_role(request.user, customer.mall, *CUSTOMER_EDITORS):
        raise PermissionDenied(_("Your role may read this customer but not change it."))
    form = CustomerForm(request.POST or None, instance=customer, mall=customer.mall)
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            if changed:
                customer_update(customer=Customer.objects.get(pk=customer.pk), actor=request.user, **changed)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Customer saved."))
            return redirect("customers:detail", pk=customer.pk)
    full_phone_shown(request, customer)  # the edit form shows the full number: logged
    return render(request, "servicedesk/customer_form.html", {"form": form, "customer": customer})
