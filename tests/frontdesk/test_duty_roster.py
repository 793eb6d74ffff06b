"""The monthly duty roster (排班表): drawn up by the supervisor, published, changed afterwards only
with a reason; its gaps (a shift below the mall's minimum) and conflicts (too many days in a row,
someone who left the desk); who is expected on the handover page and the day's log."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from frontdesk import selectors, services
from frontdesk.models import ROSTER_TRANSITIONS, Duty, DutyRoster, FrontDeskPolicy, RosterEntry, RosterStatus
from servicedesk.models import StaffMembership
from servicedesk.roles import Role
from servicedesk.texts import render
from servicedesk.workflow import TransitionRefused
from tests.frontdesk.conftest import at

pytestmark = pytest.mark.django_db

APRIL = date(2026, 4, 1)
MARCH = date(2026, 3, 1)


@pytest.fixture
def team(staff):
    """Three front desk staff with names, as the paper form lists them."""
    return [
        staff(Role.FRONT_DESK, username="zhang", first_name="张丽"),
        staff(Role.FRONT_DESK, username="wang", first_name="王芳"),
        staff(Role.FRONT_DESK, username="li", first_name="李娜"),
    ]


def week_pattern(people, month, days):
    """Everybody on `Duty.MORNING` for the given days of the month."""
    return {(person.pk, month.replace(day=d)): Duty.MORNING for person in people for d in days}


def published_march(mall, supervisor, team, clock):
    roster = services.roster_draw_up(mall=mall, month=MARCH, actor=supervisor)
    duties = {}
    for d in range(1, 32):
        duties[(team[0].pk, MARCH.replace(day=d))] = Duty.MORNING
        duties[(team[1].pk, MARCH.replace(day=d))] = Duty.EVENING
    duties[(team[2].pk, MARCH.replace(day=2))] = Duty.FULL
    services.roster_set_duties(roster=roster, actor=supervisor, duties=duties)
    return services.roster_publish(roster=roster, actor=supervisor)


# --- Drawing up -------------------------------------------------------------------------------


def test_the_supervisor_draws_up_next_months_roster_once(mall, supervisor, clock):
    roster = services.roster_draw_up(mall=mall, month=date(2026, 4, 17), actor=supervisor)
    assert roster.month == APRIL and roster.status == RosterStatus.DRAFT
    assert roster.drawn_up_by == supervisor and roster.drawn_up_at == at(2026, 3, 2, 15, 0)
    with pytest.raises(ValidationError) as caught:
        services.roster_draw_up(mall=mall, month=APRIL, actor=supervisor)
    assert "month" in caught.value.message_dict
    assert DutyRoster.objects.count() == 1


def test_a_month_that_is_over_cannot_be_drawn_up(mall, supervisor, clock):
    with pytest.raises(ValidationError) as caught:
        services.roster_draw_up(mall=mall, month=date(2026, 2, 1), actor=supervisor)
    assert "month" in caught.value.message_dict
    assert services.roster_draw_up(mall=mall, month=MARCH, actor=supervisor)  # the current month still can


def test_the_month_boundary_is_shanghai_time(mall, supervisor, clock):
    clock.move_to(at(2026, 4, 1, 0, 30))  # still 31 March in UTC
    with pytest.raises(ValidationError):
        services.roster_draw_up(mall=mall, month=MARCH, actor=supervisor)


@pytest.mark.parametrize(
    ("role", "may"),
    [
        (Role.FRONT_DESK, False),
        (Role.COMPLAINT_OFFICER, False),
        (Role.PRICE_TAG_OFFICER, False),
        (Role.CLERK, False),
        (Role.SUPERVISOR, True),
        (Role.MANAGER, True),
        (Role.HEAD_OFFICE, False),
        (Role.ADMIN, False),
    ],
)
def test_who_draws_up_publishes_and_changes(mall, staff, supervisor, team, role, may, clock):
    actor = staff(role)
    draft = services.roster_draw_up(mall=mall, month=MARCH, actor=supervisor)
    services.roster_set_duties(roster=draft, actor=supervisor, duties=week_pattern(team, MARCH, [3]))
    cell = {(team[0].pk, date(2026, 3, 4)): Duty.EVENING}
    if may:
        assert services.roster_draw_up(mall=mall, month=APRIL, actor=actor).drawn_up_by == actor
        assert services.roster_set_duties(roster=draft, actor=actor, duties=cell) == 1
        assert services.roster_publish(roster=draft, actor=actor).published_by == actor
        assert services.roster_set_duties(roster=draft, actor=actor, duties={}, reason="x") == 0
    else:
        with pytest.raises(PermissionDenied):
            services.roster_draw_up(mall=mall, month=APRIL, actor=actor)
        with pytest.raises(PermissionDenied):
            services.roster_set_duties(roster=draft, actor=actor, duties=cell)
        with pytest.raises(PermissionDenied):
            services.roster_publish(roster=draft, actor=actor)
        draft.refresh_from_db()
        assert draft.status == RosterStatus.DRAFT and not RosterEntry.objects.filter(day=date(2026, 3, 4)).exists()


def test_another_malls_supervisor_touches_nothing(mall, other_mall, staff, supervisor, team, clock):
    stranger = staff(Role.SUPERVISOR, in_mall=other_mall)
    roster = services.roster_draw_up(mall=mall, month=MARCH, actor=supervisor)
    with pytest.raises(PermissionDenied):
        services.roster_draw_up(mall=mall, month=APRIL, actor=stranger)
    with pytest.raises(PermissionDenied):
        services.roster_set_duties(roster=roster, actor=stranger, duties=week_pattern(team, MARCH, [3]))
    with pytest.raises(PermissionDenied):
        services.roster_publish(roster=roster, actor=stranger)


# --- Cells ------------------------------------------------------------------------------------


def test_cells_are_set_and_counted(mall, supervisor, team, clock):
    roster = services.roster_draw_up(mall=mall, month=APRIL, actor=supervisor)
    duties = week_pattern(team[:2], APRIL, [1, 2]) | {(team[2].pk, date(2026, 4, 1)): Duty.OFF}
    assert services.roster_set_duties(roster=roster, actor=supervisor, duties=duties) == 4  # a day off is no change
    assert services.roster_set_duties(roster=roster, actor=supervisor, duties=duties) == 0
    changed = {(team[0].pk, date(2026, 4, 1)): Duty.OFF, (team[1].pk, date(2026, 4, 2)): Duty.FULL}
    assert services.roster_set_duties(roster=roster, actor=supervisor, duties=changed) == 2
    # Nothing is deleted: a day off is a cell with its history.
    cell = RosterEntry.objects.get(staff=team[0], day=date(2026, 4, 1))
    assert cell.duty == Duty.OFF and [h.duty for h in cell.history.order_by("history_date")] == ["morning", "off"]
    assert RosterEntry.objects.count() == 4


def test_bad_cells_refuse_the_whole_save(mall, staff, supervisor, team, clock):
    officer = staff(Role.COMPLAINT_OFFICER, username="officer")
    roster = services.roster_draw_up(mall=mall, month=APRIL, actor=supervisor)
    duties = week_pattern(team, APRIL, [1]) | {
        (team[0].pk, date(2026, 5, 1)): Duty.MORNING,  # not in April
        (officer.pk, date(2026, 4, 2)): Duty.MORNING,  # not desk staff
    }
    with pytest.raises(ValidationError) as caught:
        services.roster_set_duties(roster=roster, actor=supervisor, duties=duties)
    problems = caught.value.message_dict["duties"]
    assert len(problems) == 2 and "2026-05-01" in problems[0]  # every problem at once
    assert not RosterEntry.objects.exists()  # nothing half-saved
    with pytest.raises(ValidationError):
        services.roster_set_duties(roster=roster, actor=supervisor, duties={(team[0].pk, APRIL): "night"})
    assert not RosterEntry.objects.exists()


def test_another_malls_desk_cannot_be_rostered(mall, other_mall, staff, supervisor, clock):
    visitor = staff(Role.FRONT_DESK, in_mall=other_mall)
    roster = services.roster_draw_up(mall=mall, month=APRIL, actor=supervisor)
    with pytest.raises(ValidationError):
        services.roster_set_duties(roster=roster, actor=supervisor, duties={(visitor.pk, APRIL): Duty.MORNING})


def test_copying_four_weeks_earlier(mall, supervisor, team, clock):
    march = services.roster_draw_up(mall=mall, month=MARCH, actor=supervisor)
    # Monday 2 March to Sunday 8 March... the last four weeks of March are 4-31 March.
    services.roster_set_duties(
        roster=march,
        actor=supervisor,
        duties={(team[0].pk, date(2026, 3, 6)): Duty.MORNING, (team[1].pk, date(2026, 3, 31)): Duty.EVENING},
    )
    april = services.roster_draw_up(mall=mall, month=APRIL, actor=supervisor, copy_previous=True)
    cells = {(e.staff_id, e.day): e.duty for e in april.entries.all()}
    # 6 March (a Friday) -> 3 April -> 1 May is out of April; 31 March (a Tuesday) -> 28 April.
    assert cells == {(team[0].pk, date(2026, 4, 3)): "morning", (team[1].pk, date(2026, 4, 28)): "evening"}
    assert render(april.entries.first().history.first().history_change_reason)


# --- Publishing and changing --------------------------------------------------------------------


def test_an_empty_roster_is_not_published(mall, supervisor, team, clock):
    roster = services.roster_draw_up(mall=mall, month=APRIL, actor=supervisor)
    services.roster_set_duties(roster=roster, actor=supervisor, duties={(team[0].pk, APRIL): Duty.OFF})
    with pytest.raises(ValidationError):
        services.roster_publish(roster=roster, actor=supervisor)
    roster.refresh_from_db()
    assert roster.status == RosterStatus.DRAFT and roster.published_at is None


def test_transition_table(mall, supervisor, team, clock):
    assert set(ROSTER_TRANSITIONS) == {("draft", "edit"), ("draft", "publish"), ("published", "change")}
    roster = published_march(mall, supervisor, team, clock)
    assert roster.status == RosterStatus.PUBLISHED and roster.published_at == at(2026, 3, 2, 15, 0)
    with pytest.raises(TransitionRefused):
        services.roster_publish(roster=roster, actor=supervisor)


def test_a_published_roster_changes_only_with_a_reason_and_not_in_the_past(mall, supervisor, team, clock):
    roster = published_march(mall, supervisor, team, clock)
    cover = {(team[0].pk, date(2026, 3, 5)): Duty.OFF, (team[2].pk, date(2026, 3, 5)): Duty.MORNING}
    with pytest.raises(ValidationError) as caught:
        services.roster_set_duties(roster=roster, actor=supervisor, duties=cover)
    assert "reason" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.roster_set_duties(
            roster=roster, actor=supervisor, duties={(team[0].pk, date(2026, 3, 1)): Duty.OFF}, reason="补登"
        )
    assert "2026-03-01" in caught.value.message_dict["duties"][0]
    # Today (2 March) may still change: the cover is arranged during the day.
    assert services.roster_set_duties(roster=roster, actor=supervisor, duties=cover, reason="张丽请假，李娜顶班") == 2
    cell = RosterEntry.objects.get(staff=team[2], day=date(2026, 3, 5))
    with translation.override("zh-hans"):
        assert "张丽请假，李娜顶班" in render(cell.history.first().history_change_reason)
    with translation.override("en"):
        assert render(cell.history.first().history_change_reason).startswith("changed after publishing")


# --- Gaps and conflicts -------------------------------------------------------------------------


def test_gaps_follow_the_malls_minimum(mall, supervisor, team, clock):
    roster = services.roster_draw_up(mall=mall, month=APRIL, actor=supervisor)
    duties = week_pattern(team[:2], APRIL, range(1, 31)) | {(team[2].pk, APRIL): Duty.FULL}
    for d in range(1, 31):
        duties[(team[2].pk, APRIL.replace(day=d))] = Duty.EVENING if d != 1 else Duty.FULL
    duties[(team[1].pk, date(2026, 4, 10))] = Duty.OFF
    services.roster_set_duties(roster=roster, actor=supervisor, duties=duties)
    sheet = selectors.roster_sheet(roster)
    # The default minimum is 2 a shift: every evening has one person (a gap), 10 April's morning too.
    gaps = {(day, str(shift)) for day, shift, _n in sheet.gaps}
    assert (date(2026, 4, 10), "早班") in gaps
    assert (date(2026, 4, 11), "早班") not in gaps
    assert all((APRIL.replace(day=d), "晚班") in gaps for d in range(1, 31))
    assert len(gaps) == 31
    assert dict(sheet.counts)[APRIL] == {"morning": 3, "evening": 1}

    FrontDeskPolicy.objects.create(mall=mall, effective_from=date(2026, 3, 2), roster_min_per_shift=1)
    sheet = selectors.roster_sheet(roster)
    assert [(day, n) for day, _shift, n in sheet.gaps] == []


def test_conflicts_too_many_days_in_a_row_counting_last_month(mall, supervisor, team, clock):
    march = services.roster_draw_up(mall=mall, month=MARCH, actor=supervisor)
    services.roster_set_duties(roster=march, actor=supervisor, duties=week_pattern(team[:1], MARCH, [28, 29, 30, 31]))
    april = services.roster_draw_up(mall=mall, month=APRIL, actor=supervisor)
    services.roster_set_duties(roster=april, actor=supervisor, duties=week_pattern(team[:1], APRIL, [1, 2, 3, 4]))
    sheet = selectors.roster_sheet(april)
    # Default: at most 6 days in a row. 28 March to 2 April is six; 3 and 4 April are the 7th and 8th.
    assert [(user, day) for user, day, _message in sheet.conflicts] == [
        (team[0], date(2026, 4, 3)),
        (team[0], date(2026, 4, 4)),
    ]
    FrontDeskPolicy.objects.create(mall=mall, effective_from=date(2026, 3, 2), roster_max_consecutive_days=8)
    assert selectors.roster_sheet(april).conflicts == []


def test_someone_who_left_the_desk_is_a_conflict(mall, supervisor, team, clock):
    roster = services.roster_draw_up(mall=mall, month=APRIL, actor=supervisor)
    services.roster_set_duties(roster=roster, actor=supervisor, duties=week_pattern(team[:1], APRIL, [5]))
    StaffMembership.objects.filter(user=team[0]).update(is_active=False)
    sheet = selectors.roster_sheet(roster)
    assert [(u, d) for u, d, _m in sheet.conflicts] == [(team[0], date(2026, 4, 5))]
    assert not sheet.rows[0].on_desk
    # ...and can be taken off, but not put on another day.
    assert services.roster_set_duties(
        roster=roster, actor=supervisor, duties={(team[0].pk, date(2026, 4, 5)): Duty.OFF}
    )
    with pytest.raises(ValidationError):
        services.roster_set_duties(roster=roster, actor=supervisor, duties=week_pattern(team[:1], APRIL, [6]))


# --- Who is expected ----------------------------------------------------------------------------


def test_on_duty_reads_the_published_roster_only(mall, supervisor, team, clock):
    roster = services.roster_draw_up(mall=mall, month=MARCH, actor=supervisor)
    services.roster_set_duties(
        roster=roster,
        actor=supervisor,
        duties={
            (team[0].pk, date(2026, 3, 2)): Duty.MORNING,
            (team[1].pk, date(2026, 3, 2)): Duty.FULL,
            (team[2].pk, date(2026, 3, 2)): Duty.OFF,
        },
    )
    assert all(people == [] for _shift, _label, people in selectors.on_duty(mall, date(2026, 3, 2)))
    services.roster_publish(roster=roster, actor=supervisor)
    expected = {shift: people for shift, _label, people in selectors.on_duty(mall, date(2026, 3, 2))}
    assert set(expected["morning"]) == {team[0], team[1]} and expected["evening"] == [team[1]]
    assert all(people == [] for _shift, _label, people in selectors.on_duty(mall, date(2026, 3, 3)))


# --- Pages --------------------------------------------------------------------------------------


def test_the_supervisor_works_the_roster_through_its_pages(client, mall, supervisor, team, clock):
    client.force_login(supervisor)
    page = client.get(reverse("frontdesk:rosters"))
    assert page.status_code == 200 and page.context["form"].initial["month"] == APRIL
    response = client.post(reverse("frontdesk:rosters"), {"month": "2026-04"})
    roster = DutyRoster.objects.get()
    assert response.url == reverse("frontdesk:roster", args=[roster.pk])
    page = client.get(response.url)
    form = page.context["form"]
    # The rendered form: every desk member (the supervisor too) has a row, every day a select.
    assert len(form.cell_names) == 4 * 30
    data = {name: field.initial for name, field in form.fields.items() if name.startswith("d-")}
    data[f"d-{team[0].pk}-1"] = "morning"
    data[f"d-{team[1].pk}-1"] = "full"
    page = client.post(response.url, data)
    assert page.status_code == 302
    assert {(e.staff, e.duty) for e in RosterEntry.objects.all()} == {(team[0], "morning"), (team[1], "full")}
    page = client.get(response.url).content.decode()
    assert "张丽" in page and "roster-gap" in page  # April's shifts are below the minimum of 2
    client.post(reverse("frontdesk:roster_publish", args=[roster.pk]))
    roster.refresh_from_db()
    assert roster.status == RosterStatus.PUBLISHED


def test_a_published_change_without_reason_shows_the_error_next_to_the_field(client, mall, supervisor, team, clock):
    roster = published_march(mall, supervisor, team, clock)
    client.force_login(supervisor)
    url = reverse("frontdesk:roster", args=[roster.pk])
    page = client.post(url, {f"d-{team[0].pk}-9": "off", "reason": ""})
    assert page.status_code == 200 and "reason" in page.context["form"].errors
    assert RosterEntry.objects.get(staff=team[0], day=date(2026, 3, 9)).duty == "morning"
    client.post(url, {f"d-{team[0].pk}-9": "off", "reason": "病假"})
    assert RosterEntry.objects.get(staff=team[0], day=date(2026, 3, 9)).duty == "off"


def test_the_desk_reads_the_published_roster_only(client, mall, other_mall, staff, supervisor, team, clock):
    draft = services.roster_draw_up(mall=mall, month=APRIL, actor=supervisor)
    roster = published_march(mall, supervisor, team, clock)
    elsewhere = staff(Role.SUPERVISOR, in_mall=other_mall)
    foreign = services.roster_draw_up(mall=other_mall, month=MARCH, actor=elsewhere)
    client.force_login(team[0])
    assert client.get(reverse("frontdesk:roster", args=[roster.pk])).status_code == 200
    assert client.get(reverse("frontdesk:roster", args=[draft.pk])).status_code == 404
    assert client.get(reverse("frontdesk:roster_print", args=[draft.pk])).status_code == 404
    assert client.get(reverse("frontdesk:roster", args=[foreign.pk])).status_code == 404
    assert client.get(reverse("frontdesk:roster_print", args=[foreign.pk])).status_code == 404
    listed = client.get(reverse("frontdesk:rosters")).context["page"].object_list
    assert list(listed) == [roster]
    # The desk neither edits nor publishes.
    assert client.get(reverse("frontdesk:roster", args=[roster.pk])).context["form"] is None
    assert client.post(reverse("frontdesk:roster", args=[roster.pk]), {f"d-{team[0].pk}-9": "off"}).status_code == 403
    assert client.post(reverse("frontdesk:rosters"), {"month": "2026-05"}).status_code == 403
    client.post(reverse("frontdesk:roster_publish", args=[roster.pk]))
    assert RosterEntry.objects.get(staff=team[0], day=date(2026, 3, 9)).duty == "morning"
    assert DutyRoster.objects.filter(mall=mall).count() == 2


def test_the_handover_page_and_the_days_log_show_who_is_expected(client, mall, supervisor, team, clock):
    published_march(mall, supervisor, team, clock)
    client.force_login(team[0])
    page = client.get(reverse("frontdesk:handovers")).content.decode()
    assert "按排班表值班" in page and "李娜" in page and "王芳" in page
    handover = services.handover_record(mall=mall, actor=team[0], shift="morning", keys_and_items="钥匙")
    detail = client.get(reverse("frontdesk:handover", args=[handover.pk]))
    assert set(detail.context["expected"]["people"]) == {team[1], team[2]}  # the evening shift of 2 March
    client.force_login(supervisor)
    log = client.get(reverse("frontdesk:print_desk_log") + "?date=2026-03-02").content.decode()
    assert "按排班表值班" in log and "张丽" in log


def test_the_paper_form_in_chinese_and_in_english(client, mall, supervisor, team, clock):
    roster = published_march(mall, supervisor, team, clock)
    client.force_login(supervisor)
    sheet = client.get(reverse("frontdesk:roster_print", args=[roster.pk])).content.decode()
    assert "上海真北商场客户服务中心值班安排表" in sheet
    assert ">早</td>" in sheet and ">晚</td>" in sheet and ">全</td>" in sheet and ">休</td>" in sheet
    client.cookies["django_language"] = "en"
    sheet = client.get(reverse("frontdesk:roster_print", args=[roster.pk])).content
    sheet = sheet.decode()
    assert "Customer Service Centre duty roster" in sheet and ">M</td>" in sheet and "值班安排表" not in sheet


def test_pages_cost_a_fixed_number_of_queries(
    client, mall, staff, supervisor, team, clock, django_assert_max_num_queries
):
    for n in range(5):
        staff(Role.FRONT_DESK, username=f"extra{n}", first_name=f"员工{n}")
    roster = published_march(mall, supervisor, team, clock)
    services.roster_draw_up(mall=mall, month=APRIL, actor=supervisor, copy_previous=True)
    client.force_login(supervisor)
    for url in (
        reverse("frontdesk:rosters"),
        reverse("frontdesk:roster", args=[roster.pk]),
        reverse("frontdesk:roster_print", args=[roster.pk]),
    ):
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200
