import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from servicedesk.access import has_role, require_role, visible_mall_ids
from servicedesk.models import StaffMembership
from servicedesk.roles import ROLE_PERMISSIONS, Role
from servicedesk.services import membership_end, membership_grant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def perms(role):
    group = Group.objects.get(name=role.value)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def test_every_role_has_a_group_made_by_the_migration():
    assert set(Group.objects.values_list("name", flat=True)) >= {role.value for role in Role}


@pytest.mark.parametrize("role", list(Role))
def test_group_permissions_match_the_role_table(role):
    expected = {
        f"{model.split('.')[0]}.{action}_{model.split('.')[1]}"
        for model, actions in ROLE_PERMISSIONS[role].items()
        for action in actions
    }
    assert perms(role) == expected


def test_head_office_reads_everything_and_changes_nothing_but_the_chains_knowledge_base():
    granted = perms(Role.HEAD_OFFICE)
    assert granted
    # Issue 21: head office writes the chain's articles and their categories.
    writes = {perm for perm in granted if ".view_" not in perm}
    assert writes == {
        "knowledge.add_article",
        "knowledge.change_article",
        "knowledge.add_category",
        "knowledge.change_category",
    }


def test_front_desk_records_customers_but_not_malls():
    granted = perms(Role.FRONT_DESK)
    assert "servicedesk.add_customer" in granted
    assert "servicedesk.change_mall" not in granted
    assert "merchants.change_merchant" not in granted


def test_only_admin_manages_malls_and_staff():
    for role in Role:
        holds = "servicedesk.change_mall" in perms(role)
        assert holds == (role == Role.ADMIN), role


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


def test_admin_grants_a_role_and_the_user_joins_its_group(mall, staff):
    admin = staff(Role.ADMIN)
    user = UserFactory()
    membership = membership_grant(user=user, mall=mall, role=Role.SUPERVISOR, actor=admin)
    assert user.groups.filter(name="supervisor").exists()
    assert has_role(user, mall, Role.SUPERVISOR)
    membership_end(membership=membership, actor=admin)
    user = type(user).objects.get(pk=user.pk)
    assert not has_role(user, mall, Role.SUPERVISOR)
    assert not user.groups.filter(name="supervisor").exists()
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


def test_ending_a_membership_in_the_admin_takes_the_group_away(client, mall, staff):
    from django.urls import reverse

    admin = _admin_client(client, staff)
    user = UserFactory()
    membership = membership_grant(user=user, mall=mall, role=Role.SUPERVISOR, actor=admin)
    url = reverse("admin:servicedesk_staffmembership_change", args=[membership.pk])
    response = client.post(url, {"user": user.pk, "mall": mall.pk, "role": "supervisor"})  # is_active unticked
    assert response.status_code == 302
    user = type(user).objects.get(pk=user.pk)
    assert not has_role(user, mall, Role.SUPERVISOR)
    assert not user.groups.filter(name="supervisor").exists()
    assert StaffMembership.objects.filter(pk=membership.pk, is_active=False).exists()
    # Ticking it again in the admin gives the role (and its group) back on the same row.
    response = client.post(url, {"user": user.pk, "mall": mall.pk, "role": "supervisor", "is_active": "on"})
    assert response.status_code == 302
    user = type(user).objects.get(pk=user.pk)
    assert has_role(user, mall, Role.SUPERVISOR) and user.groups.filter(name="supervisor").exists()
    assert StaffMembership.objects.filter(user=user).count() == 1


def test_a_new_role_in_the_same_mall_takes_the_old_group_away(mall, other_mall, staff):
    admin = staff(Role.ADMIN)
    user = UserFactory()
    membership_grant(user=user, mall=mall, role=Role.CLERK, actor=admin)
    membership_grant(user=user, mall=other_mall, role=Role.CLERK, actor=admin)
    membership_grant(user=user, mall=mall, role=Role.MANAGER, actor=admin)
    assert user.groups.filter(name="clerk").exists(), "still a clerk in the other mall"
    membership_grant(user=user, mall=other_mall, role=Role.SUPERVISOR, actor=admin)
    assert set(user.groups.values_list("name", flat=True)) == {"manager", "supervisor"}
