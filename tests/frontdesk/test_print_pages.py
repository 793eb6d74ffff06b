"""The broadcast programme prints one A4 page for a day (its guide promises one) and the desk log
prints the day without cramming: checked on paper, laid out by WeasyPrint with print.css."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from frontdesk import services
from frontdesk.models import PlayStatus
from tests.frontdesk.conftest import MONDAY_AFTERNOON
from tests.printing import printed

pytestmark = pytest.mark.django_db


def test_the_days_broadcast_programme_prints_on_one_a4_page(client, mall, desk, manager, clock):
    services.default_scripts(mall=mall, actor=manager)
    services.programme_generate_default(mall=mall, actor=manager)
    day = MONDAY_AFTERNOON.date()
    plays = services.programme_draw_up(mall=mall, day=day)
    assert plays.count() >= 15  # a full day: staff reminder, welcome, hourly reminders, closing
    client.force_login(desk)
    html = client.get(reverse("frontdesk:print_programme"), {"date": day.isoformat()}).text
    document = printed(html, "print-programme-day")
    assert len(document.pages) == 1
    assert round(document.pages[0].width / 96 * 25.4) == 210  # A4 portrait, in mm


def test_a_long_trading_day_and_a_week_still_print_one_page_a_day(client, mall, desk, manager, clock):
    mall.opens_at, mall.closes_at = "09:00", "22:00"
    mall.save()
    services.default_scripts(mall=mall, actor=manager)
    services.programme_generate_default(mall=mall, actor=manager)
    client.force_login(desk)
    html = client.get(reverse("frontdesk:print_programme"), {"week": MONDAY_AFTERNOON.date().isoformat()}).text
    assert len(printed(html, "print-programme-week").pages) == 7


def test_the_desk_log_of_a_busy_day_prints_without_cramming(client, mall, desk, staff, manager, clock):
    services.default_scripts(mall=mall, actor=manager)
    services.programme_generate_default(mall=mall, actor=manager)
    day = MONDAY_AFTERNOON.date()
    services.programme_draw_up(mall=mall, day=day).update(status=PlayStatus.PLAYED, played_at=timezone.now())
    incoming = staff("front_desk", username="incoming")
    for shift in ("morning", "evening"):
        handover = services.handover_record(
            mall=mall,
            actor=desk,
            shift=shift,
            keys_and_items="总台钥匙一串、对讲机两台",
            open_matters="李女士下午来取发票",
        )
        services.handover_confirm(handover=handover, actor=incoming)
    for n in range(12):
        services.enquiry_record(
            mall=mall,
            actor=desk,
            channel="phone",
            topic="other",
            question=f"停车场几点关门？第{n}位",
            answer="22:00",
            received_at=timezone.now() - timedelta(minutes=5 * n),
        )
    client.force_login(desk)
    html = client.get(reverse("frontdesk:print_desk_log"), {"date": day.isoformat()}).text
    document = printed(html, "print-desk-log")
    assert len(document.pages) <= 2
