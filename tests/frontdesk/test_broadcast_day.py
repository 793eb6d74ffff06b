"""Approvals, today's programme with ticks, and the nightly missed-slot scan."""

from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from frontdesk import services
from frontdesk.models import BroadcastPlay, PlayStatus, SlotType
from servicedesk import texts
from servicedesk.models import Notification
from tests.frontdesk.conftest import at

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)


def test_promotion_from_the_desk_waits_for_a_supervisor(mall, desk, supervisor, clock):
    promotion = services.slot_add(
        mall=mall, actor=desk, on_date=MONDAY, starts_at=time(16), ends_at=time(16, 5), slot_type=SlotType.PROMOTION
    )
    assert promotion.awaiting_approval
    assert Notification.objects.filter(recipient=supervisor, key=f"broadcast-slot:{promotion.pk}:approval").exists()
    assert not services.programme_draw_up(mall=mall, day=MONDAY).filter(slot=promotion).exists()

    with pytest.raises(PermissionDenied):
        services.slot_approve(slot=promotion, actor=desk)
    approved = services.slot_approve(slot=promotion, actor=supervisor)
    assert approved.approved_by == supervisor and approved.approved_at
    assert services.programme_draw_up(mall=mall, day=MONDAY).filter(slot=promotion).exists()
    with pytest.raises(ValidationError):
        services.slot_approve(slot=promotion, actor=supervisor)


def test_emergency_needs_the_managers_instruction_recorded(mall, desk, supervisor, manager, clock):
    emergency = services.slot_add(
        mall=mall,
        actor=desk,
        on_date=MONDAY,
        starts_at=time(15, 10),
        ends_at=time(15, 15),
        slot_type=SlotType.EMERGENCY,
    )
    with pytest.raises(ValidationError) as refused:
        services.slot_approve(slot=emergency, actor=supervisor)
    assert "instructed_by" in refused.value.message_dict
    with pytest.raises(ValidationError):  # a supervisor is not the manager
        services.slot_approve(slot=emergency, actor=supervisor, instructed_by=supervisor)
    approved = services.slot_approve(slot=emergency, actor=supervisor, instructed_by=manager)
    assert (approved.approved_by, approved.instructed_by) == (supervisor, manager)
    assert approved.history.first().history_user == supervisor


def test_routine_slots_need_no_approval(mall, desk, supervisor, clock):
    paging = services.slot_add(
        mall=mall, actor=desk, on_date=MONDAY, starts_at=time(15, 20), ends_at=time(15, 22), slot_type=SlotType.PAGING
    )
    assert not paging.needs_approval and paging.approved_at is None
    assert services.programme_draw_up(mall=mall, day=MONDAY).filter(slot=paging).exists()
    with pytest.raises(ValidationError):
        services.slot_approve(slot=paging, actor=supervisor)


def test_desk_cannot_add_to_a_past_day(mall, desk, clock):
    with pytest.raises(ValidationError) as refused:
        services.slot_add(
            mall=mall,
            actor=desk,
            on_date=date(2026, 3, 1),
            starts_at=time(15),
            ends_at=time(15, 5),
            slot_type=SlotType.PAGING,
        )
    assert "on_date" in refused.value.message_dict


@pytest.fixture
def todays_programme(mall, supervisor, clock):
    services.programme_generate_default(mall=mall, actor=supervisor, weekdays=[0])
    return services.programme_draw_up(mall=mall, day=MONDAY)


def test_drawing_up_the_day_twice_makes_one_line_per_slot(mall, todays_programme):
    count = todays_programme.count()
    assert count == len(services.programme_draw_up(mall=mall, day=MONDAY))
    assert BroadcastPlay.objects.count() == count
    assert todays_programme.first().script_version == 1


