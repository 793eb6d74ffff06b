"""The weekly programme: default generation, overlap and opening-hours rules, script versions."""

from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from frontdesk import services
from frontdesk.models import BroadcastScript, BroadcastSlot, FrontDeskPolicy, SlotType
from frontdesk.services.programme import default_slots
from servicedesk.roles import Role

pytestmark = pytest.mark.django_db

MONDAY = 0


def programme(mall, weekday=MONDAY):
    slots = BroadcastSlot.objects.active().filter(mall=mall, weekday=weekday).order_by("starts_at")
    return [(f"{s.starts_at:%H:%M}", f"{s.ends_at:%H:%M}", s.slot_type) for s in slots]


def test_default_day_follows_opening_hours(mall):
    policy = FrontDeskPolicy.for_mall(mall)
    slots = [(f"{s.starts_at:%H:%M}", s.slot_type) for s in default_slots(time(10), time(21), policy)]
    assert slots[:4] == [
        ("09:45", SlotType.STAFF),
        ("10:00", SlotType.OPENING),
        ("11:00", SlotType.SAFETY),
        ("11:30", SlotType.CASHIER),
    ]
    # the 20:30 cashier reminder gives way to the first closing notice
    assert slots[-4:] == [
        ("20:00", SlotType.SAFETY),
        ("20:30", SlotType.CLOSING),
        ("20:45", SlotType.CLOSING),
        ("20:55", SlotType.CLOSING),
    ]
    hourly = [start for start, kind in slots if kind == SlotType.SAFETY]
    assert hourly == [f"{h}:00" for h in range(11, 21)]


def test_default_day_for_a_half_past_opening(mall):
    policy = FrontDeskPolicy.for_mall(mall)
    slots = [(f"{s.starts_at:%H:%M}", s.slot_type) for s in default_slots(time(9, 30), time(18), policy)]
    assert slots[:4] == [
        ("09:15", SlotType.STAFF),
        ("09:30", SlotType.OPENING),
        ("10:00", SlotType.SAFETY),
        ("10:30", SlotType.CASHIER),
    ]
    assert slots[-1] == ("17:55", SlotType.CLOSING)


def test_generating_the_default_programme_fills_every_weekday_once(mall, supervisor):
    created = services.programme_generate_default(mall=mall, actor=supervisor)
    assert sorted(created) == list(range(7))
    assert programme(mall, 0) == programme(mall, 6)
    first = programme(mall)
    assert first[0] == ("09:45", "09:50", SlotType.STAFF)
    assert first[1] == ("10:00", "10:05", SlotType.OPENING)
    assert first[-1] == ("20:55", "21:00", SlotType.CLOSING)
    # Every default slot reads a script of the library, in Chinese and English.
    scripts = BroadcastScript.objects.filter(mall=mall)
    assert scripts.count() == 7
    assert all(s.text_zh and s.text_en for s in scripts)
    assert "上海真北商场" in scripts.get(slot_type=SlotType.OPENING).text_zh
    assert "30分钟" in scripts.get(title="闭店提示（第一次）").text_zh
    assert not BroadcastSlot.objects.filter(mall=mall, script__isnull=True).exists()

    count = BroadcastSlot.objects.count()
    assert services.programme_generate_default(mall=mall, actor=supervisor) == {}
    assert BroadcastSlot.objects.count() == count


def test_generating_skips_weekdays_already_planned(mall, supervisor):
    services.slot_add(
        mall=mall, actor=supervisor, weekday=6, starts_at=time(12), ends_at=time(12, 30), slot_type=SlotType.MUSIC
    )
    created = services.programme_generate_default(mall=mall, actor=supervisor)
    assert 6 not in created
    assert programme(mall, 6) == [("12:00", "12:30", SlotType.MUSIC)]


def test_front_desk_does_not_plan_the_weekly_programme(mall, desk):
    with pytest.raises(PermissionDenied):
        services.programme_generate_default(mall=mall, actor=desk)
    with pytest.raises(PermissionDenied):
        services.slot_add(
            mall=mall, actor=desk, weekday=0, starts_at=time(12), ends_at=time(12, 5), slot_type=SlotType.MUSIC
        )


def test_overlapping_slots_are_refused_and_nothing_is_saved(mall, supervisor):
    services.slot_add(
        mall=mall, actor=supervisor, weekday=0, starts_at=time(11), ends_at=time(11, 5), slot_type=SlotType.SAFETY
    )
    with pytest.raises(ValidationError) as refused:
        services.slot_add(
            mall=mall, actor=supervisor, weekday=0, starts_at=time(11, 4), ends_at=time(11, 9), slot_type=SlotType.MUSIC
        )
    assert "11:00–11:05" in refused.value.message_dict["starts_at"][0]
    assert BroadcastSlot.objects.count() == 1
    # Back to back is fine, and so is the same time on another weekday.
    services.slot_add(
        mall=mall, actor=supervisor, weekday=0, starts_at=time(11, 5), ends_at=time(11, 9), slot_type=SlotType.MUSIC
    )
    services.slot_add(
        mall=mall, actor=supervisor, weekday=1, starts_at=time(11), ends_at=time(11, 5), slot_type=SlotType.MUSIC
    )


