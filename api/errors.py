"""Every API error is JSON: {"code": ..., "message": ..., "fields": {...}} in the caller's
language (Accept-Language: English when asked for, Chinese otherwise)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

SUPPORTED = {"en": "en", "zh": "zh-hans"}


def caller_language(request):
    """The first language of Accept-Language that the desk speaks; Chinese by default."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _q in translation.trans_real.parse_accept_lang_header(header)[:10]:
        base = code.lower().split("-")[0]
        if base in SUPPORTED:
            return SUPPORTED[base]
    return settings.LANGUAGE_CODE


def _flatten(detail, prefix=""):
    """{"field": ["message", ...]}, nested errors under dotted paths ("sales.3", "attachments.0.name")."""
    out = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            path = prefix if key == "non_field_errors" and prefix else (f"{prefix}.{key}" if prefix else str(key))
            for name, messages in _flatten(value, path).items():
                out.setdefault(name, []).extend(messages)
    elif isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        for position, item in enumerate(detail):
            for name, messages in _flatten(item, f"{prefix}.{position}" if prefix else str(position)).items():
                out.setdefault(name, []).extend(messages)
    elif isinstance(detail, list):
        out[prefix or "non_field_errors"] = [str(item) for item in detail]
    else:
        out[prefix or "non_field_errors"] = [str(detail)]
    return out


def error_body(code, message, fields=None):
    body = {"code": code, "message": str(message)}
    if fields:
        body["fields"] = fields
    return body


def api_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError(exc.message_dict)
        else:
            exc = exceptions.ValidationError({"non_field_errors": exc.messages})
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        body = error_body("invalid", _("The request has errors; see the fields."), _flatten(detail))
    else:
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "error"
        body = error_body(code, exc.detail if not isinstance(exc.detail, dict | list) else exc.default_detail)
    response.data = body
    return response


def json_error(request, status_code, code, message):
    with translation.override(caller_language(request)):
        return JsonResponse(error_body(code, message() if callable(message) else message), status=status_code)


@csrf_exempt  # token callers carry no CSRF cookie; this view changes nothing
def not_found(request, *args, **kwargs):
    """Any /api/ path that is not an endpoint, whatever the method."""
    return json_error(request, status.HTTP_404_NOT_FOUND, "not_found", lambda: _("Not found."))


class ErrorResponse(Response):
    pass
