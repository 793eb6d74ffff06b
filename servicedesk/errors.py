"""Error pages (400, 403, 404, 500 and the CSRF refusal) in the site's layout and the reader's
language. A 404 says nothing about whether the record exists (another mall's record is a 404
too); a 403 shows the service's reason when it gave one (the proposer never approves ...)."""

import logging

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def _page(request, status, title, text, reason="", kind=""):
    return render(
        request,
        f"{status}.html",
        {"status": status, "error_title": title, "error_text": text, "reason": reason, "kind": kind},
        status=status,
    )


def bad_request(request, exception=None):
    return _page(
        request, 400, _("The request could not be understood"), _("Go back, check what you entered and try again.")
    )


def permission_denied(request, exception=None):
    reason = str(exception) if exception is not None and exception.args else ""
    return _page(
        request,
        403,
        _("You may not open this page"),
        _(
            "Your role does not include this page or this action. If you need it for your work, ask your "
            "supervisor or the administrator."
        ),
        reason,
    )


def page_not_found(request, exception=None):
    # The exception's text ("No Complaint matches the given query") is internal: never shown.
    return _page(
        request,
        404,
        _("This page does not exist"),
        _("The address may be mistyped, or the record is not one you can see. Use the menu or search to find it."),
    )


def server_error(request):
    """Rendered in the layout when the layout itself still works (its menu reads the database);
    otherwise a plain page in the same words."""
    try:
        return _page(
            request,
            500,
            _("Something went wrong on our side"),
            _(
                "The page could not be shown. Nothing you sent was half-saved: try again in a minute; if it "
                "happens again, tell the administrator the time it happened."
            ),
        )
    except Exception:  # the layout needs what may have failed (database, cache)
        logger.exception("the 500 page could not use the layout")
        return HttpResponse(render_to_string("errors/500_plain.html"), status=500)


def csrf_failure(request, reason=""):
    return _page(
        request,
        403,
        _("This form has expired"),
        _("The page was open too long or you signed in again elsewhere. Go back, reload the page and send it again."),
        kind="csrf",
    )
