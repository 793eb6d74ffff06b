"""Bearer tokens of API clients, scopes, the per-client rate limit, and the caller's language."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiClient, hash_token

LAST_USED_EVERY = timedelta(minutes=1)


class TokenRevoked(exceptions.AuthenticationFailed):
    default_detail = _("This token has been revoked.")
    default_code = "token_revoked"


class BadToken(exceptions.AuthenticationFailed):
    default_detail = _("The token is not valid.")
    default_code = "token_invalid"


class ClientTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer sdk_...`: request.user is the client's own user, request.auth the
    ApiClient. A revoked or unknown token is 401; no token is 401 as well."""

    keyword = b"bearer"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header:
            return None
        if header[0].lower() != self.keyword or len(header) != 2:
            raise BadToken()
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise BadToken() from None
        client = ApiClient.objects.select_related("user").filter(token_hash=hash_token(token)).first()
        if client is None:
            raise BadToken()
        if client.is_revoked:
            raise TokenRevoked()
        now = timezone.now()
        if client.last_used_at is None or client.last_used_at < now - LAST_USED_EVERY:
            ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
            client.last_used_at = now
        return client.user, client

    def authenticate_header(self, request):
        return 'Bearer realm="servicedesk"'


class ClientTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.ClientTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "An API client's token (sdk_...)."}


class HasScope(BasePermission):
    """The view's `required_scope` (or `required_scopes[method]`) must be among the client's."""

    message = _("This client does not have the scope this needs.")
    code = "scope_missing"

    def has_permission(self, request, view):
        client = request.auth
        if not isinstance(client, ApiClient):
            return False
        scopes = getattr(view, "required_scopes", {}) or {}
        needed = scopes.get(request.method, scopes.get("*", getattr(view, "required_scope", None)))
        if needed is None:
            return True
        if isinstance(needed, str):
            needed = (needed,)
        return any(client.has_scope(scope) for scope in needed)


class ClientRateThrottle(SimpleRateThrottle):
    """Per client, `rate_per_minute` requests in any 60 seconds, counted in the default cache
    (Redis in production and in the tests): every web process shares the count."""

    scope = "client"

    def __init__(self):  # the rate is the client's own, set per request
        pass

    def allow_request(self, request, view):
        client = request.auth
        if not isinstance(client, ApiClient):
            return True
        self.rate = f"{client.rate_per_minute}/m"
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return f"api-throttle:{request.auth.pk}"
