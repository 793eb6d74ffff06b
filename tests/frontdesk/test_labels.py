"""Labels a new user tripped over (issue #15 §2): the desk dashboard's next broadcast, one history
heading on the handover page, the compensation register's date column."""

import pytest
from django.urls import reverse

from frontdesk import services
from servicedesk.roles import Role
from tests.compensations.factories import escalated_complaint, propose

pytestmark = pytest.mark.django_db


def test_the_desk_dashboard_names_the_next_broadcast(client, mall, desk, manager, clock):
    services.programme_generate_default(mall=mall, actor=manager)
    client.force_login(desk)
    page = client.get(reverse("frontdesk:index")).text
    line = page[page.index('id="next-broadcast"') :]
    line = line[: line.index("</p>")]
    assert "下一条播音：" in line and "下一页" not in line


def test_the_handover_page_has_one_history_heading(client, mall, desk):
    handover = services.handover_record(mall=mall, actor=desk, shift="morning", keys_and_items="总台钥匙一串")
    client.force_login(desk)
    page = client.get(reverse("frontdesk:handover", args=[handover.pk])).text
    assert page.count("历史记录") == 1


def test_the_compensation_registers_date_column_is_the_date(client, mall, staff):
    propose(escalated_complaint(mall), staff(Role.COMPLAINT_OFFICER))
    client.force_login(staff(Role.MANAGER))
    page = client.get(reverse("compensations:register")).text
    head = page[page.index("<thead>") : page.index("</thead>")]
    assert "<th>申请日期</th>" in head and "申请金额" not in head
