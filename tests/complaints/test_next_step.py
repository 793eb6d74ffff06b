"""Every case that waits for someone else says on its page who must act next (role and person),
so a reader without the button sees why nothing moves and whom to ask."""

import pytest
from django.urls import reverse

from complaints.models import Status
from returns.models import ReturnStatus
from servicedesk.roles import Role
from tests.complaints.factories import ComplaintFactory
from tests.returns.factories import ReturnFactory

pytestmark = pytest.mark.django_db


def _next(page):
    start = page.index('id="next-step"')
    return page[start : page.index("</div>", start)]


def test_a_complaint_names_who_acts_next_in_each_waiting_state(client, mall, staff):
    officer = staff(Role.COMPLAINT_OFFICER, first_name="李专员")
    supervisor = staff(Role.SUPERVISOR, first_name="周主管")
    desk = staff(Role.FRONT_DESK, first_name="王前台")
    client.force_login(desk)
    expected = {
        Status.REGISTERED: ("分派", "周主管"),
        Status.ASSIGNED: ("转商户", "李专员"),
        Status.WITH_MERCHANT: ("商户答复", "李专员"),
        Status.PROPOSED: ("顾客同意", "李专员"),
        Status.RESOLVED: ("回访", "李专员"),
        Status.CALLED_BACK: ("结案", "周主管"),
    }
    for status, (task, person) in expected.items():
        complaint = ComplaintFactory(mall=mall, status=status, assignee=None if status == "registered" else officer)
        line = _next(client.get(reverse("complaints:detail", args=[complaint.pk])).text)
        assert task in line and person in line, (status, line)
        if status == Status.WITH_MERCHANT:
            assert complaint.merchant.brand in line
    closed = ComplaintFactory(mall=mall, status=Status.CLOSED, assignee=officer)
    assert 'id="next-step"' not in client.get(reverse("complaints:detail", args=[closed.pk])).text
    assert supervisor


def test_a_return_waiting_for_approval_names_deciders_other_than_its_registrar(client, mall, staff):
    registrar = staff(Role.SUPERVISOR, first_name="周主管")
    other = staff(Role.SUPERVISOR, first_name="钱主管")
    manager = staff(Role.MANAGER, first_name="吴经理")
    r = ReturnFactory(mall=mall, status=ReturnStatus.CHECKED, registered_by=registrar)
    client.force_login(registrar)
    line = _next(client.get(reverse("returns:detail", args=[r.pk])).text)
    assert "钱主管" in line and "吴经理" in line and "周主管" not in line
    big = ReturnFactory(mall=mall, status=ReturnStatus.CHECKED, registered_by=registrar, price_paid="25000.00")
    line = _next(client.get(reverse("returns:detail", args=[big.pk])).text)
    assert "吴经理" in line and "钱主管" not in line
    assert other and manager
