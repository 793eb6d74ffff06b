"""Keeps merchant users in the merchant portal and staff out of it.

A merchant user (merchants.MerchantUser) reaches only `/merchant/`, signing in and out and the
language switch: every other URL of the desk answers 404 (never 403: the staff pages do not
exist for a merchant), and `/` sends it to `/merchant/`. A staff user asking for `/merchant/`
gets 404 too. A merchant user whose account was deactivated is signed out at once.
"""

from django.conf import settings
from django.contrib.auth import logout
from django.http import Http404
from django.shortcuts import redirect

from merchants.accounts import merchant_account

PORTAL = "/merchant/"
# Open to a merchant user besides the portal: signing in and out, the language switch, files.
OPEN_TO_MERCHANTS = ("/accounts/login/", "/accounts/logout/", "/i18n/")


class MerchantPortalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # In process_view, after CSRF's: a POST without a token is refused (403) before anything.
        path = request.path_info
        user = request.user
        account = merchant_account(user)
        if account is not None:
            if not (account.is_active and user.is_active and account.merchant.mall.is_active):
                logout(request)
                return redirect(settings.LOGIN_URL)
            if path == "/":
                return redirect(PORTAL)
            if not path.startswith((PORTAL, *OPEN_TO_MERCHANTS, settings.STATIC_URL)):
                raise Http404
        elif user.is_authenticated and path.startswith(PORTAL):
            raise Http404
        return None
