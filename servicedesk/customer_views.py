"""Customers: list (phones masked), record page with history, register and edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .access import has_role
from .forms import CustomerForm
from .models import Customer
from .navigation import require_section
from .phone_access import full_phone_shown, recent_views
from .phones import normalise_mobile
from .roles import Role
from .services import CUSTOMER_EDITORS, customer_find_or_create, customer_update

# Roles that phone customers back and so see the whole number on the record page.
FULL_PHONE_ROLES = CUSTOMER_EDITORS


@login_required
def customer_list(request):
    require_section(request.user, "customers")
    customers = Customer.objects.for_user(request.user).select_related("mall").order_by("-created_at", "-pk")
    if request.mall is not None:
        customers = customers.for_mall(request.mall)
    query = request.GET.get("q", "").strip()
    if query:
        mobile = normalise_mobile(query)
        customers = customers.filter(mobile=mobile) if mobile.isdigit() else customers.filter(name__contains=query)
    page = Paginator(customers, 50).get_page(request.GET.get("page"))
    return render(request, "servicedesk/customer_list.html", {"page": page, "query": query})


@login_required
def customer_detail(request, pk):
    # Another mall's record is 404 before anything else is said about it.
    customer = get_object_or_404(Customer.objects.for_user(request.user).select_related("mall"), pk=pk)
    require_section(request.user, "customers")
    return render(
        request,
        "servicedesk/customer_detail.html",
        {
            "customer": customer,
            "show_full_phone": full_phone_shown(request, customer, *FULL_PHONE_ROLES),
            # Managers see who has seen this customer's full number (the access log).
            "phone_views": recent_views(customer) if has_role(request.user, customer.mall, Role.MANAGER) else None,
            "can_edit": has_role(request.user, customer.mall, *CUSTOMER_EDITORS),
            "sales": _sales_of(customer),
        },
    )


def _sales_of(customer):
    """The customer's unified-cashier sales (followups), newest first; the page shows 50."""
    from followups.selectors import sales_of

    return sales_of(customer)[:50]


@login_required
def customer_create(request):
    mall = request.mall
    if mall is None or not has_role(request.user, mall, *CUSTOMER_EDITORS):
        raise PermissionDenied(_("Choose a mall where you may register customers."))
    form = CustomerForm(request.POST or None, mall=mall)
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
    full_phone_shown(request, customer, *CUSTOMER_EDITORS)  # the edit form shows the full number: logged
    return render(request, "servicedesk/customer_form.html", {"form": form, "customer": customer})
