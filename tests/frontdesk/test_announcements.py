"""The broadcast desk: each line of today's programme says 待播 until someone marks it played
(标记已播), and one-off announcements in the desk's own words (寻人寻物, a notice)."""

from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from frontdesk import services
from frontdesk.models import ANNOUNCEMENT_TEXT_MAX, BroadcastPlay, PlayStatus, SlotType
from servicedesk.roles import Role
from tests.frontdesk.conftest import at

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)


def test_an_announcement_is_a_due_line_of_today_with_its_text(mall, desk, clock):
    play = services.announcement_add(mall=mall, actor=desk, slot_type=SlotType.PAGING, text="寻人：穿红衣服的5岁男孩")
    assert play.day == MONDAY and play.status == PlayStatus.DUE
    assert (play.starts_at, play.ends_at) == (time(15, 0), time(15, 5))
    assert play.slot.text == "寻人：穿红衣服的5岁男孩" and play.slot.on_date == MONDAY and play.slot.is_announcement
    assert services.programme_draw_up(mall=mall, day=MONDAY).filter(pk=play.pk).count() == 1, "drawn up once"
    ticked = services.play_tick(play=play, actor=desk)
    assert ticked.status == PlayStatus.PLAYED and ticked.played_at == at(2026, 3, 2, 15, 0)


def test_read_out_now_records_it_played_at_once(mall, desk, clock):
    play = services.announcement_add(
        mall=mall, actor=desk, slot_type=SlotType.NOTICE, text="地下车库B区暂停使用", played=True
    )
    assert play.status == PlayStatus.PLAYED and play.played_by == desk


@pytest.mark.parametrize("moment", [at(2026, 3, 2, 7, 5), at(2026, 3, 2, 21, 40), at(2026, 3, 2, 23, 59, 30)])
def test_an_announcement_is_made_when_it_is_needed_even_outside_opening_hours(mall, desk, clock, moment):
    clock.move_to(moment)
    play = services.announcement_add(mall=mall, actor=desk, slot_type=SlotType.PAGING, text="寻物：蓝色双肩包")
    assert play.starts_at < play.ends_at and play.day == MONDAY


def test_an_announcement_slots_in_between_the_programme_and_blocks_nothing(mall, desk, supervisor, clock):
    services.programme_generate_default(mall=mall, actor=supervisor, weekdays=[0])
    clock.move_to(at(2026, 3, 2, 15, 2))  # during the 15:00 safety reminder
    services.announcement_add(mall=mall, actor=desk, slot_type=SlotType.PAGING, text="寻人：李先生请到总台")
    # A one-off slot planned later in the same minutes is refused only by the programme, not by it.
    clock.move_to(at(2026, 3, 2, 15, 3))
    promo = services.announcement_add(mall=mall, actor=desk, slot_type=SlotType.NOTICE, text="二楼促销提前结束")
    assert promo.status == PlayStatus.DUE


@pytest.mark.parametrize(
    ("slot_type", "text", "field"),
    [
        (SlotType.PAGING, "", "text"),
        (SlotType.PAGING, "   ", "text"),
        (SlotType.PAGING, "寻" * (ANNOUNCEMENT_TEXT_MAX + 1), "text"),
        (SlotType.PROMOTION, "全场八折", "slot_type"),
        (SlotType.EMERGENCY, "请立即疏散", "slot_type"),
    ],
)
def test_bad_announcements_are_refused_next_to_the_field(mall, desk, clock, slot_type, text, field):
    with pytest.raises(ValidationError) as refused:
        services.announcement_add(mall=mall, actor=desk, slot_type=slot_type, text=text)
    assert field in refused.value.message_dict
    assert not BroadcastPlay.objects.exists()


@pytest.mark.parametrize("role", [Role.COMPLAINT_OFFICER, Role.CLERK, Role.PRICE_TAG_OFFICER, Role.HEAD_OFFICE])
def test_only_the_desk_announces(mall, staff, clock, role):
    with pytest.raises(PermissionDenied):
        services.announcement_add(mall=mall, actor=staff(role), slot_type=SlotType.PAGING, text="寻人")


def test_the_day_page_says_due_and_offers_mark_played_then_played(client, mall, desk, supervisor, clock):
    services.programme_generate_default(mall=mall, actor=supervisor, weekdays=[0])
    client.force_login(desk)
    html = client.get(reverse("frontdesk:broadcast")).content.decode()
    assert "待播" in html and "标记已播" in html
    assert ">已播<" not in html, "no bare 已播 button on every row"
    assert 'id="announce-form"' in html
    response = client.post(
        reverse("frontdesk:announce"), {"slot_type": SlotType.PAGING, "text": "寻物：黑色钱包", "played": "1"}
    )
    assert response.status_code == 302
    play = BroadcastPlay.objects.get(slot__text="寻物：黑色钱包")
    html = client.get(reverse("frontdesk:broadcast")).content.decode()
    row = html.split(f'id="play-{play.pk}"')[1].split("</tr>")[0]
    assert "寻物：黑色钱包" in row and "已播" in row and "标记已播" not in row
    printed = client.get(reverse("frontdesk:print_programme")).content.decode()
    assert "寻物：黑色钱包" in printed


def test_a_bad_announcement_on_the_page_says_why(client, mall, desk, clock):
    client.force_login(desk)
    response = client.post(reverse("frontdesk:announce"), {"slot_type": SlotType.PAGING, "text": ""}, follow=True)
    assert not BroadcastPlay.objects.exists()
    assert "播音内容" in response.content.decode() or "text" in response.content.decode()


def test_someone_elses_day_page_has_no_announcement_form(client, mall, staff, clock):
    client.force_login(staff(Role.HEAD_OFFICE))
    html = client.get(reverse("frontdesk:broadcast")).content.decode()
    assert 'id="announce-form"' not in html
