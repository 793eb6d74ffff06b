"""What a customer's page shows and offers, contributed by the apps: the base package imports none.

Each app that keeps records about customers registers, in its AppConfig.ready():

    from servicedesk.customer_records import register_records, register_action
    register_records("complaints", _("Complaint"), complaint_records, section="complaints")
    register_action("complaint", _("New complaint"), "complaints:intake", roles=(...), sale_label=...)

`records_of(customer, limit)` returns at most `limit` `CustomerRecord`s, newest first, in ONE query
whatever their number (the customer page pins its query count). `section` names the desk section
(servicedesk.navigation) a role needs to open the records: every role that sees the customer sees
them listed, linked only for the roles that may open them. An action is a link to a form that
reads `?customer=<id>`, and, given a `sale_label`, `?sale=<id>` for each of their purchases.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime, time

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from .access import roles_in
from .fixedurls import fixed_reverse
from .navigation import section as desk_section

# No customer needs more on one screen; the page says when a kind is cut.
RECORDS_PER_KIND = 200


@dataclass(frozen=True)
class CustomerRecord:
    kind: str
    kind_label: str
    when: datetime
    number: str
    url: str
    summary: str = ""
    status: str = ""
    is_open: bool = False
    # For a purchase: the sale's id, so the page can offer "complaint / return about this sale".
    sale_id: int | None = None


@dataclass(frozen=True)
class RecordSource:
    key: str
    label: str
    records_of: object
    section: str
    order: int


@dataclass(frozen=True)
class CustomerAction:
    key: str
    label: str
    url_name: str
    roles: tuple
    per_sale: bool
    order: int
    anchor: str = ""
    sale_label: str = ""
    shortcut: str = ""


@dataclass
class CustomerPage:
    records: list
    counts: list = field(default_factory=list)
    cut: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    rows: list = field(default_factory=list)


_SOURCES = {}
_ACTIONS = {}


def register_records(key, label, records_of, *, section, order=50):
    _SOURCES[key] = RecordSource(key, label, records_of, section, order)


def register_action(key, label, url_name, *, roles, sale_label="", order=50, anchor="", shortcut=""):
    """`sale_label` (e.g. "Return this sale") offers the action on each purchase too; `shortcut`
    (a key name such as "F2") opens the form from every page of the desk (static/js/desk.js)."""
    _ACTIONS[key] = CustomerAction(
        key, label, url_name, tuple(roles), bool(sale_label), order, anchor, sale_label, shortcut
    )


def unregister(key):
    _SOURCES.pop(key, None)
    _ACTIONS.pop(key, None)


def day_start(day):
    """A date as the start of that day in the desk's time zone, to sort with the timestamps."""
    return timezone.make_aware(datetime.combine(day, time.min))


def action_url(action, *, customer=None, sale=None):
    params = {"sale": sale} if sale is not None else {"customer": customer.pk}
    url = f"{reverse(action.url_name)}?{urlencode(params)}"
    return f"{url}#{action.anchor}" if action.anchor else url


def customer_page(customer, user, *, may_act):
    """Every record of the customer, newest first, and the actions the user may take for this
    customer (none unless `may_act`: the user works in the customer's mall now).

    `rows` pairs each record with its own actions (a purchase: "complaint about this sale",
    "return this sale"); `counts` is (source, records, open ones) per kind."""
    roles = roles_in(user, customer.mall_id)
    page = CustomerPage(records=[])
    for source in sorted(_SOURCES.values(), key=lambda s: s.order):
        records = list(source.records_of(customer, RECORDS_PER_KIND))
        if not (user.is_superuser or set(desk_section(source.section).roles) & roles):
            # Listed for the whole picture, but not linked to a page the role may not open.
            records = [replace(record, url="") for record in records]
        page.records.extend(records)
        page.counts.append((source, len(records), sum(1 for r in records if r.is_open)))
        if len(records) >= RECORDS_PER_KIND:
            page.cut.append(source.label)
    page.records.sort(key=lambda r: r.when, reverse=True)
    allowed = []
    if may_act:
        allowed = [a for a in sorted(_ACTIONS.values(), key=lambda a: a.order) if set(a.roles) & roles]
    page.actions = [{"action": a, "url": action_url(a, customer=customer)} for a in allowed]
    page.rows = [
        {
            "record": record,
            "actions": [(a.sale_label, action_url(a, sale=record.sale_id)) for a in allowed if a.per_sale]
            if record.sale_id is not None
            else [],
        }
        for record in page.records
    ]
    return page


def actions_for_new_number(user, mall, mobile):
    """A caller the desk does not know yet: the same actions, with the typed mobile carried over
    (`?mobile=`), for the roles that may take them in the mall the user works in."""
    if mall is None:
        return []
    roles = roles_in(user, mall)
    actions = []
    for action in sorted(_ACTIONS.values(), key=lambda a: a.order):
        if set(action.roles) & roles:
            url = f"{reverse(action.url_name)}?{urlencode({'mobile': mobile})}"
            actions.append({"action": action, "url": f"{url}#{action.anchor}" if action.anchor else url})
    return actions


def shortcuts_for(user, mall):
    """The keyboard shortcuts the user's roles in `mall` may use: [{key, label, url}]."""
    if mall is None:
        return []
    roles = roles_in(user, mall)
    return [
        {"key": a.shortcut, "label": a.label, "url": fixed_reverse(a.url_name)}
        for a in sorted(_ACTIONS.values(), key=lambda a: a.order)
        if a.shortcut and set(a.roles) & roles
    ]
