"""The client's address, read correctly behind the documented reverse proxy.

nginx (docs/operations.md) sets `X-Forwarded-For: $proxy_add_x_forwarded_for`: whatever the
client sent, then the address nginx itself saw. Only the entries added by our own proxies can
be trusted, so with `PROXY_COUNT` proxies in front the client is the PROXY_COUNT-th entry from
the right; anything further left was written by the client and is ignored. With no proxy (the
default) the header is ignored altogether and the socket's address is the client.

Used by the login lockout (django-axes, `AXES_CLIENT_IP_CALLABLE`), so a lockout is per
(user, address) and the login records keep the attacker's real address.

django-ipware was tried (8.0 with python-ipware 4.1, what axes uses when installed): behind one
nginx its "right-most" mode answers None for a plain request and, when the client sends its own
X-Forwarded-For, either None or an address the client chose; hence this small reading.
"""

import ipaddress

from django.conf import settings


def client_ip(request):
    remote = request.META.get("REMOTE_ADDR") or None
    hops = getattr(settings, "PROXY_COUNT", 0)
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < hops:
        return remote  # not through our proxies: the socket is all we know
    candidate = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def login_username(request, credentials=None):
    """The username axes records and locks by, cut to the longest a user can have (150 characters;
    axes stores 255, and a longer one used to end in a database error, a 500 at login)."""
    if credentials and credentials.get("username") is not None:
        name = credentials["username"]
    else:
        data = getattr(request, "data", None) or request.POST
        name = data.get("username")
    return name[:150] if isinstance(name, str) else name
