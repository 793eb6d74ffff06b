"""merchant_update and the merchant edit form (issue #17: neither had a test)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from merchants.models import Merchant
from merchants.services import merchant_update
from servicedesk.roles import Role
from tests.merchants.factories import MerchantFactory

pytestmark = pytest.mark.django_db


def test_update_changes_only_the_fields_named(mall, clerk):
    merchant = MerchantFactory(mall=mall, contact_name="王经理", notes="")
    merchant_update(merchant=merchant, actor=clerk, contact_name="李店长", credit_code=" 91350100m000100y43 ")
    merchant.refresh_from_db()
    assert (merchant.contact_name, merchant.credit_code) == ("李店长", "91350100M000100Y43")
    assert merchant.history.first().history_user == clerk


def test_update_refuses_fields_that_are_not_the_files(mall, clerk):
    merchant = MerchantFactory(mall=mall)
    with pytest.raises(ValidationError):
        merchant_update(merchant=merchant, actor=clerk, status="exited")
    assert Merchant.objects.get(pk=merchant.pk).status == "active"


def test_update_refuses_a_credit_code_another_merchant_of_the_mall_holds(mall, clerk):
    holder = MerchantFactory(mall=mall)
    merchant = MerchantFactory(mall=mall)
    with pytest.raises(ValidationError):
        merchant_update(merchant=merchant, actor=clerk, credit_code=holder.credit_code)


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.CLERK, Role.MANAGER)])
def test_only_clerks_and_managers_update(role, mall, staff):
    merchant = MerchantFactory(mall=mall)
    with pytest.raises(PermissionDenied):
        merchant_update(merchant=merchant, actor=staff(role), notes="改")


def _rendered(client, url):
    """The edit form as the page draws it: every field with the value it shows."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["form"]
    return {name: ("" if form[name].value() is None else form[name].value()) for name in form.fields}


def test_the_edit_form_saves_what_was_changed(client, mall, clerk):
    merchant = MerchantFactory(mall=mall, contact_name="王经理")
    client.force_login(clerk)
    url = reverse("merchants:edit", args=[merchant.pk])
    data = _rendered(client, url) | {"contact_name": "李店长", "mobile": "139 1234 5678"}
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == reverse("merchants:detail", args=[merchant.pk])
    merchant.refresh_from_db()
    assert (merchant.contact_name, merchant.mobile) == ("李店长", "13912345678")


def test_the_edit_form_shows_errors_and_saves_nothing(client, mall, clerk):
    merchant = MerchantFactory(mall=mall, contact_name="王经理")
    client.force_login(clerk)
    url = reverse("merchants:edit", args=[merchant.pk])
    data = _rendered(client, url) | {"contact_name": "李店长", "credit_code": "123", "mobile": "12345"}
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "credit_code" in errors and "mobile" in errors
    assert Merchant.objects.get(pk=merchant.pk).contact_name == "王经理"


def test_the_edit_form_is_for_editors_of_this_mall(client, mall, other_mall, staff):
    merchant = MerchantFactory(mall=mall)
    client.force_login(staff(Role.FRONT_DESK))
    assert client.get(reverse("merchants:edit", args=[merchant.pk])).status_code == 403
    client.force_login(staff(Role.CLERK, in_mall=other_mall))
    assert client.get(reverse("merchants:edit", args=[merchant.pk])).status_code == 404
