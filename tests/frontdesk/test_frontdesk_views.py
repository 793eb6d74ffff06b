"""Every screen: who may open it, another mall's records are 404, forms save or explain, lists
cost a fixed number of queries."""

from datetime import date, time

import pytest
from django.urls import reverse

from frontdesk import services
from frontdesk.models import BroadcastPlay, BroadcastSlot, Enquiry, Handover, PlayStatus, SlotType, SpotCheck
from servicedesk.roles import Role
from tests.frontdesk.factories import EnquiryFactory, HandoverFactory

pytestmark = pytest.mark.django_db

READERS = {Role.FRONT_DESK, Role.SUPERVISOR, Role.MANAGER, Role.HEAD_OFFICE}

PAGES = [
    "frontdesk:index",
    "frontdesk:broadcast",
    "frontdesk:programme",
    "frontdesk:scripts",
    "frontdesk:handovers",
    "frontdesk:enquiries",
    "frontdesk:spot_checks",
]


@pytest.fixture
def records(mall, staff, clock):
    """One of everything in `mall`, made through the services."""
    planner = staff(Role.SUPERVISOR, username="planner")
    desk = staff(Role.FRONT_DESK, username="desk-a")
    services.programme_generate_default(mall=mall, actor=planner, weekdays=[0])
    play = services.programme_draw_up(mall=mall, day=date(2026, 3, 2)).get(starts_at=time(15))
    handover = services.handover_record(mall=mall, actor=desk, shift="morning", keys_and_items="钥匙")
    enquiry = services.enquiry_record(
        mall=mall,
        actor=desk,
        channel="phone",
        topic="return",
        question="能退货吗？",
        customer_name="王先生",
        customer_mobile="13812345678",
    )
    check = services.spot_check_record(
        mall=mall,
        actor=planner,
        channel="desk",
        staff_checked=desk,
        scores={"appearance": 15, "greeting": 15, "courtesy": 20, "answer": 18, "ownership": 15, "desk_order": 12},
    )
    script = BroadcastSlot.objects.filter(mall=mall).first().script
    return {"play": play, "handover": handover, "enquiry": enquiry, "check": check, "script": script, "desk": desk}


def record_urls(records):
    return [
        ("get", reverse("frontdesk:handover", args=[records["handover"].pk])),
        ("get", reverse("frontdesk:spot_check", args=[records["check"].pk])),
        ("get", reverse("frontdesk:script", args=[records["script"].pk])),
        ("get", reverse("frontdesk:enquiry_convert", args=[records["enquiry"].pk, "complaint"])),
        ("post", reverse("frontdesk:play_tick", args=[records["play"].pk])),
        ("post", reverse("frontdesk:slot_retire", args=[records["play"].slot_id])),
        ("post", reverse("frontdesk:slot_approve", args=[records["play"].slot_id])),
    ]


@pytest.mark.parametrize("role", list(Role))
def test_pages_open_to_the_sections_roles_only(role, client, mall, staff, records):
    client.force_login(staff(role))
    for name in PAGES:
        response = client.get(reverse(name))
        assert response.status_code == (200 if role in READERS else 403), (role, name)


@pytest.mark.parametrize("role", list(Role))
def test_record_pages_follow_the_role(role, client, mall, staff, records):
    client.force_login(staff(role))
    for name in ("frontdesk:handover", "frontdesk:spot_check", "frontdesk:script"):
        key = {"frontdesk:handover": "handover", "frontdesk:spot_check": "check", "frontdesk:script": "script"}[name]
        response = client.get(reverse(name, args=[records[key].pk]))
        assert response.status_code == (200 if role in READERS else 403), (role, name)


def test_another_malls_records_are_404_on_every_url(client, other_mall, staff, records):
    for role in (Role.FRONT_DESK, Role.SUPERVISOR, Role.MANAGER):
        client.force_login(staff(role, in_mall=other_mall))
        for method, url in record_urls(records):
            assert getattr(client, method)(url).status_code == 404, (role, url)
    assert records["play"].__class__.objects.get(pk=records["play"].pk).status == PlayStatus.DUE


