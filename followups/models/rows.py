"""The callback worklist's rows as plain values, not model instances.

The worklist showed each due callback as five model instances (callback, customer, sale,
complaint, assignee, each through `Model.__init__` over every field of its model) and wrote each
row through a template: ~148k Python calls a page for an officer with a hundred calls, the
slowest desk page under load (issue #22). `callback_rows(queryset)` reads the columns the rows
show in one query into `CallbackRow`s; `CallbackRow.of(callback)` makes the same row from a model
instance (tests/followups/test_worklist_rows.py compares both with the template they replaced).
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from .callbacks import CallbackKind


class CustomerRow(NamedTuple):
    """What the worklist shows of a customer, and what logging a full number needs
    (servicedesk.phone_access.full_phones_shown reads `pk` and `mall_id`)."""

    pk: int
    mall_id: int
    name: str
    mobile: str


@dataclass(slots=True)
class CallbackRow:
    pk: int
    kind: str
    customer: CustomerRow
    sale_id: int | None
    order_number: str | None  # the sale's, None for a complaint's callback
    goods: str | None
    complaint_number: str | None  # None for a sale's callback
    deadline_on: date
    overdue: bool  # marked overdue (overdue_at set)
    attempts: int
    next_attempt_at: datetime | None
    assignee_name: str | None  # None: nobody assigned; else how the product names a person

    @property
    def is_home_visit(self):
        return self.kind == CallbackKind.HOME_VISIT

    @classmethod
    def of(cls, callback):
        """The row of a Callback instance (from for_list(): no query)."""
        customer = callback.customer
        sale = callback.sale if callback.sale_id else None
        return cls(
            pk=callback.pk,
            kind=callback.kind,
            customer=CustomerRow(customer.pk, customer.mall_id, customer.name, customer.mobile),
            sale_id=callback.sale_id,
            order_number=sale.order_number if sale else None,
            goods=sale.goods if sale else None,
            complaint_number=callback.complaint.number if callback.complaint_id else None,
            deadline_on=callback.deadline_on,
            overdue=callback.overdue_at is not None,
            attempts=callback.attempts,
            next_attempt_at=callback.next_attempt_at,
            assignee_name=str(callback.assignee) if callback.assignee_id else None,
        )


# The columns read, in the order `callback_rows` takes each tuple apart.
COLUMNS = (
    "pk",
    "kind",
    "customer_id",
    "customer__mall_id",
    "customer__name",
    "customer__mobile",
    "sale_id",
    "sale__order_number",
    "sale__goods",
    "complaint_id",
    "complaint__number",
    "deadline_on",
    "overdue_at",
    "attempts",
    "next_attempt_at",
    "assignee_id",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
)


def _person_name(username, first_name, last_name):
    """servicedesk.apps.person_name (str() of a user): the full name, else the username."""
    return f"{first_name} {last_name}".strip() or username


def callback_rows(queryset):
    """The callbacks of `queryset` (filtered, ordered, sliced as the page wants them) as
    CallbackRows, in one query. A customer's row is one object however many of their callbacks
    are listed."""
    customers = {}
    rows = []
    for (
        pk,
        kind,
        customer_id,
        mall_id,
        name,
        mobile,
        sale_id,
        order_number,
        goods,
        complaint_id,
        complaint_number,
        deadline_on,
        overdue_at,
        attempts,
        next_attempt_at,
        assignee_id,
        username,
        first_name,
        last_name,
    ) in queryset.values_list(*COLUMNS):
        customer = customers.get(customer_id)
        if customer is None:
            customer = customers[customer_id] = CustomerRow(customer_id, mall_id, name, mobile)
        rows.append(
            CallbackRow(
                pk=pk,
                kind=kind,
                customer=customer,
                sale_id=sale_id,
                order_number=order_number if sale_id else None,
                goods=goods if sale_id else None,
                complaint_number=complaint_number if complaint_id else None,
                deadline_on=deadline_on,
                overdue=overdue_at is not None,
                attempts=attempts,
                next_attempt_at=next_attempt_at,
                assignee_name=_person_name(username, first_name, last_name) if assignee_id else None,
            )
        )
    return rows
