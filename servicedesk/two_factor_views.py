"""The two-factor pages: set up the authenticator app (QR code), and the code after the password."""

import django_otp
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from .formerrors import add_service_errors
from .forms import DeskForm
from .two_factor import (
    enrolment_device,
    is_enrolled,
    needs_two_factor,
    qr_code_data_uri,
    secret_for_typing,
    two_factor_enrol,
    two_factor_verify,
)


class TokenForm(DeskForm):
    token = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


@login_required
def two_factor_setup(request):
    if not needs_two_factor(request.user):
        return redirect("home")  # not asked of this role, or not required here (development)
    if is_enrolled(request.user):
        return redirect("two_factor_verify")
    device = enrolment_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = two_factor_enrol(user=request.user, device=device, token=form.cleaned_data["token"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            django_otp.login(request, device)
            return render(request, "registration/two_factor_codes.html", {"codes": codes, "next": _next(request)})
    return render(
        request,
        "registration/two_factor_setup.html",
        {"form": form, "qr": qr_code_data_uri(device), "secret": secret_for_typing(device), "next": _next(request)},
    )


@login_required
def two_factor_verify_view(request):
    if not needs_two_factor(request.user):
        return redirect("home")
    if not is_enrolled(request.user):
        return redirect("two_factor_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor_verify(user=request.user, token=form.cleaned_data["token"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            django_otp.login(request, device)
            return redirect(_next(request))
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _next(request)})
