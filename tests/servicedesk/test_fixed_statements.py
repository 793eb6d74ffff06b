"""The statements of every request compiled once per process (servicedesk/fixedsql.py, issue #22):
the session row, the user's memberships with their malls, the bell's count, head office's mall
switcher. Each gives what the ORM gave, runs as one counted query, and is really compiled once
(a statement that fell back to the ORM would be correct but no faster)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from servicedesk import access, sessions
from servicedesk.fixedsql import FixedQuery, Literal
from servicedesk.middleware import switchable_malls, switcher_rows
from servicedesk.models import Mall, Notification, StaffMembership
from servicedesk.notifications import _unread_count_statement, unread_count
from servicedesk.roles import Role
from tests.factories import MallFactory, UserFactory

pytestmark = pytest.mark.django_db


def _compiled(statement):
    assert statement._statements, "never run"
    assert all(value is not False for value in statement._statements.values()), "fell back to the ORM"


def test_the_engine_is_ours_and_reads_sessions_django_wrote():
    assert settings.SESSION_ENGINE == "servicedesk.sessions"
    # Same salt as Django's store (its class name): sessions from before the change stay valid.
    assert sessions.SessionStore().key_salt == DjangoSessionStore().key_salt
    theirs = DjangoSessionStore()
    theirs["answer"] = 42
    theirs.create()
    ours = sessions.SessionStore(theirs.session_key)
    with CaptureQueriesContext(connection) as queries:
        assert ours["answer"] == 42
    assert len(queries) == 1
    assert queries[0]["sql"].startswith('SELECT "django_session"."session_key"')
    _compiled(sessions._live_session())
    row = ours._get_session_from_db()
    assert isinstance(row, Session) and row.session_key == theirs.session_key
    assert row.expire_date == Session.objects.get(pk=theirs.session_key).expire_date


def test_an_expired_or_unknown_session_is_empty_and_its_key_forgotten():
    store = sessions.SessionStore()
    store["who"] = "me"
    store.create()
    Session.objects.filter(pk=store.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    again = sessions.SessionStore(store.session_key)
    assert again.load() == {}
    assert again.session_key is None
    unknown = sessions.SessionStore("x" * 32)
    assert unknown.load() == {} and unknown.session_key is None


def test_signing_in_and_out_work_through_the_engine(client, mall, staff):
    officer = staff(Role.COMPLAINT_OFFICER)
    client.force_login(officer)
    first = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert not Session.objects.filter(pk=first).exists()
    assert client.get(reverse("home")).status_code == 302


def test_memberships_and_their_malls_are_what_the_orm_reads(mall, other_mall):
    closed = MallFactory(code="ZZ09", name="已关闭", is_active=False)
    user = UserFactory()
    user.memberships.create(mall=mall, role=Role.SUPERVISOR)
    user.memberships.create(mall=closed, role=Role.COMPLAINT_OFFICER)
    user.memberships.create(mall=other_mall, role=Role.FRONT_DESK, is_active=False)
    user.memberships.create(mall=None, role=Role.HEAD_OFFICE)
    with CaptureQueriesContext(connection) as queries:
        got = access.memberships(user)
        malls = access.member_malls(user)
    assert len(queries) == 1
    _compiled(access._memberships_statement())
    expected = user.memberships.filter(is_active=True).select_related("mall")
    assert sorted(got, key=str) == sorted(((m.mall_id, m.role) for m in expected), key=str)
    assert malls == {mall.pk: mall, closed.pk: closed}
    for pk, read in malls.items():
        fresh = Mall.objects.get(pk=pk)
        assert {f.attname: getattr(read, f.attname) for f in Mall._meta.concrete_fields} == {
            f.attname: getattr(fresh, f.attname) for f in Mall._meta.concrete_fields
        }
        assert read._state.db == "default" and not read._state.adding


def test_the_bell_counts_unread_notifications_of_its_user_only(mall, staff):
    officer, other = staff(Role.COMPLAINT_OFFICER), staff(Role.FRONT_DESK)
    assert unread_count(officer) == 0
    for n in range(3):
        Notification.objects.create(recipient=officer, key=f"k{n}", title="t")
    Notification.objects.create(recipient=officer, key="read", title="t", read_at=timezone.now())
    Notification.objects.create(recipient=other, key="k0", title="t")
    with CaptureQueriesContext(connection) as queries:
        counted = unread_count(officer)
    assert len(queries) == 1
    assert counted == 3 == Notification.objects.for_recipient(officer).unread().count()
    _compiled(_unread_count_statement())


def test_the_bell_on_the_page(client, mall, staff):
    officer = staff(Role.COMPLAINT_OFFICER)
    client.force_login(officer)
    assert 'id="unread-count"' not in client.get(reverse("home")).text
    Notification.objects.create(recipient=officer, key="k", title="t")
    Notification.objects.create(recipient=officer, key="k2", title="t")
    assert '<span class="badge rounded-pill bg-warning text-dark" id="unread-count">2</span>' in (
        client.get(reverse("home")).text
    )


def test_head_office_switcher_is_read_only_when_drawn(mall, other_mall, staff):
    MallFactory(code="AA01", name="已关闭", is_active=False)
    head_office = staff(Role.HEAD_OFFICE)
    access.memberships(head_office)
    with CaptureQueriesContext(connection) as queries:
        rows = switcher_rows(head_office)
    assert len(queries) == 0
    with CaptureQueriesContext(connection) as queries:
        assert len(rows) == 2
        listed = [(row.pk, row.code, row.name) for row in rows]
        assert rows[0].code == "SH01"
    assert len(queries) == 1
    assert listed == list(switchable_malls(head_office).values_list("pk", "code", "name"))


def test_a_statement_the_orm_writes_otherwise_stays_on_the_orm(mall, other_mall):
    # The ORM writes the name's parameter first, not in the order of the values: the check at
    # the first run refuses the compiled SQL for good, and the ORM answers, right.
    def by_code_and_name(code, name):
        return Mall.objects.filter(name=name).filter(code=code).values_list("pk")

    misdeclared = FixedQuery(Mall, by_code_and_name, ("code", "name"))
    assert misdeclared.rows(mall.code, mall.name) == [(mall.pk,)]
    assert misdeclared._statements == {"default": False}
    assert misdeclared.rows(other_mall.code, other_mall.name) == [(other_mall.pk,)]
    assert misdeclared.rows(mall.code, other_mall.name) == []
    # Declared in the order the ORM writes them, it is compiled and gives the same rows.
    declared = FixedQuery(Mall, lambda name, code: by_code_and_name(code, name), ("name", "code"))
    assert declared.rows(other_mall.name, other_mall.code) == [(other_mall.pk,)]
    _compiled(declared)
    assert declared.rows(mall.name, mall.code) == [(mall.pk,)]
    assert declared.rows("another name", mall.code) == []


def test_a_constant_the_orm_writes_is_declared_as_a_literal(mall, other_mall):
    # EXISTS(SELECT 1 ...) makes `1` a parameter of the ORM's own: undeclared, the check refuses
    # the compiled SQL (right, on the ORM); declared as a Literal, the statement is compiled.
    def with_staff(mall_id):
        return (
            Mall.objects.filter(Exists(StaffMembership.objects.filter(mall=OuterRef("pk"))))
            .filter(pk=mall_id)
            .values_list("code")
        )

    UserFactory().memberships.create(mall=mall, role=Role.SUPERVISOR)
    undeclared = FixedQuery(Mall, with_staff, ("id",))
    assert undeclared.rows(mall.pk) == [(mall.code,)]
    assert undeclared._statements == {"default": False}
    declared = FixedQuery(Mall, with_staff, (Literal(1), "id"))
    assert declared.rows(mall.pk) == [(mall.code,)]
    _compiled(declared)
    assert declared.rows(other_mall.pk) == [] == list(with_staff(other_mall.pk))
    with pytest.raises(ValueError):
        declared.rows(mall.pk, mall.pk)
