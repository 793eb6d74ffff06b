"""The day's broadcast programme is drawn up by the hourly task and by the services that change
slots, never by a page (issue #17: a GET never writes). Until it is drawn up, the pages show the
slots planned for today."""

from datetime import date, time

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from frontdesk import services
from frontdesk.models import BroadcastPlay, BroadcastSlot, SlotType
from frontdesk.services import broadcast
from servicedesk.models import Mall
from tests.factories import MallFactory

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)


def _weekly_programme(mall, supervisor):
    """The default slots, added as the migrations' era did: without drawing up today."""
    services.programme_generate_default(mall=mall, actor=supervisor, weekdays=[0])
    BroadcastPlay.objects.all().delete()


def test_pages_read_the_programme_and_write_nothing(client, mall, desk, supervisor, clock):
    _weekly_programme(mall, supervisor)
    planned = BroadcastSlot.objects.filter(mall=mall, weekday=0).count()
    client.force_login(desk)
    for name in ("frontdesk:index", "frontdesk:broadcast", "frontdesk:print_programme"):
        with CaptureQueriesContext(connections["default"]) as captured:
            response = client.get(reverse(name))
        assert response.status_code == 200
        assert not [q["sql"] for q in captured if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert not BroadcastPlay.objects.exists()
    # Not drawn up yet: today's planned slots are shown (and counted), without ticks.
    page = client.get(reverse("frontdesk:broadcast")).content.decode()
    assert 'id="not-drawn-up"' in page and 'button class="btn btn-sm btn-outline-success tick"' not in page
    assert client.get(reverse("frontdesk:index")).context["plays_total"] == planned

    assert services.programmes_draw_up() == 1  # the hourly task
    page = client.get(reverse("frontdesk:broadcast")).content.decode()
    assert BroadcastPlay.objects.filter(mall=mall, day=MONDAY).count() == planned
    assert 'id="not-drawn-up"' not in page and page.count("tick") >= planned


def test_a_slot_added_for_today_is_on_the_programme_at_once(mall, desk, supervisor, clock):
    _weekly_programme(mall, supervisor)
    paging = services.slot_add(
        mall=mall, actor=desk, on_date=MONDAY, starts_at=time(15, 20), ends_at=time(15, 22), slot_type=SlotType.PAGING
    )
    day = BroadcastPlay.objects.filter(mall=mall, day=MONDAY)
    assert day.filter(slot=paging).exists()
    # ... together with the rest of the day, drawn up by the same call.
    assert day.count() == BroadcastSlot.objects.on_air().for_mall(mall).for_day(MONDAY).count()


def test_an_announcement_never_stands_alone_on_an_undrawn_day(mall, desk, supervisor, clock):
    _weekly_programme(mall, supervisor)
    services.announcement_add(mall=mall, actor=desk, slot_type=SlotType.PAGING, text="寻找走失儿童")
    assert BroadcastPlay.objects.filter(mall=mall, day=MONDAY).count() == (
        BroadcastSlot.objects.on_air().for_mall(mall).for_day(MONDAY).count()
    )


def test_an_approved_promotion_goes_on_todays_programme(mall, desk, supervisor, clock):
    promotion = services.slot_add(
        mall=mall, actor=desk, on_date=MONDAY, starts_at=time(16), ends_at=time(16, 5), slot_type=SlotType.PROMOTION
    )
    assert not BroadcastPlay.objects.filter(slot=promotion).exists()
    services.slot_approve(slot=promotion, actor=supervisor)
    assert BroadcastPlay.objects.filter(slot=promotion, day=MONDAY).exists()


def test_the_hourly_task_draws_up_each_mall_on_its_own(mall, supervisor, monkeypatch, clock):
    """One mall whose draw-up fails rolls back alone; the others are drawn up; a rerun adds nothing."""
    _weekly_programme(mall, supervisor)
    broken = MallFactory(code="BJ01", name="北京商场", city="北京")
    real = broadcast.programme_draw_up

    def draw_up(*, mall, day):
        if mall.pk == broken.pk:
            BroadcastPlay.objects.filter(mall=mall).count()
            raise RuntimeError("bad slot")
        return real(mall=mall, day=day)

    monkeypatch.setattr(broadcast, "programme_draw_up", draw_up)
    assert broadcast.programmes_draw_up() == Mall.objects.active().count() - 1
    lines = BroadcastPlay.objects.filter(mall=mall, day=MONDAY).count()
    assert lines > 0
    assert broadcast.programmes_draw_up() == Mall.objects.active().count() - 1
    assert BroadcastPlay.objects.filter(mall=mall, day=MONDAY).count() == lines
