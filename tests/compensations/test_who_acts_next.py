"""A case that waits for someone else says who must act next (role and people), on its page, so a
user without the button sees why; a compensation above 50,000 yuan is finished by two different
head-office approvers (the demo has two). The history never shows a file's storage path."""

from decimal import Decimal

import pytest
from django.urls import reverse

from compensations.models import Status
from compensations.services import compensation_approve
from servicedesk.roles import Role
from tests.compensations.factories import escalated_complaint, pay, propose

pytestmark = pytest.mark.django_db


def _block(page, element_id):
    start = page.index(f'id="{element_id}"')
    return page[start : page.index("</div>", start)]


def test_each_waiting_step_names_who_must_act_and_why_the_reader_cannot(client, mall, staff):
    officer = staff(Role.COMPLAINT_OFFICER, first_name="李专员")
    manager = staff(Role.MANAGER, first_name="吴经理")
    head = staff(Role.HEAD_OFFICE, first_name="郑督查")
    clerk = staff(Role.CLERK, first_name="孙内勤")
    compensation = propose(escalated_complaint(mall, deposit="100000.00"), officer, "60000.00")
    url = reverse("compensations:detail", args=[compensation.pk])

    client.force_login(officer)
    page = client.get(url).text
    assert 'id="approve"' not in page
    assert "吴经理" in _block(page, "next-people") and "经理" in _block(page, "next-actor")
    client.force_login(manager)
    page = client.get(url).text
    assert 'id="approve"' in page and 'id="next-actor"' not in page  # the button is the answer

    compensation = compensation_approve(compensation=compensation, actor=manager)
    compensation = compensation_approve(compensation=compensation, actor=head)
    # Step 3 (head office, above 50,000) needs a head-office approver who has not signed yet.
    client.force_login(head)
    page = client.get(url).text
    assert 'id="approve"' not in page
    assert 'id="next-nobody"' in page and 'id="next-why-not"' in page
    assert "已签" in _block(page, "next-why-not") or "不同" in _block(page, "next-why-not")

    second = staff(Role.HEAD_OFFICE, first_name="冯审批")
    page = client.get(url).text
    assert "冯审批" in _block(page, "next-people") and "郑督查" not in _block(page, "next-people")
    client.force_login(second)
    assert 'id="approve"' in client.get(url).text
    compensation = compensation_approve(compensation=compensation, actor=second)
    assert compensation.status == Status.APPROVED

    client.force_login(officer)
    page = client.get(url).text
    assert "孙内勤" in _block(page, "next-people") and "吴经理" in _block(page, "next-people")

    compensation = pay(compensation, clerk)
    client.force_login(head)
    page = client.get(url).text
    history = page[page.index('id="history"') :]
    assert "compensations/" not in history and ".pdf" not in history
    assert "receipt" not in history.lower()


def test_the_demo_has_two_head_office_approvers_for_a_large_compensation(demo):
    from django.contrib.auth import get_user_model

    from servicedesk.access import has_role
    from servicedesk.models import Mall

    User = get_user_model()
    sh01 = Mall.objects.get(code="SH01")
    heads = [User.objects.get(username=name) for name in ("headoffice", "headoffice2")]
    assert all(has_role(user, sh01, Role.HEAD_OFFICE) for user in heads)
    officer, manager = User.objects.get(username="officer"), User.objects.get(username="manager")
    compensation = propose(
        escalated_complaint(sh01, deposit="100000.00"), officer, "86000.00", loss_price=Decimal("86000.00")
    )
    for approver in (manager, *heads):
        compensation = compensation_approve(compensation=compensation, actor=approver)
    assert compensation.status == Status.APPROVED