def test_head_office_reads_every_mall_but_writes_nothing(client, mall, staff, records):
    client.force_login(staff(Role.HEAD_OFFICE))
    assert client.get(reverse("frontdesk:handover", args=[records["handover"].pk])).status_code == 200
    assert client.post(reverse("frontdesk:play_tick", args=[records["play"].pk])).status_code == 403
    assert (
        client.post(reverse("frontdesk:handover_new"), {"shift": "morning", "keys_and_items": "x"}).status_code == 403
    )
    assert client.post(reverse("frontdesk:slot_retire", args=[records["play"].slot_id])).status_code == 403
    assert BroadcastSlot.objects.get(pk=records["play"].slot_id).is_active


def test_ticking_from_todays_programme(client, mall, records):
    client.force_login(records["desk"])
    page = client.get(reverse("frontdesk:broadcast")).content.decode()
    assert f'id="play-{records["play"].pk}"' in page
    response = client.post(reverse("frontdesk:play_tick", args=[records["play"].pk]))
    assert response.status_code == 302
    records["play"].refresh_from_db()
    assert records["play"].status == PlayStatus.PLAYED
    page = client.get(reverse("frontdesk:broadcast")).content.decode()
    assert "✓ 已播 15:00" in page


def test_desk_adds_a_one_off_paging_slot_and_bad_input_is_explained(client, mall, desk, clock):
    client.force_login(desk)
    url = reverse("frontdesk:slot_new")
    page = client.get(url).content.decode()
    assert 'name="weekday"' not in page  # the weekly programme is the supervisor's
    response = client.post(
        url, {"on_date": "2026-03-02", "starts_at": "22:00", "ends_at": "22:05", "slot_type": SlotType.PAGING}
    )
    assert response.status_code == 200
    assert "营业时间" in response.content.decode()
    assert not BroadcastSlot.objects.exists()
    response = client.post(
        url, {"on_date": "2026-03-02", "starts_at": "16:00", "ends_at": "16:03", "slot_type": SlotType.PAGING}
    )
    assert response.status_code == 302
    assert BroadcastSlot.objects.get().on_date.isoformat() == "2026-03-02"


def test_supervisor_generates_and_approves_from_the_programme_page(client, mall, supervisor, desk, clock):
    client.force_login(supervisor)
    client.post(reverse("frontdesk:programme_generate"))
    assert BroadcastSlot.objects.filter(weekday=0).count() > 10
    promotion = services.slot_add(
        mall=mall, actor=desk, on_date=clock_day(), starts_at=time(16, 10), ends_at=time(16, 15), slot_type="promotion"
    )
    page = client.get(reverse("frontdesk:programme")).content.decode()
    assert 'id="pending"' in page
    client.post(reverse("frontdesk:slot_approve", args=[promotion.pk]))
    promotion.refresh_from_db()
    assert promotion.approved_by == supervisor


def clock_day():
    from django.utils import timezone

    return timezone.localdate()


def test_quick_enquiry_entry_with_customer(client, mall, desk, clock):
    client.force_login(desk)
    response = client.post(
        reverse("frontdesk:enquiries"),
        {
            "channel": "walk_in",
            "topic": "complaint",
            "question": "沙发开裂",
            "answer": "请到总台登记投诉",
            "minutes_taken": "3",
            "customer_name": "李女士",
            "customer_mobile": "139 1234 5678",
        },
    )
    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert enquiry.customer.mobile == "13912345678"
    assert enquiry.received_on.isoformat() == "2026-03-02"


