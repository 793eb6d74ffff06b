"""顾客电话投诉员工登记表: register, answer, manager sign-off, printed register."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from complaints.models import STAFF_TRANSITIONS, StaffComplaint, StaffComplaintStatus
from complaints.services import staff_complaint_answer, staff_complaint_register, staff_complaint_sign_off
from servicedesk.roles import Role
from tests.merchants.factories import BoothFactory

pytestmark = pytest.mark.django_db

CALL = {
    "caller_name": "刘先生",
    "caller_phone": "021-6234 5678",
    "staff_name": "3号导购（短发，穿蓝色工服）",
    "issue": "attitude",
    "description": "询价时导购态度冷淡，拒绝解释价格。",
}


def test_a_phone_complaint_about_staff_goes_from_call_to_manager_sign_off(mall, staff):
    desk, officer, manager = staff(Role.FRONT_DESK), staff(Role.COMPLAINT_OFFICER), staff(Role.MANAGER)
    booth = BoothFactory(merchant__mall=mall)
    record = staff_complaint_register(mall=mall, actor=desk, booth=booth, **CALL)
    assert record.number.startswith("YG-SH01-")
    assert record.caller_phone == "021-62345678"
    assert record.taken_by == desk
    staff_complaint_answer(record=record, actor=officer, action_taken="约谈导购并通报商户", result="已向顾客致歉")
    staff_complaint_sign_off(record=record, actor=manager)
    record.refresh_from_db()
    assert (record.status, record.signed_off_by) == (StaffComplaintStatus.SIGNED_OFF, manager)


@pytest.mark.parametrize(("state", "action"), [k for k in STAFF_TRANSITIONS if k[0] is not None])
@pytest.mark.parametrize("role", list(Role))
def test_staff_complaint_steps_per_role(mall, staff, state, action, role):
    _new, roles = STAFF_TRANSITIONS[(state, action)]
    record = staff_complaint_register(mall=mall, actor=staff(Role.FRONT_DESK), **CALL)
    StaffComplaint.objects.filter(pk=record.pk).update(status=state)
    actor = staff(role)
    step = {
        "answer": lambda: staff_complaint_answer(record=record, actor=actor, action_taken="约谈", result="致歉"),
        "sign_off": lambda: staff_complaint_sign_off(record=record, actor=actor),
    }[action]
    if role in roles:
        step()
    else:
        with pytest.raises(PermissionDenied):
            step()


def test_signing_off_an_unanswered_call_is_refused(mall, staff):
    record = staff_complaint_register(mall=mall, actor=staff(Role.FRONT_DESK), **CALL)
    with pytest.raises(ValidationError):
        staff_complaint_sign_off(record=record, actor=staff(Role.MANAGER))


def test_bad_phone_and_times_are_refused(mall, staff, client):
    desk = staff(Role.FRONT_DESK)
    client.force_login(desk)
    response = client.post(reverse("complaints:staff_create"), {**CALL, "caller_phone": "12345", "received_at": ""})
    assert {"caller_phone", "received_at"} <= set(response.context["form"].errors)
    record = staff_complaint_register(mall=mall, actor=desk, **CALL)
    with pytest.raises(ValidationError) as error:
        staff_complaint_answer(
            record=record,
            actor=staff(Role.SUPERVISOR),
            action_taken="约谈",
            result="致歉",
            answered_at=record.received_at - timedelta(hours=1),
        )
    assert "answered_at" in error.value.message_dict


def test_staff_complaint_pages_and_printed_register(mall, other_mall, staff, client):
    desk = staff(Role.FRONT_DESK)
    client.force_login(desk)
    response = client.post(
        reverse("complaints:staff_create"),
        {**CALL, "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )
    record = StaffComplaint.objects.get()
    assert response.url == reverse("complaints:staff_detail", args=[record.pk])
    listing = client.get(reverse("complaints:staff_list")).text
    assert "021-62**5678" in listing and "021-62345678" not in listing
    printed = client.get(reverse("complaints:staff_print")).text
    assert "顾客电话投诉员工登记表" in printed and "经理签字" in printed
    foreign = staff_complaint_register(mall=other_mall, actor=staff(Role.FRONT_DESK, in_mall=other_mall), **CALL)
    assert client.get(reverse("complaints:staff_detail", args=[foreign.pk])).status_code == 404
