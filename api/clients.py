"""Services for API clients: the administrator creates, rotates and revokes; the token is shown
once and only its SHA-256 digest is kept."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.access import has_role
from servicedesk.models import StaffMembership
from servicedesk.roles import Role

from .models import ApiClient, Scope, hash_token, new_token


def _require_admin(actor):
    if not (actor.is_superuser or has_role(actor, None, Role.ADMIN)):
        raise PermissionDenied(_("Only an administrator may manage API clients."))


def _check_scopes(scopes):
    unknown = sorted(set(scopes) - set(Scope.values))
    if unknown:
        raise ValidationError({"scopes": _("Unknown scopes: %(scopes)s") % {"scopes": ", ".join(unknown)}})
    return sorted(set(scopes))


def _set_token(client):
    token = new_token()
    client.token_hash = hash_token(token)
    client.token_hint = token[:10]
    return token


def _sync_memberships(client, malls):
    """The client's user holds the API-client role in exactly the client's malls."""
    wanted = {mall.pk for mall in malls}
    current = StaffMembership.objects.filter(user=client.user, role=Role.API_CLIENT)
    current.exclude(mall_id__in=wanted).update(is_active=False)
    have = set(current.filter(is_active=True).values_list("mall_id", flat=True))
    for mall_id in wanted - have:
        updated = current.filter(mall_id=mall_id).update(is_active=True)
        if not updated:
            StaffMembership.objects.create(user=client.user, mall_id=mall_id, role=Role.API_CLIENT)


@transaction.atomic
def api_client_create(*, name, malls, scopes, actor, rate_per_minute=600):
    """(client, token): the token is returned this once and never stored."""
    _require_admin(actor)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Required.")})
    malls = list(malls)
    if not malls:
        raise ValidationError({"malls": _("Choose at least one mall.")})
    if ApiClient.objects.filter(name=name).exists():
        raise ValidationError({"name": _("There is already a client of this name.")})
    user = get_user_model().objects.create(username=f"api:{name}"[:150], first_name=name[:150])
    user.set_unusable_password()
    user.save(update_fields=["password"])
    client = ApiClient(
        name=name, user=user, scopes=_check_scopes(scopes), rate_per_minute=rate_per_minute, created_by=actor
    )
    token = _set_token(client)
    client.save()
    client.malls.set(malls)
    _sync_memberships(client, malls)
    return client, token


@transaction.atomic
def api_client_update(*, client, actor, malls=None, scopes=None, rate_per_minute=None):
    _require_admin(actor)
    client = ApiClient.objects.select_for_update(of=("self",), no_key=True).get(pk=client.pk)
    fields = []
    if scopes is not None:
        client.scopes = _check_scopes(scopes)
        fields.append("scopes")
    if rate_per_minute is not None:
        client.rate_per_minute = rate_per_minute
        fields.append("rate_per_minute")
    if fields:
        client.save(update_fields=fields)
    if malls is not None:
        malls = list(malls)
        client.malls.set(malls)
        _sync_memberships(client, malls)
    return client


@transaction.atomic
def api_client_rotate(*, client, actor):
    """A new token; the old one stops working at once. Returns (client, new token)."""
    _require_admin(actor)
    client = ApiClient.objects.select_for_update(of=("self",), no_key=True).get(pk=client.pk)
    if client.is_revoked:
        raise ValidationError(_("A revoked client cannot get a new token; create a new client."))
    token = _set_token(client)
    client.rotated_at = timezone.now()
    client.save(update_fields=["token_hash", "token_hint", "rotated_at"])
    return client, token


@transaction.atomic
def api_client_revoke(*, client, actor):
    """The token stops working (401) and the client's webhooks stop; the record stays."""
    _require_admin(actor)
    client = ApiClient.objects.select_for_update(of=("self",), no_key=True).get(pk=client.pk)
    if client.revoked_at is None:
        client.revoked_at = timezone.now()
        client.save(update_fields=["revoked_at"])
        client.subscriptions.update(is_active=False)
        StaffMembership.objects.filter(user=client.user, role=Role.API_CLIENT).update(is_active=False)
    return client
