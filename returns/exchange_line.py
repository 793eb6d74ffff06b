"""The exchanges' line of the returns summary register (退换货汇总: one paper form for both).

The exchanges app sits above returns (it keeps the return window and the sale checks), so it
provides the line here when it starts (exchanges.apps); the summary page calls this module, so
no arrow points up (as servicedesk.customer_links does for the customer's link).

`exchange_line(user, mall, start, end)`: the exchanges requested in [start, end] that the user
may see (of `mall`, the mall they work in, if not None), in one aggregate query: count, quality,
refused, delivered, closed, paid_in, refunded.
"""

from servicedesk.provided import Provided

_provided = Provided("the exchanges app gives the summary its exchanges' line: add it to INSTALLED_APPS", "line")
provide = _provided.provide


def exchange_line(user, mall, start, end):
    return _provided.get("line")(user, mall, start, end)
