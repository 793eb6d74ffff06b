"""Planning a run, its stops in order, and the driver marking them (drivers.services)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from drivers import services
from drivers.models import StopAction, StopStatus, StopTask
from returns.models import ReturnStatus
from servicedesk.roles import Role
from servicedesk.workflow import TransitionRefused
from tests.drivers.factories import approved_return, photo, planned_visit, run_for
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.CLERK, Role.SUPERVISOR])
def test_clerk_or_supervisor_plans_a_run(mall, role):
    planner, driver = make_staff(role, mall), make_staff(Role.DRIVER, mall)
    run = services.run_plan(mall=mall, actor=planner, run_on=timezone.localdate(), driver=driver, vehicle=" 沪A12345 ")
    assert (run.driver, run.planned_by, run.vehicle) == (driver, planner, "沪A12345")


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.CLERK, Role.SUPERVISOR)])
def test_other_roles_cannot_plan(mall, role):
    actor = make_staff(role, mall)
    with pytest.raises(PermissionDenied):
        services.run_plan(mall=mall, actor=actor, run_on=timezone.localdate(), driver=make_staff(Role.DRIVER, mall))


def test_past_day_and_a_non_driver_are_both_reported(mall, other_mall):
    clerk = make_staff(Role.CLERK, mall)
    for driver in (make_staff(Role.FRONT_DESK, mall), make_staff(Role.DRIVER, other_mall), None):
        with pytest.raises(ValidationError) as caught:
            services.run_plan(mall=mall, actor=clerk, run_on=timezone.localdate() - timedelta(days=1), driver=driver)
        assert set(caught.value.message_dict) == {"run_on", "driver"}


def test_stops_take_the_next_position_and_the_cases_details(mall):
    clerk = make_staff(Role.CLERK, mall)
    run = run_for(mall, planner=clerk)
    r = approved_return(mall, customer__mobile="13812345678")
    first = services.stop_add(run=run, actor=clerk, task=StopTask.PICK_UP, return_request=r)
    visit = planned_visit(mall, clerk)
    second = services.stop_add(run=run, actor=clerk, task=StopTask.VISIT, home_visit=visit, address=" 3号楼 ")
    assert (first.position, second.position) == (1, 2)
    assert (first.address, first.customer_name, first.customer_mobile_masked) == (
        "上海市普陀区真北路1号",
        r.customer.name,
        "138****5678",
    )
    assert second.address == "3号楼" and second.home_visit == visit and second.return_request is None


def test_a_return_not_approved_or_of_another_mall_is_refused(mall, other_mall):
    clerk = make_staff(Role.CLERK, mall)
    run = run_for(mall, planner=clerk)
    for r in (
        approved_return(mall, status=ReturnStatus.REQUESTED),
        approved_return(mall, status=ReturnStatus.GOODS_RECEIVED),
        approved_return(other_mall),
        None,
    ):
        with pytest.raises(ValidationError) as caught:
            services.stop_add(run=run, actor=clerk, task=StopTask.PICK_UP, return_request=r)
        assert "case" in caught.value.message_dict
    assert not run.stops.exists()


def test_a_made_visit_or_another_malls_visit_is_refused(mall, other_mall):
    clerk = make_staff(Role.CLERK, mall)
    run = run_for(mall, planner=clerk)
    made = planned_visit(mall, clerk, visited_at=timezone.now())
    for visit in (made, planned_visit(other_mall, clerk), None):
        with pytest.raises(ValidationError) as caught:
            services.stop_add(run=run, actor=clerk, task=StopTask.VISIT, home_visit=visit)
        assert "case" in caught.value.message_dict


def test_a_stop_needs_an_address_and_a_known_task(mall):
    clerk = make_staff(Role.CLERK, mall)
    run = run_for(mall, planner=clerk)
    r = approved_return(mall, pickup_address="", customer__address="")
    with pytest.raises(ValidationError) as caught:
        services.stop_add(run=run, actor=clerk, task=StopTask.PICK_UP, return_request=r)
    assert "address" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.stop_add(run=run, actor=clerk, task="fly", return_request=r)
    assert "task" in caught.value.message_dict


def test_no_stop_is_added_to_a_past_run_or_by_the_driver(mall):
    clerk = make_staff(Role.CLERK, mall)
    past = run_for(mall, planner=clerk, run_on=timezone.localdate() - timedelta(days=1))
    with pytest.raises(ValidationError):
        services.stop_add(run=past, actor=clerk, task=StopTask.PICK_UP, return_request=approved_return(mall))
    run = run_for(mall, planner=clerk)
    with pytest.raises(PermissionDenied):
        services.stop_add(run=run, actor=run.driver, task=StopTask.PICK_UP, return_request=approved_return(mall))


def _pick_up_stop(mall):
    clerk = make_staff(Role.CLERK, mall)
    run = run_for(mall, planner=clerk)
    return services.stop_add(run=run, actor=clerk, task=StopTask.PICK_UP, return_request=approved_return(mall))


def test_picked_up_records_the_goods_received_on_the_return(mall):
    stop = _pick_up_stop(mall)
    done = services.stop_mark(stop=stop, actor=stop.run.driver, action=StopAction.PICKED_UP, photo=photo())
    assert done.status == StopStatus.PICKED_UP and done.done_at is not None and done.photo.name.endswith(".jpg")
    r = done.return_request
    r.refresh_from_db()
    assert r.status == ReturnStatus.GOODS_RECEIVED and r.goods_received_on == timezone.localdate()
    with pytest.raises(TransitionRefused):
        services.stop_mark(stop=stop, actor=stop.run.driver, action=StopAction.ABSENT, photo=photo())


def test_customer_absent_leaves_the_return_as_it_was(mall):
    stop = _pick_up_stop(mall)
    services.stop_mark(stop=stop, actor=stop.run.driver, action=StopAction.ABSENT, photo=photo(), note="电话未接")
    stop.refresh_from_db()
    stop.return_request.refresh_from_db()
    assert stop.status == StopStatus.ABSENT and stop.note == "电话未接"
    assert stop.return_request.status == ReturnStatus.APPROVED


def test_a_visit_is_marked_delivered_not_picked_up(mall):
    clerk = make_staff(Role.CLERK, mall)
    run = run_for(mall, planner=clerk)
    stop = services.stop_add(run=run, actor=clerk, task=StopTask.VISIT, home_visit=planned_visit(mall, clerk))
    with pytest.raises(ValidationError) as caught:
        services.stop_mark(stop=stop, actor=run.driver, action=StopAction.PICKED_UP, photo=photo())
    assert set(caught.value.message_dict) == {"action"}
    services.stop_mark(stop=stop, actor=run.driver, action=StopAction.DELIVERED, photo=photo())
    stop.refresh_from_db()
    assert stop.status == StopStatus.DELIVERED


def test_only_the_runs_own_driver_marks(mall):
    stop = _pick_up_stop(mall)
    for actor in (make_staff(Role.DRIVER, mall), make_staff(Role.CLERK, mall), make_staff(Role.SUPERVISOR, mall)):
        with pytest.raises(PermissionDenied):
            services.stop_mark(stop=stop, actor=actor, action=StopAction.PICKED_UP, photo=photo())
    stop.refresh_from_db()
    assert stop.status == StopStatus.PLANNED


def test_every_error_at_once_and_nothing_saved(mall):
    stop = _pick_up_stop(mall)
    stop.run.run_on = timezone.localdate() + timedelta(days=1)
    stop.run.save()
    with pytest.raises(ValidationError) as caught:
        services.stop_mark(stop=stop, actor=stop.run.driver, action=StopAction.DELIVERED, photo=None)
    assert set(caught.value.message_dict) == {"__all__", "action", "photo"}
    stop.refresh_from_db()
    stop.return_request.refresh_from_db()
    assert stop.status == StopStatus.PLANNED and stop.return_request.status == ReturnStatus.APPROVED


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [("stop.exe", b"MZ", "only"), ("stop.jpg", b"GIF89a", "not a real"), ("big.png", None, "limit")],
)
def test_the_photo_is_checked(mall, settings, name, content, code):
    stop = _pick_up_stop(mall)
    if content is None:
        content = b"\x89PNG\r\n\x1a\n" + b"0" * (5 * 1024 * 1024)
    with pytest.raises(ValidationError) as caught:
        services.stop_mark(stop=stop, actor=stop.run.driver, action=StopAction.PICKED_UP, photo=photo(name, content))
    assert list(caught.value.message_dict) == ["photo"]


def test_a_refused_return_rolls_the_stop_back(mall):
    stop = _pick_up_stop(mall)
    r = stop.return_request
    r.status = ReturnStatus.REFUSED
    r.save()
    with pytest.raises(TransitionRefused):
        services.stop_mark(stop=stop, actor=stop.run.driver, action=StopAction.PICKED_UP, photo=photo())
    stop.refresh_from_db()
    assert stop.status == StopStatus.PLANNED and not stop.photo
