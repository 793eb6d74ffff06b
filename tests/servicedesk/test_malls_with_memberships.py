"""A mall's staff's current mall and the navbar's mall switcher come from the statement that reads
their memberships (issue 22): no query of their own, the same malls as the queries they replaced
(the switcher: the user's active malls by code; the current mall: the one chosen in the session if
the user is a member there, else the first by id, as before). Head office's switcher and a mall it
picks are still read from the database."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from servicedesk.access import forget_memberships, member_malls, memberships
from servicedesk.middleware import SESSION_MALL_KEY, switchable_malls, switcher_rows
from servicedesk.roles import Role
from tests.factories import MallFactory, UserFactory

pytestmark = pytest.mark.django_db


def _statements(client, path):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(path)
    assert page.status_code == 200
    return page, [q["sql"] for q in queries.captured_queries]


def test_the_roles_statement_reads_the_malls_and_nothing_else_asks_for_them(client, mall, staff):
    officer = staff(Role.COMPLAINT_OFFICER)
    client.force_login(officer)
    page, statements = _statements(client, reverse("complaints:index"))
    on_malls = [sql for sql in statements if 'FROM "servicedesk_mall"' in sql]
    assert on_malls == []
    [roles] = [sql for sql in statements if sql.startswith('SELECT "servicedesk_staffmembership"')]
    assert 'JOIN "servicedesk_mall"' in roles
    # The model's default ordering joined auth_user and sorted: the roles need neither.
    assert '"auth_user"' not in roles and "ORDER BY" not in roles
    assert page.context["current_mall"] == mall
    assert f"{mall.code} {mall.name}" in page.text


def test_the_switcher_lists_the_same_malls_as_the_query_it_replaced(client, mall, other_mall):
    closed = MallFactory(code="AA01", name="已关闭", is_active=False)
    third = MallFactory(code="BJ01", name="北京商场")
    user = UserFactory()
    for each in (other_mall, closed, mall, third):
        user.memberships.create(mall=each, role=Role.SUPERVISOR)
    rows = switcher_rows(user)
    expected = list(switchable_malls(user).values_list("pk", "code", "name"))
    assert expected == [
        (third.pk, "BJ01", "北京商场"),
        (mall.pk, "SH01", mall.name),
        (other_mall.pk, "WX01", other_mall.name),
    ]
    assert [(row.pk, row.code, row.name) for row in rows] == expected
    client.force_login(user)
    page, statements = _statements(client, reverse("complaints:index"))
    assert not [sql for sql in statements if 'FROM "servicedesk_mall"' in sql]
    for pk, code, name in expected:
        assert f'<option value="{pk}"' in page.text and f"{code} {name}" in page.text
    assert f'<option value="{closed.pk}"' not in page.text


def test_the_current_mall_is_the_chosen_one_else_the_first_as_before(client, mall, other_mall):
    user = UserFactory()
    first, second = sorted((mall, other_mall), key=lambda m: m.pk)
    user.memberships.create(mall=second, role=Role.SUPERVISOR)
    user.memberships.create(mall=first, role=Role.SUPERVISOR)
    client.force_login(user)
    assert client.get(reverse("complaints:index")).context["current_mall"] == first
    session = client.session
    session[SESSION_MALL_KEY] = second.pk
    session.save()
    assert client.get(reverse("complaints:index")).context["current_mall"] == second
    # A mall the user is no member of, left in the session, is not taken.
    stranger = MallFactory(code="NJ01", name="南京商场")
    session[SESSION_MALL_KEY] = stranger.pk
    session.save()
    assert client.get(reverse("complaints:index")).context["current_mall"] == first


def test_head_office_reads_its_switcher_and_a_picked_mall_from_the_database(client, mall, other_mall, staff):
    head_office = staff(Role.HEAD_OFFICE)
    assert member_malls(head_office) == {}
    client.force_login(head_office)
    page, statements = _statements(client, reverse("complaints:index"))
    assert page.context["current_mall"] is None
    assert len([sql for sql in statements if 'FROM "servicedesk_mall"' in sql]) == 1  # the switcher
    session = client.session
    session[SESSION_MALL_KEY] = other_mall.pk
    session.save()
    page, statements = _statements(client, reverse("complaints:index"))
    assert page.context["current_mall"] == other_mall
    assert len([sql for sql in statements if 'FROM "servicedesk_mall"' in sql]) == 2  # picked, switcher


def test_forgetting_memberships_forgets_their_malls(mall, other_mall):
    user = UserFactory()
    membership = user.memberships.create(mall=mall, role=Role.SUPERVISOR)
    assert memberships(user) == ((mall.pk, Role.SUPERVISOR),)
    assert member_malls(user) == {mall.pk: mall}
    membership.mall = other_mall
    membership.save()
    forget_memberships(user)
    assert member_malls(user) == {other_mall.pk: other_mall}
