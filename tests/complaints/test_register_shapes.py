"""The register's statements compiled once per shape (servicedesk.fixedsql.QueryShapes, issue #22):
every request sends exactly the statements, parameters and rows the ORM would, and renders the same
page, for officers, a member of two malls, a supervisor, head office and a manager, first and
later pages, the filters (each shape and the ones that go to the ORM), searches and another mall
named; a shape is compiled once and reused with other values; anything but plain `column = value`
conditions is left to the ORM; values go as the lookups prepared them; equal values wait for a
shape to be compiled with distinct ones; a full cache still answers; converters get the running
thread's connection."""

import re
from unittest import mock

import pytest
from django.db import connection, connections
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from complaints.models import Category, Channel, Complaint, Status
from complaints.models.rows import _SHAPES, COLUMNS
from servicedesk import fixedsql
from servicedesk.models import StaffMembership
from servicedesk.pagination import _COUNTS, BoundedPaginator
from servicedesk.roles import Role
from tests.complaints.factories import ComplaintFactory
from tests.factories import MallFactory, make_staff

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
NOW = re.compile(r"'[0-9T:.+-]+'::timestamptz")  # the session's expiry is compared with now


@pytest.fixture
def chain(mall, other_mall, staff):
    third = MallFactory(code="HZ01", name="杭州商场", city="杭州")
    officer = staff(Role.COMPLAINT_OFFICER, first_name="小", last_name="王")
    for n in range(7):
        ComplaintFactory(
            mall=mall,
            assignee=officer if n % 2 else None,
            status=[Status.REGISTERED, Status.ASSIGNED, Status.CLOSED][n % 3],
            channel=[Channel.WALK_IN, Channel.PHONE][n % 2],
            category=[Category.QUALITY, Category.DELIVERY][n % 2],
        )
    for n in range(4):
        ComplaintFactory(mall=other_mall, status=Status.ASSIGNED if n % 2 else Status.REGISTERED)
    ComplaintFactory(mall=third)
    two_malls = make_staff(Role.COMPLAINT_OFFICER, other_mall)
    StaffMembership.objects.create(user=two_malls, mall=mall, role=Role.COMPLAINT_OFFICER)
    return {
        "officer": officer,
        "other officer": make_staff(Role.COMPLAINT_OFFICER, other_mall),
        "two malls": two_malls,
        "supervisor": staff(Role.SUPERVISOR),
        "head office": staff(Role.HEAD_OFFICE),
        "manager": make_staff(Role.MANAGER, other_mall),
        "malls": (mall, other_mall, third),
    }


QUERIES = [
    "",
    "page=2",
    "page=3",
    "page=x",
    "status=assigned",
    "status=closed&page=2",
    "status=assigned&category=Q",
    "category=D&channel=phone",
    "status=nope",
    "overdue=on",
    "q=138",
    "q=TS-X-20261126-0001",
    "received_from=2026-01-01",
    "repeats=true",
    "mall=WX01",
    "mall=SH01&status=registered",
]


def _orm_only():
    return mock.patch.object(fixedsql, "_shape", return_value=None)


