"""A user sees and changes only their malls; another mall's record answers 404, never 403.
Head office reads every mall and changes none."""

import pytest
from django.urls import reverse

from merchants.models import Merchant
from servicedesk.models import Customer, Mall
from servicedesk.roles import Role
from tests.factories import CustomerFactory
from tests.merchants.factories import MerchantFactory

pytestmark = pytest.mark.django_db

MALL_ROLES = [r for r in Role if r not in (Role.HEAD_OFFICE, Role.ADMIN)]
CUSTOMER_READERS = [Role.FRONT_DESK, Role.COMPLAINT_OFFICER, Role.CLERK, Role.SUPERVISOR, Role.MANAGER]


@pytest.mark.parametrize("role", MALL_ROLES)
def test_for_user_returns_only_own_mall(role, mall, other_mall, staff):
    user = staff(role)
    mine, theirs = CustomerFactory(mall=mall), CustomerFactory(mall=other_mall)
    MerchantFactory(mall=mall), MerchantFactory(mall=other_mall)
    assert list(Customer.objects.for_user(user)) == [mine]
    assert theirs not in Customer.objects.for_user(user)
    assert set(Merchant.objects.for_user(user).values_list("mall", flat=True)) == {mall.pk}
    assert list(Mall.objects.for_user(user)) == [mall]


@pytest.mark.parametrize("role", [Role.HEAD_OFFICE, Role.ADMIN])
def test_chain_roles_read_every_mall(role, mall, other_mall, staff):
    user = staff(role)
    CustomerFactory(mall=mall), CustomerFactory(mall=other_mall)
    assert Customer.objects.for_user(user).count() == 2
    assert Mall.objects.for_user(user).count() == 2


@pytest.mark.parametrize("role", [Role.COMPLAINT_OFFICER, Role.HEAD_OFFICE])
def test_for_user_in_a_mall_is_for_user_then_for_mall(role, mall, other_mall, staff):
    from django.contrib.auth.models import AnonymousUser

    user = staff(role)
    CustomerFactory(mall=mall), CustomerFactory(mall=other_mall)
    for who in (user, AnonymousUser()):
        for where in (mall, other_mall, mall.pk, None):
            expected = Customer.objects.for_user(who)
            if where is not None:
                expected = expected.for_mall(where)
            assert list(Customer.objects.for_user_in(who, where).order_by("pk")) == list(expected.order_by("pk"))
    # A mall the officer is no member of gives nothing, whatever the condition's form.
    assert role != Role.COMPLAINT_OFFICER or not Customer.objects.for_user_in(user, other_mall).exists()
    # One condition on the mall, not the user's malls and then this one.
    where = str(Customer.objects.for_user_in(user, mall).query).split(" WHERE ")[1]
    assert where.count('"mall_id"') == 1 and " IN (" not in where


def test_for_user_in_keeps_a_querysets_own_rule(mall, other_mall, staff):
    from reports.models import ReportArchive

    user = staff(Role.COMPLAINT_OFFICER)
    assert str(ReportArchive.objects.for_user_in(user, mall).query) == str(
        ReportArchive.objects.for_user(user).for_mall(mall).query
    )


def test_anonymous_sees_nothing(mall):
    from django.contrib.auth.models import AnonymousUser

    CustomerFactory(mall=mall)
    assert not Customer.objects.for_user(AnonymousUser()).exists()


def test_inactive_membership_sees_nothing(mall, staff):
    user = staff(Role.CLERK)
    user.memberships.update(is_active=False)
    CustomerFactory(mall=mall)
    assert not Customer.objects.for_user(user).exists()


@pytest.mark.parametrize("role", MALL_ROLES)
def test_another_malls_customer_is_404(role, client, other_mall, staff):
    client.force_login(staff(role))
    theirs = CustomerFactory(mall=other_mall)
    assert client.get(reverse("customers:detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("customers:edit", args=[theirs.pk])).status_code == 404
    response = client.post(reverse("customers:edit", args=[theirs.pk]), {"name": "改名", "mobile": "13900000000"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.name != "改名"


@pytest.mark.parametrize("role", CUSTOMER_READERS)
def test_own_malls_customer_is_shown_in_full(role, client, mall, staff):
    client.force_login(staff(role))
    mine = CustomerFactory(mall=mall, mobile="13812345678")
    response = client.get(reverse("customers:detail", args=[mine.pk]))
    assert response.status_code == 200
    assert "13812345678" in response.content.decode()


def test_head_office_reads_any_mall_with_masked_phone_and_cannot_edit(client, other_mall, staff):
    client.force_login(staff(Role.HEAD_OFFICE))
    theirs = CustomerFactory(mall=other_mall, mobile="13812345678", name="张三")
    page = client.get(reverse("customers:detail", args=[theirs.pk])).content.decode()
    assert "138****5678" in page
    assert "13812345678" not in page
    assert client.get(reverse("customers:edit", args=[theirs.pk])).status_code == 403
    response = client.post(reverse("customers:edit", args=[theirs.pk]), {"name": "改名", "mobile": "13812345678"})
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.name == "张三"


def test_price_tag_officer_may_not_open_customers(client, mall, staff):
    client.force_login(staff(Role.PRICE_TAG_OFFICER))
    assert client.get(reverse("customers:list")).status_code == 403
    mine = CustomerFactory(mall=mall)
    assert client.get(reverse("customers:detail", args=[mine.pk])).status_code == 403


def test_anonymous_is_sent_to_login(client, mall):
    customer = CustomerFactory(mall=mall)
    response = client.get(reverse("customers:detail", args=[customer.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
