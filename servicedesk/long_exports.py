"""A register too long to build in the request is built by a worker, with a progress page.

The reports app keeps the exports (reports.ReportExport, the worker that builds them, the page
that shows their progress and hands the file over) and sits above the apps whose registers it
builds. It provides the one operation here when it starts (reports.apps); an app below asks
through this module, so no arrow points up (as servicedesk.customer_links does for the link):

    return redirect(long_exports.queue(user=request.user, kind="callback_register", params=params))

`kind` names the export (a `reports.ReportExport.Kind`; its builder, the app's own function, is
named in `reports.services.BUILDERS`); `params` is what the builder reads, as JSON.
"""

from servicedesk.provided import Provided

_provided = Provided(
    "the reports app builds long exports: add it to INSTALLED_APPS",
    "queue",
)
provide = _provided.provide
_get = _provided.get


def queue(*, user, kind, params):
    """Queue the export for a worker; returns the address of its progress page."""
    return _get("queue")(user=user, kind=kind, params=params)
