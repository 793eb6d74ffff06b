"""Exchange stops (换货取旧 / 换货送新): which exchanges a run takes, the driver's mark recording the
exchange's pick-up and delivery through the exchanges service, customer absent, roles, isolation,
the run sheet's goods and mobiles, and bad input on the run page."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from drivers import services
from drivers.models import RunStop, StopAction, StopStatus, StopTask
from exchanges.models import ExchangeAction, ExchangeStatus
from servicedesk.models import PhoneViewLog
from servicedesk.roles import Role
from servicedesk.workflow import TransitionRefused
from tests.drivers.factories import photo, run_for, settled_exchange
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

PICK, DELIVER = StopTask.EXCHANGE_PICK_UP, StopTask.EXCHANGE_DELIVERY
S = ExchangeStatus


def _run(mall, **kwargs):
    clerk = make_staff(Role.CLERK, mall)
    return run_for(mall, planner=clerk, **kwargs), clerk


def _planned(mall):
    """Today's run with the exchange's pick-up then its delivery."""
    run, clerk = _run(mall)
    e = settled_exchange(mall, customer__mobile="13812345678", goods="布艺沙发", model="FS-1", quantity=1)
    pick = services.stop_add(run=run, actor=clerk, task=PICK, exchange=e)
    deliver = services.stop_add(run=run, actor=clerk, task=DELIVER, exchange=e, address=" 3号楼 ")
    return run, e, pick, deliver


def test_a_settled_exchange_takes_a_pick_up_then_a_delivery_on_the_same_run(mall):
    _, e, pick, deliver = _planned(mall)
    assert (pick.position, pick.task, pick.exchange, pick.return_request, pick.home_visit) == (1, PICK, e, None, None)
    assert (pick.address, pick.customer_name, pick.customer_mobile_masked) == (
        e.customer.address,
        e.customer.name,
        "138****5678",
    )
    assert (deliver.position, deliver.address) == (2, "3号楼")
    assert pick.goods_label == "布艺沙发 FS-1 ×1" and deliver.goods_label == "灰色布艺沙发 GS-3 ×1"
    assert pick.case_label == deliver.case_label == e.number


# Which state each task takes when planned (no pick-up stop on the run): pick-up after the
# settlement, delivery after the pick-up (DOMAIN: the old goods come back before the new go out).
ALLOWED = {(S.SETTLED, PICK), (S.PICKED_UP, DELIVER)}


@pytest.mark.parametrize(("state", "task"), [(state, task) for state in S.values for task in (PICK, DELIVER)])
def test_only_an_exchange_in_the_right_state_is_put_on_a_run(mall, state, task):
    run, clerk = _run(mall)
    e = settled_exchange(mall, status=state, picked_up_on=date(2026, 11, 21))
    if (state, task) in ALLOWED:
        assert services.stop_add(run=run, actor=clerk, task=task, exchange=e).exchange == e
        return
    with pytest.raises(ValidationError) as caught:
        services.stop_add(run=run, actor=clerk, task=task, exchange=e)
    assert list(caught.value.message_dict) == ["case"]
    assert not run.stops.exists()


def test_a_delivery_before_any_pick_up_is_refused_and_another_runs_pick_up_does_not_count(mall):
    run, clerk = _run(mall)
    e = settled_exchange(mall)
    with pytest.raises(ValidationError):
        services.stop_add(run=run, actor=clerk, task=DELIVER, exchange=e)
    later, _clerk = _run(mall, run_on=timezone.localdate() + timedelta(days=1))
    services.stop_add(run=later, actor=clerk, task=PICK, exchange=e)
    with pytest.raises(ValidationError):
        services.stop_add(run=run, actor=clerk, task=DELIVER, exchange=e)
    assert services.stop_add(run=later, actor=clerk, task=DELIVER, exchange=e).position == 2


def test_another_malls_exchange_or_none_is_refused(mall, other_mall):
    run, clerk = _run(mall)
    for e in (settled_exchange(other_mall), None):
        with pytest.raises(ValidationError) as caught:
            services.stop_add(run=run, actor=clerk, task=PICK, exchange=e)
        assert list(caught.value.message_dict) == ["case"]
    assert not run.stops.exists()


def test_the_same_exchange_is_on_one_open_stop_per_task(mall):
    run, e, pick, _deliver = _planned(mall)
    other, clerk = _run(mall, run_on=timezone.localdate() + timedelta(days=2))
    for task in (PICK, DELIVER):
        for target in (run, other):
            with pytest.raises(ValidationError) as caught:
                services.stop_add(run=target, actor=clerk, task=task, exchange=e)
            assert list(caught.value.message_dict) == ["case"]
    # The database holds the rule too (two planners at once).
    with pytest.raises(IntegrityError), transaction.atomic():
        RunStop.objects.create(
            run=other, position=9, task=PICK, exchange=e, address="x", customer_name="x", customer_mobile_masked="x"
        )
    # Customer absent closes the stop: the pick-up can be planned again.
    services.stop_mark(stop=pick, actor=run.driver, action=StopAction.ABSENT, photo=photo())
    assert services.stop_add(run=other, actor=clerk, task=PICK, exchange=e).position == 1


def test_the_driver_picks_up_then_delivers_and_the_exchange_records_both(mall):
    run, e, pick, deliver = _planned(mall)
    run.driver.first_name = "李师傅"
    run.driver.save()
    services.stop_mark(stop=pick, actor=run.driver, action=StopAction.PICKED_UP, photo=photo())
    e.refresh_from_db()
    assert (e.status, e.picked_up_on, e.driver) == (S.PICKED_UP, run.run_on, "李师傅")
    assert e.history.first().history_user == run.driver
    services.stop_mark(stop=deliver, actor=run.driver, action=StopAction.DELIVERED, photo=photo(), note="已安装")
    e.refresh_from_db()
    deliver.refresh_from_db()
    assert (e.status, e.delivered_on) == (S.DELIVERED, run.run_on)
    assert (deliver.status, deliver.note) == (StopStatus.DELIVERED, "已安装") and deliver.done_at


def test_customer_absent_leaves_the_exchange_unchanged(mall):
    run, e, pick, deliver = _planned(mall)
    for stop in (pick, deliver):
        services.stop_mark(stop=stop, actor=run.driver, action=StopAction.ABSENT, photo=photo())
    e.refresh_from_db()
    assert (e.status, e.picked_up_on, e.delivered_on, e.driver) == (S.SETTLED, None, None, "")
    assert set(run.stops.values_list("status", flat=True)) == {StopStatus.ABSENT}


def test_the_delivery_before_the_pick_up_is_marked_is_refused_and_nothing_saved(mall):
    run, e, _pick, deliver = _planned(mall)
    with pytest.raises(TransitionRefused):
        services.stop_mark(stop=deliver, actor=run.driver, action=StopAction.DELIVERED, photo=photo())
    deliver.refresh_from_db()
    e.refresh_from_db()
    assert deliver.status == StopStatus.PLANNED and not deliver.photo and e.status == S.SETTLED


@pytest.mark.parametrize("state", [S.REFUSED, S.CLOSED, S.PICKED_UP])
def test_an_exchange_moved_on_since_planning_rolls_the_stop_back(mall, state):
    run, e, pick, _deliver = _planned(mall)
    type(e).objects.filter(pk=e.pk).update(status=state)
    with pytest.raises(TransitionRefused):
        services.stop_mark(stop=pick, actor=run.driver, action=StopAction.PICKED_UP, photo=photo())
    pick.refresh_from_db()
    e.refresh_from_db()
    assert pick.status == StopStatus.PLANNED and e.status == state and e.picked_up_on is None


def test_the_mark_must_fit_the_exchange_task(mall):
    run, e, pick, deliver = _planned(mall)
    for stop, wrong in ((pick, StopAction.DELIVERED), (deliver, StopAction.PICKED_UP)):
        with pytest.raises(ValidationError) as caught:
            services.stop_mark(stop=stop, actor=run.driver, action=wrong, photo=photo())
        assert list(caught.value.message_dict) == ["action"]
    e.refresh_from_db()
    assert e.status == S.SETTLED


def test_a_past_run_day_is_refused_and_the_exchange_untouched(mall):
    run, e, pick, _deliver = _planned(mall)
    type(run).objects.filter(pk=run.pk).update(run_on=timezone.localdate() + timedelta(days=1))
    pick.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        services.stop_mark(stop=pick, actor=run.driver, action=StopAction.PICKED_UP, photo=None)
    assert set(caught.value.message_dict) == {"__all__", "photo"}
    e.refresh_from_db()
    assert e.status == S.SETTLED


# --- Roles ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_only_clerks_and_supervisors_put_an_exchange_on_a_run(mall, role):
    run, _clerk = _run(mall)
    actor = make_staff(role, mall)
    e = settled_exchange(mall)
    if role in (Role.CLERK, Role.SUPERVISOR):
        assert services.stop_add(run=run, actor=actor, task=PICK, exchange=e).exchange == e
    else:
        with pytest.raises(PermissionDenied):
            services.stop_add(run=run, actor=actor, task=PICK, exchange=e)
        assert not run.stops.exists()


@pytest.mark.parametrize("role", list(Role))
def test_only_the_runs_own_driver_marks_an_exchange_stop(mall, role):
    _, e, pick, _deliver = _planned(mall)
    actor = make_staff(role, mall)  # a driver too, but not this run's
    with pytest.raises(PermissionDenied):
        services.stop_mark(stop=pick, actor=actor, action=StopAction.PICKED_UP, photo=photo())
    e.refresh_from_db()
    pick.refresh_from_db()
    assert e.status == S.SETTLED and pick.status == StopStatus.PLANNED


def test_the_exchange_table_lets_the_driver_pick_up_and_deliver_and_nothing_else():
    from exchanges.models import EXCHANGE_TRANSITIONS

    assert {action for (_state, action), (_new, roles) in EXCHANGE_TRANSITIONS.items() if Role.DRIVER in roles} == {
        ExchangeAction.PICK_UP,
        ExchangeAction.DELIVER,
    }


def test_the_driver_cannot_use_the_exchange_pages(client, mall):
    run, e, _pick, _deliver = _planned(mall)
    client.force_login(run.driver)
    assert client.get(reverse("exchanges:detail", args=[e.pk])).status_code == 403
    response = client.post(
        reverse("exchanges:action", args=[e.pk, ExchangeAction.PICK_UP]), {"pick_up-picked_up_on": "2026-12-01"}
    )
    assert response.status_code == 403
    e.refresh_from_db()
    assert e.status == S.SETTLED


# --- Pages ----------------------------------------------------------------------------------------


def _add(client, run, case, address=""):
    return client.post(reverse("drivers:run", args=[run.pk]), {"case": case, "address": address})


def test_the_run_page_offers_and_adds_exchange_stops(client, mall):
    run, clerk = _run(mall)
    e = settled_exchange(mall)
    client.force_login(clerk)
    choices = dict(client.get(reverse("drivers:run", args=[run.pk])).context["form"].fields["case"].choices)
    assert f"x{e.pk}" in choices and f"d{e.pk}" in choices
    assert _add(client, run, f"x{e.pk}").status_code == 302
    assert _add(client, run, f"d{e.pk}").status_code == 302
    assert list(run.stops.values_list("task", flat=True)) == [PICK, DELIVER]
    page = client.get(reverse("drivers:run", args=[run.pk])).content.decode()
    assert "换货取旧货" in page and "换货送新货" in page and "灰色布艺沙发" in page


def test_bad_case_keys_are_refused_next_to_the_field_and_nothing_saved(client, mall):
    run, clerk = _run(mall)
    refused = settled_exchange(mall, status=S.REFUSED)
    early = settled_exchange(mall, status=S.CONFIRMED)
    client.force_login(clerk)
    for key in (f"x{refused.pk}", f"d{refused.pk}", f"x{early.pk}", "x999999", "xx", "", "d"):
        response = _add(client, run, key)
        assert response.status_code == 200, key
        assert set(response.context["form"].errors) == {"case"}, key
    # A settled exchange offered for delivery, but without the run's pick-up stop before it.
    e = settled_exchange(mall)
    response = _add(client, run, f"d{e.pk}")
    assert response.status_code == 200
    assert "先取回旧货" in str(response.context["form"].errors["case"])
    assert not run.stops.exists()


def test_another_malls_exchange_posted_is_404(client, mall, other_mall):
    run, clerk = _run(mall)
    client.force_login(clerk)
    for key in ("x", "d"):
        assert _add(client, run, f"{key}{settled_exchange(other_mall).pk}").status_code == 404
    assert not run.stops.exists()


def _sheet_mobiles(client, user, run):
    client.force_login(user)
    response = client.get(reverse("drivers:sheet", args=[run.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("role", [Role.CLERK, Role.SUPERVISOR, Role.MANAGER])
def test_the_run_sheet_shows_full_mobiles_to_the_roles_that_call_customers_and_logs_them(client, mall, role):
    run, e, _pick, _deliver = _planned(mall)
    viewer = make_staff(role, mall)
    page = _sheet_mobiles(client, viewer, run)
    assert "13812345678" in page and "138****5678" not in page
    assert "布艺沙发 FS-1 ×1" in page and "灰色布艺沙发 GS-3 ×1" in page and "换货送新货" in page
    # Two stops, one customer: one showing logged.
    assert list(PhoneViewLog.objects.values_list("viewer", "customer")) == [(viewer.pk, e.customer_id)]


@pytest.mark.parametrize("role", [Role.HEAD_OFFICE, Role.DRIVER])
def test_the_run_sheet_masks_the_mobile_for_the_other_readers(client, mall, role):
    run, _e, _pick, _deliver = _planned(mall)
    viewer = run.driver if role == Role.DRIVER else make_staff(role, mall)
    page = _sheet_mobiles(client, viewer, run)
    assert "138****5678" in page and "13812345678" not in page
    assert not PhoneViewLog.objects.exists()


def test_the_drivers_phone_shows_what_to_take_and_bring(client, mall):
    run, e, _pick, _deliver = _planned(mall)
    client.force_login(run.driver)
    page = client.get(reverse("drivers:today")).content.decode()
    assert e.number in page and "布艺沙发 FS-1 ×1" in page and "灰色布艺沙发 GS-3 ×1" in page
    assert "13812345678" not in page


def test_the_phone_offers_only_the_marks_that_fit_each_stop(client, mall):
    run, _e, pick, deliver = _planned(mall)
    client.force_login(run.driver)
    page = client.get(reverse("drivers:today")).content.decode()
    assert f'id="a-{pick.pk}-picked_up"' in page and f'id="a-{pick.pk}-delivered"' not in page
    assert f'id="a-{deliver.pk}-delivered"' in page and f'id="a-{deliver.pk}-picked_up"' not in page
    assert f'id="a-{pick.pk}-absent"' in page and f'id="a-{deliver.pk}-absent"' in page


def test_the_sheet_and_the_phone_read_in_english(client, mall):
    from django.conf import settings

    from tests.servicedesk.test_english_prints import leaks

    run, e, pick, deliver = _planned(mall)
    data = (
        mall.name,
        e.number,
        pick.customer_name,
        pick.address,
        deliver.address,
        pick.goods_label,
        deliver.goods_label,
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for user, name in ((run.planned_by, "drivers:sheet"), (run.driver, "drivers:today")):
        client.force_login(user)
        page = client.get(reverse(name, args=[run.pk] if name == "drivers:sheet" else [])).content.decode()
        assert "Pick up the old goods (exchange)" in page and "Deliver the new goods (exchange)" in page
        names = (u.get_full_name() or u.username for u in (run.driver, run.planned_by))
        assert leaks(page, *data, *names) == [], name


def test_two_planners_at_once_get_a_clear_refusal_not_an_error(mall, monkeypatch):
    """The check before saving passed for both; the database's constraint answers the second."""
    run, clerk = _run(mall)
    e = settled_exchange(mall)
    services.stop_add(run=run, actor=clerk, task=PICK, exchange=e)
    other, _clerk = _run(mall, run_on=timezone.localdate() + timedelta(days=1))
    monkeypatch.setattr(services, "_exchange_refusal", lambda *args: None)
    monkeypatch.setattr(RunStop, "full_clean", lambda self, *args, **kwargs: None)
    with pytest.raises(ValidationError) as caught:
        services.stop_add(run=other, actor=clerk, task=PICK, exchange=e)
    assert list(caught.value.message_dict) == ["case"]
    assert not other.stops.exists()
