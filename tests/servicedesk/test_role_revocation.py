"""Roles are read from the database on every request (servicedesk.access.memberships caches them
on the request's user only): a role ended or a mall taken away takes effect on the signed-in
user's very next request, with no new sign-in (issue #22 kept the look-up per request for this)."""

import pytest
from django.urls import reverse

from servicedesk.middleware import SESSION_MALL_KEY
from servicedesk.roles import Role
from servicedesk.services import membership_end, membership_grant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_ended_role_is_refused_on_the_next_request(client, mall, staff):
    admin = staff(Role.ADMIN)
    user = UserFactory()
    membership = membership_grant(user=user, mall=mall, role=Role.COMPLAINT_OFFICER, actor=admin)
    client.force_login(user)
    page = client.get(reverse("complaints:index"))
    assert page.status_code == 200 and 'href="/complaints/"' in page.text
    membership_end(membership=membership, actor=admin)
    assert client.get(reverse("complaints:index")).status_code == 403
    assert 'href="/complaints/"' not in client.get(reverse("home")).text


def test_a_mall_taken_away_is_left_on_the_next_request(client, mall, other_mall, staff):
    admin = staff(Role.ADMIN)
    user = UserFactory()
    membership_grant(user=user, mall=mall, role=Role.SUPERVISOR, actor=admin)
    there = membership_grant(user=user, mall=other_mall, role=Role.SUPERVISOR, actor=admin)
    client.force_login(user)
    session = client.session
    session[SESSION_MALL_KEY] = other_mall.pk
    session.save()
    assert client.get(reverse("complaints:index")).context["current_mall"] == other_mall
    membership_end(membership=there, actor=admin)
    assert client.get(reverse("complaints:index")).context["current_mall"] == mall
