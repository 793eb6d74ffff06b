"""The reception and incident log (接待登记 / 突发事件记录): each kind's required facts and clock,
the manager told at once of official visits and serious emergencies, follow-ups, closing (by the
supervisor or manager where it must be), the registers, permissions and isolation."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from frontdesk import selectors, services
from frontdesk.models import INCIDENT_TRANSITIONS, DeskIncident, FrontDeskPolicy, IncidentNote, IncidentStatus
from servicedesk.models import Notification
from servicedesk.roles import Role
from servicedesk.workflow import TransitionRefused
from tests.frontdesk.conftest import at

pytestmark = pytest.mark.django_db

NOW = at(2026, 3, 2, 15, 0)

FACTS = {
    "visit": {
        "body_type": "media",
        "party_organisation": "上海电视台《新闻透视》",
        "party_name": "记者陈先生等2人",
        "summary": "了解商场周末促销活动的安全措施",
    },
    "emergency": {
        "emergency_type": "lost_child",
        "severity": "minor",
        "place": "二楼儿童家具区",
        "summary": "5岁男孩与家长走散",
        "acted_by": "王前台广播寻人，保安在出口等候",
    },
    "repair": {"place": "一楼东侧卫生间", "summary": "洗手池漏水", "party_name": "保洁员刘阿姨"},
    "suggestion": {"party_name": "赵女士", "party_phone": "13912345678", "summary": "希望增加母婴室的指示牌"},
}


def log(mall, actor, kind, **overrides):
    return services.incident_record(mall=mall, actor=actor, kind=kind, **(FACTS[kind] | overrides))


@pytest.mark.parametrize(
    ("kind", "prefix", "hours"),
    [("visit", "JD", 24), ("emergency", "TF", 24), ("repair", "BX", 24), ("suggestion", "YJ", 48)],
)
def test_each_kind_gets_its_number_and_clock(mall, desk, kind, prefix, hours, clock):
    incident = log(mall, desk, kind)
    assert incident.number == f"{prefix}-SH01-20260302-0001"
    assert incident.status == IncidentStatus.OPEN and incident.recorded_by == desk
    assert incident.due_at == NOW + timedelta(hours=hours)
    assert incident.occurred_on == date(2026, 3, 2)
    assert (incident.property_sent_at == NOW) is (kind == "repair")


def test_the_clocks_are_the_malls_settings(mall, desk, clock):
    FrontDeskPolicy.objects.create(
        mall=mall, effective_from=date(2026, 3, 2), suggestion_reply_days=3, repair_due_hours=4
    )
    assert log(mall, desk, "suggestion").due_at == NOW + timedelta(days=3)
    assert log(mall, desk, "repair").due_at == NOW + timedelta(hours=4)


def test_an_official_visit_is_told_to_the_manager_and_supervisor_at_once(
    mall, other_mall, staff, desk, supervisor, manager, clock
):
    elsewhere = staff(Role.MANAGER, in_mall=other_mall, username="elsewhere")  # another mall's: not told
    incident = log(mall, desk, "visit")
    assert incident.manager_told_at == NOW
    told = set(Notification.objects.filter(mall=mall).values_list("recipient__username", flat=True))
    assert told == {supervisor.username, manager.username}
    assert elsewhere.username not in told


@pytest.mark.parametrize(("severity", "told"), [("minor", False), ("serious", True), ("critical", True)])
def test_a_serious_emergency_is_told_at_once(mall, desk, manager, severity, told, clock):
    incident = log(mall, desk, "emergency", severity=severity)
    assert (incident.manager_told_at is not None) is told
    assert Notification.objects.filter(recipient=manager).exists() is told


@pytest.mark.parametrize(
    ("kind", "missing"),
    [
        ("visit", {"body_type", "party_organisation", "party_name", "summary"}),
        ("emergency", {"emergency_type", "severity", "place", "acted_by", "summary"}),
        ("repair", {"place", "summary"}),
        ("suggestion", {"party_name", "party_phone", "summary"}),
    ],
)
def test_every_missing_fact_is_named_at_once_and_nothing_is_saved(mall, desk, kind, missing, clock):
    with pytest.raises(ValidationError) as caught:
        services.incident_record(mall=mall, actor=desk, kind=kind, summary="  ")
    assert set(caught.value.message_dict) == missing
    assert not DeskIncident.objects.exists()


def test_a_time_to_come_is_refused(mall, desk, clock):
    with pytest.raises(ValidationError) as caught:
        log(mall, desk, "emergency", occurred_at=NOW + timedelta(hours=1))
    assert "occurred_at" in caught.value.message_dict
    earlier = log(mall, desk, "emergency", occurred_at=at(2026, 3, 1, 23, 50))
    assert earlier.occurred_on == date(2026, 3, 1)  # the Shanghai date, not the UTC one


def test_follow_up_and_close(mall, desk, clock):
    incident = log(mall, desk, "repair")
    services.incident_follow_up(incident=incident, actor=desk, text="物业回复下午派人")
    assert IncidentNote.objects.get().text == "物业回复下午派人"
    with pytest.raises(ValidationError):
        services.incident_close(incident=incident, actor=desk, outcome=" ")
    closed = services.incident_close(incident=incident, actor=desk, outcome="已更换水龙头")
    assert closed.status == IncidentStatus.CLOSED and closed.closed_at == NOW and closed.closed_by == desk
    assert set(INCIDENT_TRANSITIONS) == {("open", "follow_up"), ("open", "close")}
    with pytest.raises(TransitionRefused):
        services.incident_follow_up(incident=incident, actor=desk, text="再跟进")
    with pytest.raises(TransitionRefused):
        services.incident_close(incident=incident, actor=desk, outcome="again")


def test_a_suggestion_closes_with_the_written_reply(mall, desk, clock):
    incident = log(mall, desk, "suggestion")
    with pytest.raises(ValidationError) as caught:
        services.incident_close(incident=incident, actor=desk, outcome="")
    assert "outcome" in caught.value.message_dict


@pytest.mark.parametrize(("kind", "severity"), [("visit", None), ("emergency", "serious"), ("emergency", "critical")])
def test_visits_and_serious_emergencies_are_closed_by_the_supervisor_or_manager(
    mall, desk, supervisor, manager, kind, severity, clock
):
    incident = log(mall, desk, kind, **({"severity": severity} if severity else {}))
    with pytest.raises(PermissionDenied):
        services.incident_close(incident=incident, actor=desk, outcome="已处理")
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.OPEN
    services.incident_follow_up(incident=incident, actor=desk, text="前台可以跟进")
    assert services.incident_close(incident=incident, actor=supervisor, outcome="已处理").closed_by == supervisor


def test_a_minor_emergency_is_closed_by_the_desk(mall, desk, clock):
    incident = log(mall, desk, "emergency")
    assert services.incident_close(incident=incident, actor=desk, outcome="孩子已交还家长").status == "closed"


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
def test_who_logs_follows_up_and_closes(mall, staff, desk, role, may, clock):
    actor = staff(role)
    incident = log(mall, desk, "repair")
    if may:
        assert log(mall, actor, "suggestion").recorded_by == actor
        services.incident_follow_up(incident=incident, actor=actor, text="跟进")
        assert services.incident_close(incident=incident, actor=actor, outcome="已修好").closed_by == actor
    else:
        with pytest.raises(PermissionDenied):
            log(mall, actor, "suggestion")
        with pytest.raises(PermissionDenied):
            services.incident_follow_up(incident=incident, actor=actor, text="跟进")
        with pytest.raises(PermissionDenied):
            services.incident_close(incident=incident, actor=actor, outcome="已修好")
        assert DeskIncident.objects.count() == 1 and not IncidentNote.objects.exists()


def test_another_mall_sees_and_touches_nothing(client, mall, other_mall, staff, desk, clock):
    incident = log(mall, desk, "visit")
    stranger = staff(Role.FRONT_DESK, in_mall=other_mall)
    with pytest.raises(PermissionDenied):
        services.incident_follow_up(incident=incident, actor=stranger, text="x")
    client.force_login(stranger)
    assert client.get(reverse("frontdesk:incident", args=[incident.pk])).status_code == 404
    assert client.post(reverse("frontdesk:incident_close", args=[incident.pk]), {"outcome": "x"}).status_code == 404
    assert list(client.get(reverse("frontdesk:incidents")).context["page"].object_list) == []
    register = client.get(reverse("frontdesk:incident_register") + "?kind=visit&month=2026-03")
    assert incident.number not in register.content.decode()


def test_counts_for_the_weekly_report(mall, other_mall, desk, clock):
    log(mall, desk, "visit")
    log(mall, desk, "repair")
    log(mall, desk, "repair")
    counts = selectors.incident_counts([mall.pk, other_mall.pk], date(2026, 3, 2), date(2026, 3, 8))
    assert counts[mall.pk] == {"visit": 1, "emergency": 0, "repair": 2, "suggestion": 0}
    assert counts[other_mall.pk] == {"visit": 0, "emergency": 0, "repair": 0, "suggestion": 0}
    assert selectors.incident_counts([mall.pk], date(2026, 3, 3), date(2026, 3, 8))[mall.pk]["repair"] == 0


# --- Pages --------------------------------------------------------------------------------------


def test_logging_through_the_form(client, mall, desk, clock):
    client.force_login(desk)
    url = reverse("frontdesk:incident_new") + "?kind=emergency"
    page = client.post(url, {"summary": "顾客摔倒", "severity": "serious"})
    assert page.status_code == 200
    assert {"emergency_type", "place", "acted_by"} <= set(page.context["form"].errors)
    assert not DeskIncident.objects.exists()
    response = client.post(url, FACTS["emergency"] | {"occurred_at": "2026-03-02T14:40"})
    incident = DeskIncident.objects.get()
    assert response.url == reverse("frontdesk:incident", args=[incident.pk])
    assert incident.occurred_at == at(2026, 3, 2, 14, 40)
    client.post(reverse("frontdesk:incident_follow_up", args=[incident.pk]), {"text": "家长已找到"})
    client.post(reverse("frontdesk:incident_close", args=[incident.pk]), {"outcome": "孩子交还家长"})
    incident.refresh_from_db()
    assert incident.status == "closed" and incident.notes.count() == 1
    detail = client.get(reverse("frontdesk:incident", args=[incident.pk])).content.decode()
    assert "孩子交还家长" in detail and "家长已找到" in detail


def test_the_list_shows_overdue_entries(client, mall, desk, clock):
    repair = log(mall, desk, "repair")
    log(mall, desk, "suggestion")
    clock.move_to(NOW + timedelta(hours=25))
    client.force_login(desk)
    overdue = client.get(reverse("frontdesk:incidents") + "?state=overdue").context["page"].object_list
    assert list(overdue) == [repair]


@pytest.mark.parametrize(
    ("kind", "title_zh", "title_en"),
    [
        ("visit", "政府及媒体来访接待登记表", "register of government and media visits"),
        ("emergency", "突发事件记录表", "emergency record"),
        ("repair", "报修登记表", "facility repair register"),
        ("suggestion", "意见反馈登记表", "suggestion register"),
    ],
)
def test_each_kind_has_its_register(client, mall, desk, kind, title_zh, title_en, clock, settings):
    incident = log(mall, desk, kind)
    client.force_login(desk)
    url = reverse("frontdesk:incident_register") + f"?kind={kind}&month=2026-03"
    sheet = client.get(url).content.decode()
    assert title_zh in sheet and incident.number in sheet
    if kind == "suggestion":
        assert "13912345678" not in sheet and "139****5678" in sheet
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert title_en in client.get(url).content.decode()


def test_pages_cost_a_fixed_number_of_queries(client, mall, desk, clock, django_assert_max_num_queries):
    for kind in FACTS:
        for _ in range(3):
            incident = log(mall, desk, kind)
            services.incident_follow_up(incident=incident, actor=desk, text="跟进")
    client.force_login(desk)
    for url in (reverse("frontdesk:incidents"), reverse("frontdesk:incident_register") + "?kind=repair"):
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200


def test_the_weekly_report_counts_each_kind(mall, desk, clock):
    from reports.periods import week_of
    from reports.weekly import total, weekly_figures

    log(mall, desk, "visit")
    log(mall, desk, "emergency")
    log(mall, desk, "suggestion")
    log(mall, desk, "suggestion")
    log(mall, desk, "repair", occurred_at=at(2026, 3, 1, 23, 0))  # the Sunday before: last week
    figures = weekly_figures([mall.pk], week_of(date(2026, 3, 2)))[mall.pk]
    assert (figures["desk_visits"], figures["desk_emergencies"], figures["desk_repairs"]) == (1, 1, 0)
    assert figures["desk_suggestions"] == 2 and total([figures])["desk_suggestions"] == 2
    assert weekly_figures([mall.pk], week_of(date(2026, 3, 1)))[mall.pk]["desk_repairs"] == 1


def test_entries_past_their_clock_are_told_once(mall, staff, desk, supervisor, clock):
    from frontdesk.tasks import flag_overdue_incidents

    repair = log(mall, desk, "repair")  # due in 24 hours
    suggestion = log(mall, desk, "suggestion")  # due in 2 days
    closed = log(mall, desk, "repair")
    services.incident_close(incident=closed, actor=desk, outcome="已修好")
    clock.move_to(NOW + timedelta(hours=23, minutes=59))
    assert flag_overdue_incidents() == 0
    clock.move_to(NOW + timedelta(hours=24, minutes=1))
    assert flag_overdue_incidents() == 1
    assert flag_overdue_incidents() == 0  # once
    repair.refresh_from_db()
    assert repair.overdue_flagged_at == NOW + timedelta(hours=24, minutes=1)
    told = Notification.objects.filter(key=f"incident:{repair.pk}:overdue")
    assert set(told.values_list("recipient__username", flat=True)) == {desk.username, supervisor.username}
    clock.move_to(NOW + timedelta(days=3))
    assert flag_overdue_incidents() == 1
    suggestion.refresh_from_db()
    assert suggestion.overdue_flagged_at is not None
