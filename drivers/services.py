"""Every action on a driver run: planning it, adding stops in order, the driver marking a stop."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from exchanges.models import Exchange, ExchangeStatus
from exchanges.services import exchange_deliver, exchange_pick_up
from followups.models import HomeVisit
from returns.models import ReturnRequest, ReturnStatus
from returns.services import return_receive_goods
from servicedesk.access import has_role, require_role
from servicedesk.models import StaffMembership
from servicedesk.phones import mask_phone
from servicedesk.roles import Role
from servicedesk.services import save_by
from servicedesk.uploads import validate_photo
from servicedesk.workflow import check, lock

from .models import (
    DONE_ACTION,
    EXCHANGE_TASKS,
    PLANNERS,
    STOP_TRANSITIONS,
    DeliveryRun,
    RunStop,
    StopAction,
    StopStatus,
    StopTask,
)


def is_driver_of(mall, user):
    return StaffMembership.objects.active().filter(mall=mall, user=user, role=Role.DRIVER).exists()


def run_plan(*, mall, actor, run_on, driver, vehicle=""):
    require_role(actor, mall, *PLANNERS)
    errors = {}
    if run_on < timezone.localdate():
        errors["run_on"] = _("A run cannot be planned for a day that has passed.")
    if driver is None or not is_driver_of(mall, driver):
        errors["driver"] = _("Choose one of this mall's drivers.")
    if errors:
        raise ValidationError(errors)
    run = DeliveryRun(mall=mall, run_on=run_on, driver=driver, vehicle=vehicle.strip(), planned_by=actor)
    return save_by(run, actor)


@transaction.atomic
def stop_add(*, run, actor, task, return_request=None, home_visit=None, exchange=None, address=""):
    """The next stop of the run. A pick-up is for an approved return (the goods it takes back), a visit for a
    planned home visit of the same mall; an exchange's old goods are picked up once the difference is
    settled, its new goods delivered once the old are picked up (or after this run's own pick-up stop
    for it). The address defaults to the case's own."""
    require_role(actor, run.mall, *PLANNERS)
    run = lock(run, "mall")
    errors = {}
    if run.run_on < timezone.localdate():
        errors["__all__"] = _("This run's day has passed.")
    customer = None
    if task != StopTask.VISIT:
        home_visit = None
    if task not in EXCHANGE_TASKS:
        exchange = None
    if task == StopTask.PICK_UP:
        if return_request is None or return_request.mall_id != run.mall_id:
            errors["case"] = _("Choose a return of this mall.")
        elif return_request.status != ReturnStatus.APPROVED:
            errors["case"] = _("Only an approved return's goods are picked up.")
        else:
            customer = return_request.customer
            address = address.strip() or return_request.pickup_address or customer.address
        home_visit = None
    elif task == StopTask.VISIT:
        if home_visit is None or home_visit.mall_id != run.mall_id:
            errors["case"] = _("Choose a home visit of this mall.")
        elif home_visit.visited_at is not None:
            errors["case"] = _("This home visit has been made.")
        else:
            customer = home_visit.callback.customer
            address = address.strip() or home_visit.address
        return_request = None
    elif task in EXCHANGE_TASKS:
        refusal = _exchange_refusal(run, task, exchange)
        if refusal:
            errors["case"] = refusal
        else:
            customer = exchange.customer
            address = address.strip() or customer.address
        return_request = home_visit = None
    else:
        errors["task"] = _("Choose what to do.")
    if customer is not None and not address:
        errors["address"] = _("Give the address.")
    if errors:
        raise ValidationError(errors)
    last = run.stops.aggregate(last=Max("position"))["last"] or 0
    stop = RunStop(
        run=run,
        position=last + 1,
        task=task,
        return_request=return_request,
        home_visit=home_visit,
        exchange=exchange,
        address=address,
        customer_name=customer.name,
        customer_mobile_masked=mask_phone(customer.mobile),
    )
    try:
        with transaction.atomic():
            return save_by(stop, actor)
    except IntegrityError:
        if exchange is None:
            raise
        # Two planners at once: the partial unique constraint held one open stop per exchange and task.
        raise ValidationError(
            {"case": _("This exchange is already on a run for this: mark that stop first.")}
        ) from None


