"""The clerk's side of merchant users: invite (SMS or printed QR code), list, deactivate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from servicedesk.forms import add_errors
from servicedesk.qr import qr_data_uri

from .. import services
from ..forms import MerchantUserInviteForm
from ..models import MERCHANT_EDITORS, MerchantUser
from ..services.accounts import invitation_url
from .common import merchant_for, merchant_for_change


@login_required
def merchant_users(request, pk):
    """The merchant's users and invitations; the clerk and the manager invite from here."""
    merchant = merchant_for_change(request, pk, *MERCHANT_EDITORS)
    form = MerchantUserInviteForm(initial={"name": merchant.contact_name, "mobile": merchant.mobile})
    if request.method == "POST":
        form = MerchantUserInviteForm(request.POST)
        if form.is_valid():
            try:
                invitation, token = services.merchant_user_invite(
                    merchant=merchant, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                url = invitation_url(token)
                context = {"merchant": merchant, "invitation": invitation}
                if invitation.sent_by == "print":
                    # Shown once, for printing; the token is stored only hashed.
                    context.update(url=url, qr=qr_data_uri(url))
                return render(request, "merchants/user_invited.html", context)
    return render(
        request,
        "merchants/users.html",
        {
            "merchant": merchant,
            "form": form,
            "accounts": merchant.users.select_related("user").order_by("-is_active", "created_at"),
            "invitations": merchant.invitations.select_related("created_by").order_by("-created_at")[:50],
        },
    )


@login_required
@require_POST
def merchant_user_deactivate(request, pk, account_pk):
    merchant = merchant_for_change(request, pk, *MERCHANT_EDITORS)
    account = get_object_or_404(MerchantUser.objects.filter(merchant=merchant), pk=account_pk)
    try:
        services.merchant_user_deactivate(account=account, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s can no longer sign in.") % {"name": account.name})
    return redirect("merchants:users", pk=merchant.pk)


__all__ = ["merchant_for", "merchant_user_deactivate", "merchant_users"]
