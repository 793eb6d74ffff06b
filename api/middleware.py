"""Refuse an oversized API body before anything reads it."""

from django.conf import settings
from django.utils.translation import gettext as _

from .errors import json_error


class ApiBodyLimitMiddleware:
    """A request to /api/ declaring more than API_MAX_BODY_BYTES is answered 413 from its
    Content-Length alone, before a byte of the body is read or parsed; a body without a length
    (chunked) is refused with 411, since its size cannot be known in advance."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/api/"):
            length = request.META.get("CONTENT_LENGTH") or ""
            if request.META.get("HTTP_TRANSFER_ENCODING", "").lower() == "chunked":
                return json_error(
                    request, 411, "length_required", lambda: _("Send the body with a Content-Length header.")
                )
            try:
                size = int(length) if length else 0
            except ValueError:
                size = -1
            if size < 0:
                return json_error(request, 400, "bad_length", lambda: _("The Content-Length header is not a number."))
            if size > settings.API_MAX_BODY_BYTES:
                limit = settings.API_MAX_BODY_BYTES // (1024 * 1024)
                return json_error(
                    request,
                    413,
                    "body_too_large",
                    lambda: (
                        _("The body is larger than %(mb)s MB; send at most 5,000 sales per request.") % {"mb": limit}
                    ),
                )
        return self.get_response(request)
