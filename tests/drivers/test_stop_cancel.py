"""Cancelling a planned stop (取消站点): who may, the reason, what it frees, and the pages."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from drivers import services
from drivers.forms import StopDoneForm
from drivers.models import DeliveryRun, RunStop, StopAction, StopStatus, StopTask
from returns.models import ReturnStatus
from servicedesk.roles import Role
from servicedesk.workflow import TransitionRefused
from tests.drivers.factories import approved_return, photo, run_for, settled_exchange
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

PICK, DELIVER = StopTask.EXCHANGE_PICK_UP, StopTask.EXCHANGE_DELIVERY


def _return_stop(mall, clerk=None, driver=None):
    clerk = clerk or make_staff(Role.CLERK, mall)
    run = run_for(mall, planner=clerk, driver=driver)
    stop = services.stop_add(run=run, actor=clerk, task=StopTask.PICK_UP, return_request=approved_return(mall))
    return stop, clerk


def _day_passes(run):
    DeliveryRun.objects.filter(pk=run.pk).update(run_on=timezone.localdate() - timedelta(days=1))


@pytest.mark.parametrize("role", [Role.CLERK, Role.SUPERVISOR])
def test_a_planner_cancels_a_planned_stop_with_its_reason_and_the_case_is_unchanged(mall, role):
    stop, _ = _return_stop(mall)
    planner = make_staff(role, mall)
    cancelled = services.stop_cancel(stop=stop, actor=planner, reason="  顾客改约下周  ")
    stop.refresh_from_db()
    assert (stop.status, stop.cancel_reason, stop.done_at) == (StopStatus.CANCELLED, "顾客改约下周", None)
    assert cancelled.history.first().history_user == planner
    assert stop.return_request.status == ReturnStatus.APPROVED  # still waiting for its pick-up


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.CLERK, Role.SUPERVISOR)])
def test_no_other_role_cancels(mall, role):
    stop, _ = _return_stop(mall)
    with pytest.raises(PermissionDenied):
        services.stop_cancel(stop=stop, actor=make_staff(role, mall), reason="改约")
    assert RunStop.objects.get(pk=stop.pk).status == StopStatus.PLANNED


def test_another_malls_clerk_cannot_cancel(mall, other_mall):
    stop, _ = _return_stop(mall)
    with pytest.raises(PermissionDenied):
        services.stop_cancel(stop=stop, actor=make_staff(Role.CLERK, other_mall), reason="改约")


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_reason_is_required_and_nothing_is_saved_without_it(mall, reason):
    stop, clerk = _return_stop(mall)
    with pytest.raises(ValidationError) as caught:
        services.stop_cancel(stop=stop, actor=clerk, reason=reason)
    assert set(caught.value.message_dict) == {"reason"}
    assert RunStop.objects.get(pk=stop.pk).status == StopStatus.PLANNED


@pytest.mark.parametrize("status", [StopStatus.PICKED_UP, StopStatus.ABSENT, StopStatus.CANCELLED])
def test_only_a_planned_stop_is_cancelled(mall, status):
    stop, clerk = _return_stop(mall)
    RunStop.objects.filter(pk=stop.pk).update(status=status)
    with pytest.raises(TransitionRefused):
        services.stop_cancel(stop=stop, actor=clerk, reason="改约")
    assert RunStop.objects.get(pk=stop.pk).status == status


def test_the_driver_cannot_mark_a_cancelled_stop_nor_cancel_from_the_phone(mall):
    driver = make_staff(Role.DRIVER, mall)
    stop, clerk = _return_stop(mall, driver=driver)
    services.stop_cancel(stop=stop, actor=clerk, reason="改约")
    with pytest.raises(TransitionRefused):
        services.stop_mark(stop=stop, actor=driver, action=StopAction.PICKED_UP, photo=photo())
    form = StopDoneForm({"action": StopAction.CANCEL}, {"photo": photo()})
    assert not form.is_valid() and "action" in form.errors


def test_a_missed_exchange_stop_is_cancelled_and_the_exchange_goes_on_another_run(mall):
    """The driver marks only on the run's day; an exchange's stop left planned when the day passed
    kept the exchange off every other run ("already on a run") until it could be cancelled."""
    clerk = make_staff(Role.CLERK, mall)
    run = run_for(mall, planner=clerk)
    exchange = settled_exchange(mall)
    stop = services.stop_add(run=run, actor=clerk, task=PICK, exchange=exchange)
    _day_passes(run)
    tomorrow = run_for(mall, planner=clerk, run_on=timezone.localdate() + timedelta(days=1))
    with pytest.raises(ValidationError):
        services.stop_add(run=tomorrow, actor=clerk, task=PICK, exchange=exchange)
    services.stop_cancel(stop=stop, actor=clerk, reason="当天未取，改约明天")
    again = services.stop_add(run=tomorrow, actor=clerk, task=PICK, exchange=exchange)
    assert again.status == StopStatus.PLANNED and again.exchange == exchange


def test_a_pick_up_with_its_delivery_after_it_on_the_run_is_cancelled_after_the_delivery(mall):
    clerk = make_staff(Role.CLERK, mall)
    run = run_for(mall, planner=clerk)
    exchange = settled_exchange(mall)
    pick = services.stop_add(run=run, actor=clerk, task=PICK, exchange=exchange)
    deliver = services.stop_add(run=run, actor=clerk, task=DELIVER, exchange=exchange)
    with pytest.raises(ValidationError) as caught:
        services.stop_cancel(stop=pick, actor=clerk, reason="改约")
    assert "2" in caught.value.message_dict["__all__"][0]
    assert RunStop.objects.get(pk=pick.pk).status == StopStatus.PLANNED
    services.stop_cancel(stop=deliver, actor=clerk, reason="改约")
    services.stop_cancel(stop=pick, actor=clerk, reason="改约")
    assert set(run.stops.values_list("status", flat=True)) == {StopStatus.CANCELLED}


def test_the_page_cancels_with_the_reason_and_the_run_shows_it(client, mall):
    stop, clerk = _return_stop(mall)
    client.force_login(clerk)
    run_page = client.get(reverse("drivers:run", args=[stop.run_id])).content.decode()
    assert reverse("drivers:stop_cancel", args=[stop.pk]) in run_page
    form_page = client.get(reverse("drivers:stop_cancel", args=[stop.pk]))
    assert form_page.status_code == 200 and stop.address in form_page.content.decode()
    response = client.post(reverse("drivers:stop_cancel", args=[stop.pk]), {"reason": "顾客改约下周"}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("drivers:run", args=[stop.run_id])
    assert "已取消" in page and "顾客改约下周" in page
    assert reverse("drivers:stop_cancel", args=[stop.pk]) not in page  # nothing left to cancel
    sheet = client.get(reverse("drivers:sheet", args=[stop.run_id])).content.decode()
    assert "已取消" in sheet


@pytest.mark.parametrize(
    "language, message", [("zh-hans", "请说明取消站点的原因。"), ("en", "Say why the stop is cancelled.")]
)
def test_a_missing_reason_is_named_next_to_its_field(client, mall, language, message):
    stop, clerk = _return_stop(mall)
    client.force_login(clerk)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(reverse("drivers:stop_cancel", args=[stop.pk]), {"reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == [message]
    assert message in response.content.decode()
    assert RunStop.objects.get(pk=stop.pk).status == StopStatus.PLANNED


def test_a_stop_no_longer_planned_sends_the_planner_back_to_the_run(client, mall):
    stop, clerk = _return_stop(mall)
    RunStop.objects.filter(pk=stop.pk).update(status=StopStatus.ABSENT)
    client.force_login(clerk)
    response = client.post(reverse("drivers:stop_cancel", args=[stop.pk]), {"reason": "改约"})
    assert response.status_code == 302 and response.url == reverse("drivers:run", args=[stop.run_id])
    assert RunStop.objects.get(pk=stop.pk).status == StopStatus.ABSENT


def test_the_manager_reads_the_run_without_a_cancel_link(client, mall):
    stop, _ = _return_stop(mall)
    client.force_login(make_staff(Role.MANAGER, mall))
    page = client.get(reverse("drivers:run", args=[stop.run_id])).content.decode()
    assert reverse("drivers:stop_cancel", args=[stop.pk]) not in page
    assert client.post(reverse("drivers:stop_cancel", args=[stop.pk]), {"reason": "x"}).status_code == 403


def test_the_drivers_phone_shows_the_cancelled_stop_without_a_form(client, mall):
    driver = make_staff(Role.DRIVER, mall)
    stop, clerk = _return_stop(mall, driver=driver)
    services.stop_cancel(stop=stop, actor=clerk, reason="顾客改约下周")
    client.force_login(driver)
    page = client.get(reverse("drivers:today")).content.decode()
    assert "已取消" in page and "顾客改约下周" in page
    assert reverse("drivers:stop_done", args=[stop.pk]) not in page


def test_a_reason_longer_than_its_column_is_refused_next_to_its_field_in_chinese(mall):
    stop, clerk = _return_stop(mall)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        services.stop_cancel(stop=stop, actor=clerk, reason="改" * 201)
    assert set(caught.value.message_dict) == {"reason"}
    assert "200" in caught.value.message_dict["reason"][0] and "201" in caught.value.message_dict["reason"][0]
    assert "确保" in caught.value.message_dict["reason"][0]
    assert RunStop.objects.get(pk=stop.pk).status == StopStatus.PLANNED
    assert services.stop_cancel(stop=stop, actor=clerk, reason="改" * 200).status == StopStatus.CANCELLED
