"""The customer's link to a case, as the apps that own the cases reach it.

Complaints, returns, follow-ups and compensations text the customer and print the status link,
and the complaint's page shows the messages sent through it and writes to the customer; but the
link lives in the portal app, which sits above them (it shows their cases). The portal provides
the operations here when it starts (portal.apps); the case apps call this module, so no arrow
points up.
"""

from servicedesk.provided import Provided

_provided = Provided(
    "the portal app provides the customer's links: add it to INSTALLED_APPS",
    "case_sms",
    "printed_link",
    "valid_days_after_end",
    "conversation",
    "message_to_customer",
)
provide = _provided.provide
_get = _provided.get


def case_sms(case, *, event, occasion, **params):
    """Queue SMS `event` about `case` to its customer, once per `occasion`, with a fresh link,
    inside the caller's transaction (portal.notify.case_sms)."""
    return _get("case_sms")(case, event=event, occasion=occasion, **params)


def printed_link(case):
    """A fresh link for a printout: (url, QR code as a data URI) (portal.qr.printed_link)."""
    return _get("printed_link")(case)


def valid_days_after_end(mall):
    """How long after a case ends its links still open, by the mall's settings (portal.LinkPolicy)."""
    return _get("valid_days_after_end")(mall)


def conversation(case):
    """The messages between the desk and the customer on `case`, oldest first, each with its
    author loaded: a queryset of portal.CaseMessage, to read (portal.services.case_messages)."""
    return _get("conversation")(case)


def message_to_customer(*, case, actor, text):
    """The desk writes to the customer, shown on the case's status page; checks the actor's role
    and the text (portal.services.message_to_customer)."""
    return _get("message_to_customer")(case=case, actor=actor, text=text)