@transaction.atomic
def stop_mark(*, stop, actor, action, photo=None, note=""):
    """The driver marks a stop on the run's day, with a photo; a pick-up for a return records
    the goods received on the return through the returns service."""
    # The stop has no mall of its own: lock, then check against the run's mall.
    stop = lock(stop, "run__mall")
    run = stop.run
    if run.driver_id != actor.pk or not has_role(actor, run.mall, Role.DRIVER):
        raise PermissionDenied(_("Only the run's driver marks its stops."))
    new_status = check(STOP_TRANSITIONS, state=stop.status, action=action, actor=actor, mall=run.mall_id)
    errors = {}
    if run.run_on != timezone.localdate():
        errors["__all__"] = _("Stops are marked on the run's day.")
    if action != StopAction.ABSENT and DONE_ACTION[stop.task] != action:
        errors["action"] = _("“%(action)s” does not fit this stop (%(task)s).") % {
            "action": StopAction(action).label,
            "task": StopTask(stop.task).label,
        }
    if photo is None:
        errors["photo"] = _("Take a photo.")
    else:
        try:
            validate_photo(photo)
        except ValidationError as error:
            errors["photo"] = error.messages
    if errors:
        raise ValidationError(errors)
    stop.status = new_status
    stop.done_at = timezone.now()
    stop.photo = photo
    stop.note = note.strip()
    save_by(stop, actor)
    if new_status == StopStatus.PICKED_UP and stop.return_request_id:
        return_receive_goods(return_request=stop.return_request, actor=actor)
    elif new_status == StopStatus.PICKED_UP and stop.exchange_id:
        driver = actor.get_full_name() or actor.username
        exchange_pick_up(exchange=stop.exchange, actor=actor, picked_up_on=run.run_on, driver=driver)
    elif new_status == StopStatus.DELIVERED and stop.exchange_id:
        exchange_deliver(exchange=stop.exchange, actor=actor, delivered_on=run.run_on)
    return stop


@transaction.atomic
def stop_cancel(*, stop, actor, reason):
    """The planner takes a planned stop off its run, with the reason: the customer asked for
    another day, or the run's day passed with the stop unmarked (the driver marks only on the
    day, and an exchange's open stop would otherwise keep it off every other run). The case is
    unchanged and can be planned again; the stop keeps its number on the run."""
    stop = lock(stop, "run__mall")
    run = stop.run
    new_status = check(STOP_TRANSITIONS, state=stop.status, action=StopAction.CANCEL, actor=actor, mall=run.mall_id)
    errors = {}
    reason = reason.strip()
    if not reason:
        errors["reason"] = _("Say why the stop is cancelled.")
    else:
        try:
            # The column's own limit, checked here too: the service is called by more than its form.
            MaxLengthValidator(RunStop._meta.get_field("cancel_reason").max_length)(reason)
        except ValidationError as too_long:
            errors["reason"] = too_long.messages
    if stop.task == StopTask.EXCHANGE_PICK_UP and stop.exchange.status == ExchangeStatus.SETTLED:
        # The delivery after it on this run was planned on the strength of this pick-up.
        delivery = run.stops.filter(
            exchange_id=stop.exchange_id, task=StopTask.EXCHANGE_DELIVERY, status=StopStatus.PLANNED
        ).first()
        if delivery is not None:
            errors["__all__"] = _(
                "Stop %(position)s delivers this exchange's new goods after this pick-up: cancel it first."
            ) % {"position": delivery.position}
    if errors:
        raise ValidationError(errors)
    stop.status = new_status
    stop.cancel_reason = reason
    return save_by(stop, actor)


def _exchange_refusal(run, task, exchange):
    """Why this exchange cannot take this stop (None: it can). Its old goods are picked up after the
    difference is settled; its new goods delivered after the old are picked up, or planned on the same
    run after the run's own pick-up stop for it. One open stop per exchange and task."""
    if exchange is None or exchange.mall_id != run.mall_id:
        return _("Choose an exchange of this mall.")
    open_stops = RunStop.objects.filter(exchange=exchange, status=StopStatus.PLANNED)
    if open_stops.filter(task=task).exists():
        return _("This exchange is already on a run for this: mark that stop first.")
    if task == StopTask.EXCHANGE_PICK_UP and exchange.status != ExchangeStatus.SETTLED:
        return _("The old goods are picked up once the price difference is settled (this exchange: %(status)s).") % {
            "status": exchange.get_status_display()
        }
    if task == StopTask.EXCHANGE_DELIVERY:
        picked_up_before = (
            exchange.status == ExchangeStatus.SETTLED
            and open_stops.filter(run=run, task=StopTask.EXCHANGE_PICK_UP).exists()
        )
        if exchange.status != ExchangeStatus.PICKED_UP and not picked_up_before:
            return _(
                "The new goods are delivered once the old ones are picked up, or after this run's "
                "pick-up stop for them (this exchange: %(status)s)."
            ) % {"status": exchange.get_status_display()}
    return None


def open_cases(mall):
    """What the planner can put on a run: approved returns, home visits not yet made, and exchanges
    whose old goods wait to be picked up (settled) or whose new goods wait to be delivered (settled
    or picked up: stop_add checks the order on the run)."""
    returns = (
        ReturnRequest.objects.filter(mall=mall, status=ReturnStatus.APPROVED).select_related("customer").order_by("pk")
    )
    visits = HomeVisit.objects.filter(mall=mall, visited_at__isnull=True).select_related("callback__customer")
    exchanges = (
        Exchange.objects.filter(mall=mall, status__in=[ExchangeStatus.SETTLED, ExchangeStatus.PICKED_UP])
        .select_related("customer")
        .order_by("pk")
    )
    return returns, visits, exchanges
