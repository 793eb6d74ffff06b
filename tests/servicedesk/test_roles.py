import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from servicedesk.access import has_role, require_role, visible_mall_ids
from servicedesk.models import StaffMembership
from servicedesk.roles import Role
from servicedesk.services import membership_end, membership_grant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_chain_roles_have_no_mall_and_mall_roles_need_one(mall):
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffMembership.objects.create(user=user, mall=mall, role=Role.HEAD_OFFICE)
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffMembership.objects.create(user=user, mall=None, role=Role.CLERK)


def test_one_role_per_mall(mall):
    user = UserFactory()
    StaffMembership.objects.create(user=user, mall=mall, role=Role.CLERK)
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffMembership.objects.create(user=user, mall=mall, role=Role.MANAGER)


def test_admin_grants_a_role_and_ends_it(mall, staff):
    admin = staff(Role.ADMIN)
    user = UserFactory()
    membership = membership_grant(user=user, mall=mall, role=Role.SUPERVISOR, actor=admin)
    assert has_role(user, mall, Role.SUPERVISOR)
    membership_end(membership=membership, actor=admin)
    user = type(user).objects.get(pk=user.pk)
    assert not has_role(user, mall, Role.SUPERVISOR)
    assert StaffMembership.objects.filter(pk=membership.pk, is_active=False).exists(), "kept, not deleted"


def test_granting_a_new_role_in_the_same_mall_replaces_the_old(mall, staff):
    admin = staff(Role.ADMIN)
    user = UserFactory()
    membership_grant(user=user, mall=mall, role=Role.CLERK, actor=admin)
    membership_grant(user=user, mall=mall, role=Role.MANAGER, actor=admin)
    assert list(StaffMembership.objects.filter(user=user).values_list("role", flat=True)) == ["manager"]


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_only_admins_grant_roles(role, mall, staff):
    actor = staff(role)
    with pytest.raises(PermissionDenied):
        membership_grant(user=UserFactory(), mall=mall, role=Role.CLERK, actor=actor)


def test_granting_head_office_in_a_mall_is_refused_with_a_message(mall, staff):
    with pytest.raises(ValidationError) as error:
        membership_grant(user=UserFactory(), mall=mall, role=Role.HEAD_OFFICE, actor=staff(Role.ADMIN))
    assert "mall" in error.value.message_dict


def test_require_role_names_who_may_act(mall, staff):
    clerk = staff(Role.CLERK)
    require_role(clerk, mall, Role.CLERK, Role.MANAGER)
    with pytest.raises(PermissionDenied) as error:
        require_role(clerk, mall, Role.MANAGER)
    assert "经理" in str(error.value) or "Manager" in str(error.value)


def test_head_office_is_never_granted_by_default_writes(mall, staff):
    head = staff(Role.HEAD_OFFICE)
    assert visible_mall_ids(head) is None
    with pytest.raises(PermissionDenied):
        require_role(head, mall, Role.CLERK, Role.MANAGER)
    require_role(head, mall, Role.HEAD_OFFICE)  # a service that names head office lets it act


def _admin_client(client, staff):
    from django.contrib.auth import get_user_model

    admin = staff(Role.ADMIN)
    get_user_model().objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
    admin.refresh_from_db()
    client.force_login(admin)
    return admin


def test_ending_a_membership_in_the_admin_takes_the_role_away(client, mall, staff):
    from django.urls import reverse

    admin = _admin_client(client, staff)
    user = UserFactory()
    membership = membership_grant(user=user, mall=mall, role=Role.SUPERVISOR, actor=admin)
    url = reverse("admin:servicedesk_staffmembership_change", args=[membership.pk])
    response = client.post(url, {"user": user.pk, "mall": mall.pk, "role": "supervisor"})  # is_active unticked
    assert response.status_code == 302
    user = type(user).objects.get(pk=user.pk)
    assert not has_role(user, mall, Role.SUPERVISOR)
    assert StaffMembership.objects.filter(pk=membership.pk, is_active=False).exists()
    # Ticking it again in the admin gives the role back on the same row.
    response = client.post(url, {"user": user.pk, "mall": mall.pk, "role": "supervisor", "is_active": "on"})
    assert response.status_code == 302
    user = type(user).objects.get(pk=user.pk)
    assert has_role(user, mall, Role.SUPERVISOR)
    assert StaffMembership.objects.filter(user=user).count() == 1
