"""The handover rules (值班/交接班): an important matter unfinished refuses the handover unless
the incoming shift explicitly takes it; the supervisor signs the day's log, after which the day
takes no more handovers."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from frontdesk import services
from frontdesk.models import MATTER_TRANSITIONS, DeskLogSignature, DutyMatter, Handover, HandoverMatter, MatterStatus
from servicedesk.roles import Role
from servicedesk.workflow import TransitionRefused
from tests.frontdesk.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def incoming(staff):
    return staff(Role.FRONT_DESK, username="incoming")


def hand_over(mall, desk):
    return services.handover_record(mall=mall, actor=desk, shift="morning", keys_and_items="总台钥匙")


def test_unfinished_matters_go_on_the_handover(mall, desk, clock):
    important = services.matter_record(mall=mall, actor=desk, text="王女士15:30来取发票", important=True)
    minor = services.matter_record(mall=mall, actor=desk, text="补充宣传单")
    done = services.matter_record(mall=mall, actor=desk, text="已办完的事")
    services.matter_finish(matter=done, actor=desk)
    handover = hand_over(mall, desk)
    assert {link.matter for link in handover.matters.all()} == {important, minor}
    assert handover.matters.get(matter=important).important


def test_an_important_unfinished_matter_refuses_the_handover(mall, desk, incoming, clock):
    important = services.matter_record(mall=mall, actor=desk, text="王女士15:30来取发票", important=True)
    handover = hand_over(mall, desk)
    with pytest.raises(ValidationError) as caught:
        services.handover_confirm(handover=handover, actor=incoming)
    assert "take" in caught.value.message_dict
    assert "王女士15:30来取发票" in caught.value.message_dict["take"][0]
    handover.refresh_from_db()
    important.refresh_from_db()
    assert handover.confirmed_at is None and important.owner == desk  # nothing half-saved


def test_the_incoming_shift_takes_it_explicitly(mall, desk, incoming, clock):
    important = services.matter_record(mall=mall, actor=desk, text="王女士15:30来取发票", important=True)
    minor = services.matter_record(mall=mall, actor=desk, text="补充宣传单")
    handover = hand_over(mall, desk)
    services.handover_confirm(handover=handover, actor=incoming, take=[important.pk])
    for matter in (important, minor):
        matter.refresh_from_db()
        assert matter.owner == incoming and matter.status == MatterStatus.OPEN
    link = HandoverMatter.objects.get(matter=important)
    assert link.taken_by == incoming and link.taken_at == at(2026, 3, 2, 15, 0)


def test_a_matter_finished_before_confirmation_needs_no_taking(mall, desk, incoming, clock):
    important = services.matter_record(mall=mall, actor=desk, text="回电李先生", important=True)
    handover = hand_over(mall, desk)
    services.matter_finish(matter=important, actor=desk, outcome="已回电")
    assert services.handover_confirm(handover=handover, actor=incoming).confirmed_by == incoming


def test_matter_table(mall, desk, clock):
    matter = services.matter_record(mall=mall, actor=desk, text="x")
    services.matter_finish(matter=matter, actor=desk)
    assert (MatterStatus.DONE, "finish") not in MATTER_TRANSITIONS
    with pytest.raises(TransitionRefused):
        services.matter_finish(matter=matter, actor=desk)


@pytest.mark.parametrize(
    ("role", "may"),
    [
        (Role.FRONT_DESK, True),
        (Role.COMPLAINT_OFFICER, False),
        (Role.PRICE_TAG_OFFICER, False),
        (Role.CLERK, False),
        (Role.SUPERVISOR, True),
        (Role.MANAGER, True),
        (Role.HEAD_OFFICE, False),
        (Role.ADMIN, False),
    ],
)
def test_who_records_and_finishes_matters(mall, staff, desk, role, may, clock):
    actor = staff(role)
    matter = services.matter_record(mall=mall, actor=desk, text="x")
    if may:
        services.matter_record(mall=mall, actor=actor, text="y")
        assert services.matter_finish(matter=matter, actor=actor).status == MatterStatus.DONE
    else:
        with pytest.raises(PermissionDenied):
            services.matter_record(mall=mall, actor=actor, text="y")
        with pytest.raises(PermissionDenied):
            services.matter_finish(matter=matter, actor=actor)


def test_another_malls_desk_cannot_finish(mall, other_mall, staff, desk, clock):
    matter = services.matter_record(mall=mall, actor=desk, text="x")
    with pytest.raises(PermissionDenied):
        services.matter_finish(matter=matter, actor=staff(Role.FRONT_DESK, in_mall=other_mall))


@pytest.mark.parametrize(
    ("role", "may"),
    [(Role.FRONT_DESK, False), (Role.SUPERVISOR, True), (Role.MANAGER, False), (Role.HEAD_OFFICE, False)],
)
def test_only_the_supervisor_signs_the_days_log(mall, staff, role, may, clock):
    actor = staff(role)
    if may:
        signature = services.desk_log_sign(mall=mall, day=date(2026, 3, 2), actor=actor, remarks="正常")
        assert signature.signed_at == at(2026, 3, 2, 15, 0)
    else:
        with pytest.raises(PermissionDenied):
            services.desk_log_sign(mall=mall, day=date(2026, 3, 2), actor=actor)
        assert not DeskLogSignature.objects.exists()


def test_signing_waits_for_the_days_handovers_and_closes_the_day(mall, desk, incoming, supervisor, clock):
    handover = hand_over(mall, desk)
    with pytest.raises(ValidationError) as caught:
        services.desk_log_sign(mall=mall, day=date(2026, 3, 2), actor=supervisor)
    assert "15:00" in caught.value.messages[0]
    services.handover_confirm(handover=handover, actor=incoming)
    services.desk_log_sign(mall=mall, day=date(2026, 3, 2), actor=supervisor)
    with pytest.raises(ValidationError):
        services.desk_log_sign(mall=mall, day=date(2026, 3, 2), actor=supervisor)
    with pytest.raises(ValidationError):
        hand_over(mall, incoming)
    assert Handover.objects.count() == 1


def test_a_day_to_come_cannot_be_signed(mall, supervisor, clock):
    with pytest.raises(ValidationError):
        services.desk_log_sign(mall=mall, day=date(2026, 3, 3), actor=supervisor)


def test_a_handover_the_evening_before_does_not_hold_up_today(mall, desk, supervisor, clock):
    services.handover_record(
        mall=mall, actor=desk, shift="evening", keys_and_items="钥匙", handed_over_at=at(2026, 3, 1, 23, 30)
    )
    assert services.desk_log_sign(mall=mall, day=date(2026, 3, 2), actor=supervisor)


def test_the_pages(client, mall, desk, incoming, supervisor, clock):
    client.force_login(desk)
    client.post(reverse("frontdesk:matter_new"), {"text": "王女士15:30来取发票", "important": "on"})
    matter = DutyMatter.objects.get()
    assert matter.important and matter.owner == desk
    assert "王女士15:30来取发票" in client.get(reverse("frontdesk:handovers")).content.decode()
    handover = hand_over(mall, desk)

    client.force_login(incoming)
    url = reverse("frontdesk:handover", args=[handover.pk])
    page = client.post(url, {"discrepancies": ""})
    assert page.status_code == 200 and "take" in page.context["form"].errors
    client.post(url, {"discrepancies": "", "take": [matter.pk]})
    handover.refresh_from_db()
    assert handover.confirmed_by == incoming

    client.force_login(supervisor)
    response = client.post(reverse("frontdesk:log_sign") + "?date=2026-03-02", {"remarks": "正常"})
    assert response.status_code == 302
    sheet = client.get(reverse("frontdesk:print_desk_log") + "?date=2026-03-02").content.decode()
    assert "已签" in sheet and "王女士15:30来取发票" in sheet
