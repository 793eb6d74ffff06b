"""The complaint's service callback, kept by the follow-ups app (followups.Callback).

A complaint has one callback record: the service callback of the callback worklist, one per
round (a reopened complaint that is resolved again is called again). The complaint keeps no
copy of it. The follow-ups app sits above complaints (it reads complaints to schedule their
callbacks), so it provides the two operations here when it starts (followups.apps); the
complaint's services, pages, print and the customer's status page call this module, so no
arrow points up (as servicedesk.customer_links does for the customer's link).

- `service_callback(complaint)`: what the current round's callback says, as a
  `ServiceCallback` (None when no callback was made or scheduled yet);
  `service_callbacks(complaint)`: every round's, oldest first (the customer's timeline);
  `last_reached(complaint)`: the latest that reached the customer (the paper form).
- `record_call(complaint=..., actor=..., response=..., note=...)`: a call made from the
  complaint's page: recorded on the service callback through the follow-ups service, which
  moves the complaint (`response` "" for a failed attempt).
- `callback_note(user, pk)`: (kind, note) of any callback the user may see: a customer
  unsatisfied on a callback starts a new complaint (`?callback=<id>`) whose facts begin with it.
"""

from dataclasses import dataclass
from datetime import datetime

from servicedesk.provided import Provided


@dataclass(frozen=True)
class ServiceCallback:
    pk: int
    round: int
    status: str  # the callback's own state (followups.CallbackStatus)
    status_label: str
    due_on: object
    is_open: bool  # still to call (on the worklist)
    assignee: object  # a user, or None
    response: str  # what the customer said (CallbackResponse value), "" until reached
    response_label: str
    reached_at: datetime | None  # when the customer answered
    note: str
    failed_attempts: int  # calls that did not reach the customer

    @property
    def finished(self):
        return not self.is_open


_provided = Provided(
    "the followups app keeps the complaint's callback: add it to INSTALLED_APPS", "read", "record_call", "callback_note"
)
provide = _provided.provide
_get = _provided.get


def service_callbacks(complaint):
    """Every round's service callback of the complaint, oldest round first."""
    return _get("read")(complaint)


def service_callback(complaint):
    """The current round's service callback (None if none yet)."""
    for callback in service_callbacks(complaint):
        if callback.round == complaint.reopen_count:
            return callback
    return None


def last_reached(complaint):
    """The latest round's callback that reached the customer (None if none did): the callback
    line of the paper form, kept after a reopening."""
    reached = [callback for callback in service_callbacks(complaint) if callback.response]
    return reached[-1] if reached else None


def record_call(*, complaint, actor, response, note=""):
    """A call from the complaint's page: on the service callback (made now if the scheduler has
    not made it yet), through the follow-ups service, which moves the complaint."""
    return _get("record_call")(complaint=complaint, actor=actor, response=response, note=note)


def callback_note(user, pk):
    """(kind label, note) of the callback `pk` if `user` may see it and it has a note, else None."""
    return _get("callback_note")(user, pk)