def test_a_retired_slot_no_longer_blocks_its_time(mall, supervisor):
    slot = services.slot_add(
        mall=mall, actor=supervisor, weekday=0, starts_at=time(11), ends_at=time(11, 5), slot_type=SlotType.SAFETY
    )
    services.slot_retire(slot=slot, actor=supervisor)
    services.slot_add(
        mall=mall, actor=supervisor, weekday=0, starts_at=time(11), ends_at=time(11, 5), slot_type=SlotType.CASHIER
    )
    assert BroadcastSlot.objects.filter(pk=slot.pk, is_active=False).exists()


def test_one_off_slot_may_not_overlap_that_weekdays_programme(mall, supervisor, desk, clock):
    services.slot_add(
        mall=mall, actor=supervisor, weekday=2, starts_at=time(14), ends_at=time(14, 5), slot_type=SlotType.SAFETY
    )
    wednesday = date(2026, 3, 4)
    with pytest.raises(ValidationError) as refused:
        services.slot_add(
            mall=mall, actor=desk, on_date=wednesday, starts_at=time(14), ends_at=time(14, 3), slot_type=SlotType.PAGING
        )
    assert "starts_at" in refused.value.message_dict
    paging = services.slot_add(
        mall=mall,
        actor=desk,
        on_date=wednesday,
        starts_at=time(14, 10),
        ends_at=time(14, 13),
        slot_type=SlotType.PAGING,
    )
    # ...and the weekly programme may not be changed to run over that coming one-off slot.
    with pytest.raises(ValidationError):
        services.slot_add(
            mall=mall,
            actor=supervisor,
            weekday=2,
            starts_at=time(14, 12),
            ends_at=time(14, 20),
            slot_type=SlotType.MUSIC,
        )
    assert paging.on_date == wednesday


@pytest.mark.parametrize(
    ("start", "end", "kind", "allowed"),
    [
        (time(9, 50), time(10, 0), SlotType.SAFETY, False),  # before opening
        (time(20, 58), time(21, 3), SlotType.CLOSING, False),  # runs past closing
        (time(9, 45), time(9, 50), SlotType.STAFF, True),  # the staff reminder may come before opening
        (time(9, 30), time(9, 35), SlotType.STAFF, False),  # ...but not earlier than the policy says
        (time(22, 0), time(22, 5), SlotType.EMERGENCY, True),  # emergencies are exempt
        (time(10, 0), time(10, 5), SlotType.OPENING, True),
        (time(20, 55), time(21, 0), SlotType.CLOSING, True),
    ],
)
def test_slots_stay_inside_opening_hours(mall, manager, start, end, kind, allowed):
    def add():
        return services.slot_add(mall=mall, actor=manager, weekday=3, starts_at=start, ends_at=end, slot_type=kind)

    if allowed:
        assert add().pk
    else:
        with pytest.raises(ValidationError) as refused:
            add()
        assert "10:00" in refused.value.message_dict["starts_at"][0] or "09:45" in str(refused.value)


def test_emergencies_may_overlap_the_programme(mall, manager):
    services.slot_add(
        mall=mall, actor=manager, weekday=0, starts_at=time(15), ends_at=time(15, 5), slot_type=SlotType.SAFETY
    )
    emergency = services.slot_add(
        mall=mall, actor=manager, weekday=0, starts_at=time(15), ends_at=time(15, 10), slot_type=SlotType.EMERGENCY
    )
    assert emergency.instructed_by == manager


def test_a_slot_ends_after_it_starts(mall, supervisor):
    with pytest.raises(ValidationError) as refused:
        services.slot_add(
            mall=mall, actor=supervisor, weekday=0, starts_at=time(12), ends_at=time(12), slot_type=SlotType.MUSIC
        )
    assert "ends_at" in refused.value.message_dict


def test_announcer_and_script_belong_to_the_mall(mall, other_mall, supervisor, staff):
    outsider = staff(Role.FRONT_DESK, in_mall=other_mall)
    foreign_script = services.default_scripts(mall=other_mall, actor=None)["safety"]
    with pytest.raises(ValidationError) as refused:
        services.slot_add(
            mall=mall,
            actor=supervisor,
            weekday=0,
            starts_at=time(12),
            ends_at=time(12, 5),
            slot_type=SlotType.SAFETY,
            announcer=outsider,
            script=foreign_script,
        )
    assert set(refused.value.message_dict) == {"announcer", "script"}


def test_revising_a_script_makes_a_new_version_and_keeps_the_old_text(mall, desk):
    script = services.script_create(
        mall=mall, actor=desk, title="寻人启事", slot_type=SlotType.PAGING, text_zh="旧文本", text_en="old"
    )
    revised = services.script_revise(script=script, actor=desk, title="寻人启事", text_zh="新文本", text_en="new")
    assert revised.version == 2
    assert list(revised.history.order_by("history_id").values_list("text_zh", "version")) == [
        ("旧文本", 1),
        ("新文本", 2),
    ]
    assert revised.history.first().history_user == desk
    # Saving the same text again is not a new version.
    assert (
        services.script_revise(script=revised, actor=desk, title="寻人启事", text_zh="新文本", text_en="new").version
        == 2
    )


def test_script_titles_are_unique_per_mall(mall, desk):
    services.script_create(mall=mall, actor=desk, title="寻人启事", slot_type=SlotType.PAGING, text_zh="甲")
    with pytest.raises(ValidationError):
        services.script_create(mall=mall, actor=desk, title="寻人启事", slot_type=SlotType.PAGING, text_zh="乙")
