"""servicedesk.provided: what a higher app provides to a lower one at start-up."""

import pytest

from servicedesk import customer_links, long_exports, sales
from servicedesk.provided import Provided


def test_an_operation_not_provided_names_the_missing_app():
    provided = Provided("the portal app provides the customer's links: add it to INSTALLED_APPS", "case_sms")
    with pytest.raises(RuntimeError, match="portal app"):
        provided.get("case_sms")


def test_provided_operations_are_called_and_every_one_must_be_given():
    provided = Provided("missing", "read", "write")
    with pytest.raises(TypeError):
        provided.provide(read=len)
    with pytest.raises(TypeError):
        provided.provide(read=len, write=print, delete=print)
    provided.provide(read=len, write=print)
    assert provided.get("read")("abc") == 3
    with pytest.raises(KeyError):
        provided.get("delete")


def test_the_installed_apps_provide_what_the_lower_apps_call():
    # The apps' ready() ran at start-up: each operation is there.
    assert callable(customer_links._get("printed_link"))
    assert callable(sales._get("purchases_of"))
    assert callable(long_exports._get("queue"))
