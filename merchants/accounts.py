"""Is this user a merchant's own user, and of which merchant? Asked by the portal's middleware,
its views and every service a merchant user may call. A user with an active staff membership
(loaded for every staff request anyway) or a superuser is staff and costs no query; for the
others one query per request, cached on the user."""

from django.http import Http404

from servicedesk.access import memberships

_CACHE_ATTR = "_merchant_account"
_NONE = object()


def merchant_account(user):
    """The user's MerchantUser row (active or not), or None for staff and anonymous users."""
    if not user or not user.is_authenticated:
        return None
    if user.is_superuser or memberships(user):
        return None  # staff (a merchant user is never given a staff membership): no query
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        from .models import MerchantUser

        cached = MerchantUser.objects.select_related("merchant__mall").filter(user=user).first() or _NONE
        setattr(user, _CACHE_ATTR, cached)
    return None if cached is _NONE else cached


def is_merchant_user(user):
    return merchant_account(user) is not None


def forget_merchant_account(user):
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def require_merchant_of(user, merchant_id):
    """The active account of `user` if it belongs to the merchant `merchant_id`; else 404 (a
    merchant user never learns that another merchant's record exists)."""
    account = merchant_account(user)
    if account is None or not account.is_active or not user.is_active or account.merchant_id != merchant_id:
        raise Http404
    return account


def merchants_own(user, record):
    """For the state machines' `merchant_party` (servicedesk.workflow.lock_and_check): True for
    the merchant's own user acting on its merchant's record (another merchant's record is 404),
    False for staff, whose role the table checks."""
    if not is_merchant_user(user):
        return False
    require_merchant_of(user, record.merchant_id)
    return True