def _get(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return [NOW.sub("NOW", q["sql"]) for q in queries.captured_queries], CSRF.sub("CSRF", response.content.decode())


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("who", ["officer", "other officer", "two malls", "supervisor", "head office", "manager"])
def test_every_request_sends_the_statements_the_orm_writes(client, chain, who, language, monkeypatch):
    monkeypatch.setattr(BoundedPaginator.__init__, "__kwdefaults__", {"page": None, "floor": 2})  # pages of 2
    monkeypatch.setattr("complaints.views.registers.PAGE_SIZE", 2)
    client.force_login(chain[who])
    client.cookies["django_language"] = language
    for query in QUERIES:
        path = f"/complaints/?{query}"
        with _orm_only():
            expected = _get(client, path)
        assert _get(client, path) == expected, query  # compiled now, or reused
        assert _get(client, path) == expected, query  # reused


def test_the_mall_and_page_shapes_are_compiled_once_and_reused(client, chain, monkeypatch):
    monkeypatch.setattr(_SHAPES, "_statements", {})
    monkeypatch.setattr(_COUNTS, "_statements", {})
    monkeypatch.setattr("complaints.views.registers.PAGE_SIZE", 2)  # a full page in each mall
    compiled = []
    real = fixedsql.QueryShapes._compile
    monkeypatch.setattr(
        fixedsql.QueryShapes, "_compile", lambda self, *args: compiled.append(self) or real(self, *args)
    )
    for who in ("officer", "other officer", "two malls"):
        client.force_login(chain[who])
        client.get("/complaints/")
    assert compiled == [_COUNTS, _SHAPES]  # one shape: `mall_id = %s`, page 1
    client.force_login(chain["head office"])
    client.get("/complaints/")
    client.get("/complaints/?page=2")
    assert len(compiled) == 2 + 2 + 1  # no condition, page 1; page 2 (the same count)
    assert len(_SHAPES._statements) == 3 and all(_SHAPES._statements.values())


def _sliced(queryset):
    return queryset.order_by("-received_at", "-pk")[:3]


@pytest.mark.parametrize(
    "narrow",
    [
        lambda qs, mall: qs.filter(mall=mall),
        lambda qs, mall: qs.filter(mall=mall.pk, status="assigned"),
        lambda qs, mall: qs.filter(status="assigned", mall=mall),  # the other order: another shape
        lambda qs, mall: qs.filter(mall_id=mall.pk).filter(category="Q").filter(channel="walk_in"),
        lambda qs, mall: qs.filter(customer__mall=mall),  # across a join
        lambda qs, mall: qs.filter(mall=mall).select_related("customer").only("number", "customer__name"),
        lambda qs, mall: qs.filter(mall=mall).order_by("pk").distinct(),
    ],
)
def test_shapes_give_the_orms_rows_and_sql_for_other_values(chain, narrow):
    for mall in chain["malls"]:
        queryset = _sliced(narrow(Complaint.objects.all(), mall))
        with _orm_only(), CaptureQueriesContext(connection) as orm:
            expected = list(queryset.values_list(*COLUMNS))
        with CaptureQueriesContext(connection) as shaped:
            assert _SHAPES.rows(queryset) == expected
        assert [q["sql"] for q in shaped.captured_queries] == [q["sql"] for q in orm.captured_queries]
        assert _SHAPES.statement(queryset) is not None


@pytest.mark.parametrize(
    "narrow",
    [
        lambda qs: qs.filter(status__in=["assigned", "closed"]),
        lambda qs: qs.filter(Q(status="assigned") | Q(status="closed")),
        lambda qs: qs.exclude(status="assigned"),
        lambda qs: qs.filter(number__contains="0001"),
        lambda qs: qs.filter(received_at__date__gte="2026-01-01"),
        lambda qs: qs.filter(repeat_of__isnull=True),
        lambda qs: qs.filter(official_visit=True),
        lambda qs: qs.annotate(n=Q(status="closed")).filter(status="closed"),
        lambda qs: qs.none(),
    ],
)
def test_other_conditions_go_to_the_orm(chain, narrow):
    queryset = narrow(Complaint.objects.all())[:3]
    assert _SHAPES.statement(queryset) is None
    with _orm_only():
        expected = list(queryset.values_list(*COLUMNS))
    assert _SHAPES.rows(queryset) == expected


def test_equal_values_are_not_compiled_until_they_differ(chain, monkeypatch):
    monkeypatch.setattr(_SHAPES, "_statements", {})

    def same():  # (a queryset a statement was built from may keep traces of it: a fresh one)
        return _sliced(Complaint.objects.filter(number="x", status="x"))

    assert _SHAPES.statement(same()) is None and not _SHAPES._statements
    assert _SHAPES.rows(same()) == []
    other = _sliced(Complaint.objects.filter(number=Complaint.objects.first().number, status="registered"))
    assert len(_SHAPES.rows(other)) == 1 and len(_SHAPES._statements) == 1
    sql, params, _converters = _SHAPES.statement(same())  # the shape is known: `x` twice is safe
    assert params == ["x", "x"] and sql.index('"number" = %s') < sql.index('"status" = %s')
    assert _SHAPES.rows(same()) == []


def test_values_as_the_lookups_prepared_them(chain):
    # The lookup made 12 the text "12" (CharField.get_prep_value) before any shape saw it.
    queryset = _sliced(Complaint.objects.filter(number=12, mall=chain["malls"][0]))
    with _orm_only(), CaptureQueriesContext(connection) as orm:
        expected = list(queryset.values_list(*COLUMNS))
    with CaptureQueriesContext(connection) as shaped:
        assert _SHAPES.rows(queryset) == expected
    assert shaped.captured_queries[0]["sql"] == orm.captured_queries[0]["sql"]


def test_a_full_cache_still_answers(chain, monkeypatch):
    monkeypatch.setattr(_SHAPES, "_statements", {})
    monkeypatch.setattr(_SHAPES, "size", 1)
    mall = chain["malls"][0]
    for n in range(1, 4):
        queryset = Complaint.objects.filter(mall=mall).order_by("-pk")[:n]
        with _orm_only():
            expected = list(queryset.values_list(*COLUMNS))
        assert _SHAPES.rows(queryset) == expected
    assert len(_SHAPES._statements) == 1


def test_converters_get_this_threads_connection(chain, monkeypatch):
    # A statement compiled in one thread is run in others (gthread workers): the ORM's converters
    # are called with the connection of the thread running it, not the compiling one's.
    monkeypatch.setattr(_SHAPES, "_statements", {})

    def queryset():
        return _sliced(Complaint.objects.filter(mall=chain["malls"][0]))

    expected = _SHAPES.rows(queryset())
    ((key, (sql, converters)),) = _SHAPES._statements.items()
    seen = []

    def record(value, expression, connection_):
        seen.append(connection_)
        return value

    _SHAPES._statements[key] = (sql, {**converters, 0: ([record], None)})
    assert _SHAPES.rows(queryset()) == expected
    assert len(seen) == len(expected) == 3 and all(seen_ is connections["default"] for seen_ in seen)