def test_ticking_records_who_and_when(mall, desk, todays_programme, clock):
    play = todays_programme.get(starts_at=time(15))
    ticked = services.play_tick(play=play, actor=desk)
    assert ticked.status == PlayStatus.PLAYED
    assert ticked.played_by == desk
    assert ticked.played_at == at(2026, 3, 2, 15, 0)
    with pytest.raises(ValidationError, match="15:00"):
        services.play_tick(play=play, actor=desk)


def test_a_slot_cannot_be_ticked_long_before_it_starts(mall, desk, todays_programme, clock):
    later = todays_programme.get(starts_at=time(17))
    with pytest.raises(ValidationError, match="16:50"):
        services.play_tick(play=later, actor=desk)
    soon = todays_programme.get(starts_at=time(15, 30))
    clock.move_to(at(2026, 3, 2, 15, 20))
    assert services.play_tick(play=soon, actor=desk).status == PlayStatus.PLAYED  # 10 minutes early is fine


def test_only_todays_programme_is_ticked(mall, desk, todays_programme, clock):
    play = todays_programme.get(starts_at=time(11))
    clock.move_to(at(2026, 3, 3, 11, 0))
    with pytest.raises(ValidationError):
        services.play_tick(play=play, actor=desk)


def test_head_office_reads_but_does_not_tick(mall, staff, todays_programme):
    from servicedesk.roles import Role

    with pytest.raises(PermissionDenied):
        services.play_tick(play=todays_programme.first(), actor=staff(Role.HEAD_OFFICE))


def test_missed_slot_scan_twice_flags_once_and_notifies_once(mall, desk, supervisor, manager, todays_programme, clock):
    services.play_tick(play=todays_programme.get(starts_at=time(15)), actor=desk)
    clock.move_to(at(2026, 3, 2, 23, 45))
    total = todays_programme.count()

    assert services.flag_missed_broadcasts() == total - 1
    assert BroadcastPlay.objects.filter(status=PlayStatus.MISSED).count() == total - 1
    assert BroadcastPlay.objects.get(starts_at=time(15)).status == PlayStatus.PLAYED
    notes = Notification.objects.filter(key=f"broadcast:{mall.pk}:2026-03-02:missed")
    assert sorted(notes.values_list("recipient__username", flat=True)) == sorted(
        [supervisor.username, manager.username]
    )
    assert "09:45–09:50" in texts.render(notes.first().body)  # stored as an event (servicedesk.texts)

    assert services.flag_missed_broadcasts() == 0
    assert Notification.objects.count() == 2
    assert BroadcastPlay.objects.filter(status=PlayStatus.MISSED).count() == total - 1


def test_missed_slot_scan_leaves_slots_still_to_come(mall, todays_programme, clock):
    clock.move_to(at(2026, 3, 2, 12, 2))
    flagged = services.flag_missed_broadcasts()
    still_due = BroadcastPlay.objects.filter(status=PlayStatus.DUE)
    assert flagged == BroadcastPlay.objects.filter(status=PlayStatus.MISSED, ends_at__lte=time(12, 2)).count()
    assert flagged > 0
    assert not still_due.filter(ends_at__lte=time(12, 2)).exists()
    assert still_due.filter(starts_at=time(12)).exists()  # 12:00-12:05 is still on air


def test_missed_slot_scan_draws_up_a_day_nobody_opened(mall, supervisor, clock):
    services.programme_generate_default(mall=mall, actor=supervisor, weekdays=[0])
    clock.move_to(at(2026, 3, 2, 23, 45))
    assert services.flag_missed_broadcasts() > 0
    assert not BroadcastPlay.objects.exclude(status=PlayStatus.MISSED).exists()


def test_the_celery_task_runs_the_scan(mall, todays_programme, clock):
    from frontdesk.tasks import flag_missed_broadcasts

    clock.move_to(at(2026, 3, 2, 23, 45))
    assert flag_missed_broadcasts.apply().get() == todays_programme.count()
    assert flag_missed_broadcasts.apply().get() == 0
