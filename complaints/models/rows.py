"""The rows of a complaint list (the register, my work, a merchant's complaints) as plain values.

A list page shows 50-500 complaints, each with its customer, merchant, booth, assignee and next
running clock. As model instances that is five to six objects a row, each made by Django's
`Model.__init__` over every field of its model (loaded or not): at 50 rows more time than the
register's SQL (issue #22). `list_rows(queryset)` reads the same columns as tuples, in two queries
whatever the number of rows (the complaints, then their running clocks), into `ComplaintRow`s,
which `complaint_tags.complaint_rows` renders; `ComplaintRow.of(complaint)` makes the same row from
a model instance (tests/complaints/test_register_rows.py renders both and the old template).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import connections, router

from merchants.models import GONE_STATES, MerchantStatus
from servicedesk.fixedsql import QueryShapes

from .choices import OPEN_STATES


@dataclass(slots=True)
class DeadlineRow:
    """The soonest running clock of a complaint (its `met_at` is None: it runs)."""

    kind: str
    due_at: datetime


@dataclass(slots=True)
class ComplaintRow:
    pk: int
    number: str
    status: str
    channel: str
    received_at: datetime
    official_visit: bool
    is_repeat: bool
    needs_escalation: bool
    category: str
    is_paused: bool
    customer_name: str
    customer_mobile: str
    merchant_brand: str | None  # None: no merchant named
    merchant_status: str | None
    booth_number: str | None  # None: no booth named
    assignee_name: str | None  # None: nobody assigned; else get_full_name() or username
    deadline: DeadlineRow | None

    @property
    def is_open(self):
        return self.status in OPEN_STATES

    @property
    def merchant_has_exited(self):
        return self.merchant_status in GONE_STATES

    @property
    def merchant_exit_noticed(self):
        return self.merchant_status == MerchantStatus.EXIT_NOTICED

    @classmethod
    def of(cls, complaint):
        """The row of a Complaint instance (from for_list() or for_register(): no query)."""
        deadline = complaint.next_deadline
        merchant = complaint.merchant if complaint.merchant_id else None
        assignee = complaint.assignee if complaint.assignee_id else None
        return cls(
            pk=complaint.pk,
            number=complaint.number,
            status=complaint.status,
            channel=complaint.channel,
            received_at=complaint.received_at,
            official_visit=complaint.official_visit,
            is_repeat=bool(complaint.repeat_of_id),
            needs_escalation=complaint.needs_escalation,
            category=complaint.category,
            is_paused=complaint.is_paused,
            customer_name=complaint.customer.name,
            customer_mobile=complaint.customer.mobile,
            merchant_brand=merchant.brand if merchant else None,
            merchant_status=merchant.status if merchant else None,
            booth_number=complaint.booth.number if complaint.booth_id else None,
            assignee_name=(assignee.get_full_name() or assignee.username) if assignee else None,
            deadline=DeadlineRow(deadline.kind, deadline.due_at) if deadline else None,
        )


# The columns read, in the order of the tuple `_row` takes apart.
COLUMNS = (
    "pk",
    "number",
    "status",
    "channel",
    "received_at",
    "official_visit",
    "repeat_of_id",
    "needs_escalation",
    "category",
    "paused_since",
    "customer__name",
    "customer__mobile",
    "merchant_id",
    "merchant__brand",
    "merchant__status",
    "booth_id",
    "booth__number",
    "assignee_id",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
)


def _full_name(first_name, last_name):
    """django.contrib.auth's AbstractUser.get_full_name()."""
    return f"{first_name} {last_name}".strip()


def _running_clocks(ids):
    """(complaint_id, kind, due_at) of the running clocks of these complaints, soonest first.

    The statement the ORM writes for `ComplaintDeadline.objects.filter(complaint_id__in=ids,
    met_at__isnull=True).order_by("due_at", "pk").values_list("complaint_id", "kind", "due_at")`,
    written once here: through the ORM, preparing 50 ids and compiling cost ~0.4 ms of Python a
    page for a three-column look-up (issue #22). Same database (the router's), same values
    (the database's converters applied to `due_at`, as the ORM would)."""
    from .clocks import ComplaintDeadline

    meta = ComplaintDeadline._meta
    alias = router.db_for_read(ComplaintDeadline)
    connection = connections[alias]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    complaint, kind, due, met, pk = (
        f"{table}.{quote(meta.get_field(name).column)}" for name in ("complaint", "kind", "due_at", "met_at", "id")
    )
    due_at = meta.get_field("due_at").get_col(meta.db_table)
    converters = connection.ops.get_db_converters(due_at) + due_at.get_db_converters(connection)
    # Names from the model, the ids all parameters.
    sql = (
        f"SELECT {complaint} AS {quote('complaint_id')}, {kind} AS {quote('kind')}, {due} AS {quote('due_at')}"  # noqa: S608
        f" FROM {table} WHERE ({complaint} IN ({', '.join(['%s'] * len(ids))}) AND {met} IS NULL)"
        f" ORDER BY 3 ASC, {pk} ASC"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        rows = cursor.fetchall()
    for complaint_id, kind, due in rows:
        for convert in converters:
            due = convert(due, due_at, connection)
        yield complaint_id, kind, due


def _columns(queryset):
    return queryset.prefetch_related(None).values_list(*COLUMNS)


# The register's pages are a few shapes (its mall or all malls, page 1, 2, ..., perhaps a status):
# each one's statement compiled once per process; building the 21 columns' joins and compiling
# them cost ~0.8 ms of Python a page (issue #22). Any other queryset goes through the ORM.
_SHAPES = QueryShapes(_columns)


def list_rows(queryset):
    """The complaints of `queryset` (filtered, ordered, sliced as the page wants them) as
    ComplaintRows, in two queries: the complaints' columns, then their running clocks."""
    values = _SHAPES.rows(queryset)
    soonest = {}
    if values:
        for complaint_id, kind, due_at in _running_clocks([v[0] for v in values]):
            soonest.setdefault(complaint_id, DeadlineRow(kind, due_at))
    return [
        ComplaintRow(
            pk=pk,
            number=number,
            status=status,
            channel=channel,
            received_at=received_at,
            official_visit=official_visit,
            is_repeat=bool(repeat_of_id),
            needs_escalation=needs_escalation,
            category=category,
            is_paused=paused_since is not None,
            customer_name=customer_name,
            customer_mobile=customer_mobile,
            merchant_brand=brand if merchant_id else None,
            merchant_status=merchant_status if merchant_id else None,
            booth_number=booth_number if booth_id else None,
            assignee_name=(_full_name(first_name, last_name) or username) if assignee_id else None,
            deadline=soonest.get(pk),
        )
        for (
            pk,
            number,
            status,
            channel,
            received_at,
            official_visit,
            repeat_of_id,
            needs_escalation,
            category,
            paused_since,
            customer_name,
            customer_mobile,
            merchant_id,
            brand,
            merchant_status,
            booth_id,
            booth_number,
            assignee_id,
            username,
            first_name,
            last_name,
        ) in values
    ]