def test_bad_enquiry_input_is_explained_and_nothing_saved(client, mall, desk, clock):
    client.force_login(desk)
    response = client.post(
        reverse("frontdesk:enquiries"),
        {
            "channel": "phone",
            "topic": "other",
            "question": "问题",
            "minutes_taken": "0",
            "customer_name": "李女士",
            "customer_mobile": "12345",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "minutes_taken" in form.errors
    response = client.post(
        reverse("frontdesk:enquiries"),
        {
            "channel": "phone",
            "topic": "other",
            "question": "问题",
            "minutes_taken": "2",
            "customer_name": "李女士",
            "customer_mobile": "12345",
        },
    )
    assert "customer_mobile" in response.context["form"].errors
    assert not Enquiry.objects.exists()


def test_handover_recorded_and_confirmed_through_the_pages(client, mall, desk, staff, clock):
    client.force_login(desk)
    response = client.post(
        reverse("frontdesk:handover_new"),
        {"shift": "morning", "keys_and_items": "总台钥匙、对讲机2台", "open_matters": "张先生下午取发票"},
    )
    handover = Handover.objects.get()
    assert response.url == reverse("frontdesk:handover", args=[handover.pk])
    assert 'id="confirm-form"' not in client.get(response.url).content.decode()  # not by the outgoing shift
    incoming = staff(Role.FRONT_DESK, username="incoming")
    client.force_login(incoming)
    client.post(response.url, {"discrepancies": ""})
    handover.refresh_from_db()
    assert handover.confirmed_by == incoming


def test_spot_check_form_scores_the_checklist(client, mall, supervisor, desk, clock):
    client.force_login(supervisor)
    url = reverse("frontdesk:spot_check_new") + "?channel=phone"
    data = {
        "staff_checked": desk.pk,
        "rings": 15,
        "opening": 10,
        "courtesy": 20,
        "answer": 20,
        "record": 15,
        "closing": 15,
    }
    response = client.post(url, {**data, "rings": 16})
    assert response.status_code == 200 and "rings" in response.context["form"].errors
    response = client.post(url, data)
    check = SpotCheck.objects.get()
    assert check.score == 95 and check.channel == "phone"
    page = client.get(reverse("frontdesk:spot_checks")).content.decode()
    assert "95.00" in page  # the month's average


def test_prints_are_the_paper_forms(client, mall, records):
    client.force_login(records["desk"])
    page = client.get(reverse("frontdesk:print_programme") + "?date=2026-03-02").content.decode()
    assert "播音程序表" in page and 'class="print-form' in page and "15:00—15:05" in page
    week = client.get(reverse("frontdesk:print_programme") + "?week=2026-03-04").content.decode()
    assert week.count("播音程序表</h1>") == 7
    log = client.get(reverse("frontdesk:print_desk_log") + "?date=2026-03-02").content.decode()
    assert "总台工作日志" in log and "钥匙" in log and "能退货吗" in log


@pytest.mark.parametrize("size", [2, 40])
def test_lists_cost_a_fixed_number_of_queries(size, client, mall, desk, django_assert_max_num_queries, clock):
    HandoverFactory.create_batch(size, mall=mall, outgoing=desk)
    EnquiryFactory.create_batch(size, mall=mall, recorded_by=desk)
    client.force_login(desk)
    for name in ("frontdesk:handovers", "frontdesk:enquiries", "frontdesk:spot_checks"):
        with django_assert_max_num_queries(14):
            assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("size", [1, 6])
def test_todays_programme_costs_a_fixed_number_of_queries(
    size, client, mall, supervisor, desk, django_assert_max_num_queries, clock
):
    for day in range(size):
        services.programme_generate_default(mall=mall, actor=supervisor, weekdays=[day])
    services.programme_draw_up(mall=mall, day=clock_day())
    for play in BroadcastPlay.objects.filter(starts_at__lte=time(15)):
        services.play_tick(play=play, actor=desk)
    client.force_login(desk)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("frontdesk:broadcast")).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("frontdesk:programme")).status_code == 200
