"""The no-reason returns as the complaint intake reads them, kept by the returns app.

A return whose merchant refused goes on as a complaint (DOMAIN.md §3: advance compensation):
the return's page opens the intake with `?return=<id>`, and the intake's customer lookup lists
the customer's return requests. The returns app sits above complaints, so it provides the two
readers here when it starts (returns.apps, from returns.for_complaints); the intake calls this
module, so no arrow points up (as complaints.callbacks does for the follow-ups app).

- `return_for(user, pk)`: the return request with that id if the user may see it (its mall),
  else None; its customer, merchant and booth loaded (one query). A `returns.ReturnRequest`
  row: read its fields, change nothing through it.
- `returns_of(customer, limit=10)`: the customer's return requests for the lookup, newest
  first, as dicts (number, requested, status, merchant, goods, voucher, open); one query.
"""

from servicedesk.provided import Provided

_provided = Provided(
    "the returns app keeps the return requests: add it to INSTALLED_APPS",
    "return_for",
    "returns_of",
)
provide = _provided.provide
_get = _provided.get


def return_for(user, pk):
    """The return request `pk` if `user` may see it, else None."""
    return _get("return_for")(user, pk)


def returns_of(customer, limit=10):
    """The customer's return requests for the intake's lookup, newest first."""
    return _get("returns_of")(customer, limit)
