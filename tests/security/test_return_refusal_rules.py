"""Finding 13 of issue #14: a supervisor could refuse a return they registered themselves, and
refuse returns above 20,000 yuan. Refusal now follows the same who-may rules as approval."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from returns.models import ReturnPolicy, ReturnStatus
from returns.services import return_approve, return_refuse
from servicedesk.roles import Role
from tests.returns.factories import ReturnFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("decide", [return_approve, return_refuse])
def test_the_registrar_never_decides(mall, staff, decide):
    supervisor = staff(Role.SUPERVISOR)
    r = ReturnFactory(merchant__mall=mall, registered_by=supervisor, status=ReturnStatus.CHECKED, eligible=True)
    extra = {"reason": "不符合条件"} if decide is return_refuse else {}
    with pytest.raises(PermissionDenied):
        decide(return_request=r, actor=supervisor, **extra)
    r.refresh_from_db()
    assert r.status == ReturnStatus.CHECKED


@pytest.mark.parametrize("decide", [return_approve, return_refuse])
def test_above_the_limit_only_the_manager_decides(mall, staff, decide):
    supervisor, manager = staff(Role.SUPERVISOR), staff(Role.MANAGER)
    r = ReturnFactory(merchant__mall=mall, price_paid=Decimal("20000.01"), status=ReturnStatus.CHECKED, eligible=True)
    extra = {"reason": "不符合条件"} if decide is return_refuse else {}
    with pytest.raises(PermissionDenied) as error:
        decide(return_request=r, actor=supervisor, **extra)
    assert "20,000.00" in str(error.value)
    assert decide(return_request=r, actor=manager, **extra).status != ReturnStatus.CHECKED


def test_the_limit_is_the_malls_setting_for_refusal_too(mall, staff):
    # In force on the day the return was requested (settings are dated, issue #16).
    ReturnPolicy.objects.update_or_create(
        mall=mall, effective_from=date(2026, 1, 1), defaults={"manager_above": Decimal("5000")}
    )
    r = ReturnFactory(merchant__mall=mall, price_paid=Decimal("5000.01"), status=ReturnStatus.CHECKED, eligible=True)
    with pytest.raises(PermissionDenied):
        return_refuse(return_request=r, actor=staff(Role.SUPERVISOR), reason="已安装")


def test_the_page_tells_the_supervisor_and_changes_nothing(client, mall, staff):
    supervisor = staff(Role.SUPERVISOR)
    r = ReturnFactory(merchant__mall=mall, price_paid=Decimal("25000.00"), status=ReturnStatus.CHECKED, eligible=True)
    client.force_login(supervisor)
    response = client.post(
        reverse("returns:action", args=[r.pk, "refuse"]), {"refuse-refusal_reason": "不想退"}, follow=True
    )
    assert response.status_code in (200, 403)
    r.refresh_from_db()
    assert r.status == ReturnStatus.CHECKED
