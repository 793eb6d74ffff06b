"""The unified cashier's sales as the forms of the apps below the follow-ups app read them.

The sales are imported and kept by the follow-ups app (followups.Sale), which sits above
complaints and returns (it calls their customers back). A complaint or a return is opened for a
sale (`?sale=<id>`, see servicedesk.customer_records) and offers the customer's purchases to
pick; the follow-ups app provides the two readers here when it starts (followups.apps), the
forms call this module, so no arrow points up (as servicedesk.customer_links does for the link).

- `sale_for(user, pk)`: the sale with that id if the user may see it (its mall), else None; its
  customer, merchant and booth loaded (one query).
- `purchases_of(customer, limit=20, mall=None)`: the customer's sales (a Customer or its id; of
  `mall` only, if given), newest first, merchant and booth loaded (one query).

Both give `followups.Sale` rows: read their fields, change nothing through them.
"""

from servicedesk.provided import Provided

_provided = Provided(
    "the followups app keeps the sales: add it to INSTALLED_APPS",
    "sale_for",
    "purchases_of",
)
provide = _provided.provide
_get = _provided.get


def sale_for(user, pk):
    """The sale `pk` if `user` may see it, else None."""
    return _get("sale_for")(user, pk)


def purchases_of(customer, limit=20, mall=None):
    """The customer's unified-cashier purchases, newest first (at most `limit`)."""
    return _get("purchases_of")(customer, limit, mall)
