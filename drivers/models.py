"""Driver runs (司机出车单): a day's pick-ups, deliveries and home visits for one driver, in order.

The clerk (or supervisor) plans the run; the driver marks each stop on a phone. What a stop
means for its case (goods received on a return, an exchange's old goods picked up or new goods
delivered) is done by that case's own service.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from exchanges.models import Exchange
from followups.models import HomeVisit
from returns.models import ReturnRequest
from servicedesk.models import Mall, MallScopedQuerySet
from servicedesk.roles import Role
from servicedesk.uploads import validate_photo
from servicedesk.workflow import Transitions

PLANNERS = (Role.CLERK, Role.SUPERVISOR)
READERS = (Role.CLERK, Role.SUPERVISOR, Role.MANAGER, Role.HEAD_OFFICE)


class DeliveryRun(models.Model):
    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="+", verbose_name=_("mall"))
    run_on = models.DateField(_("run date"))
    driver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("driver")
    )
    vehicle = models.CharField(_("vehicle"), max_length=60, blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("planned by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = MallScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("driver run")
        verbose_name_plural = _("driver runs")
        ordering = ["-run_on", "pk"]

    def __str__(self):
        return f"{self.run_on} {self.driver}"


class StopTask(models.TextChoices):
    PICK_UP = "pick_up", _("Pick up goods")
    VISIT = "visit", _("Home visit")
    EXCHANGE_PICK_UP = "ex_pick_up", _("Pick up the old goods (exchange)")
    EXCHANGE_DELIVERY = "ex_deliver", _("Deliver the new goods (exchange)")


# The tasks for an exchange, and the exchange's state each needs when the driver marks it.
EXCHANGE_TASKS = (StopTask.EXCHANGE_PICK_UP, StopTask.EXCHANGE_DELIVERY)


class StopStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    PICKED_UP = "picked_up", _("Picked up")
    DELIVERED = "delivered", _("Delivered")
    ABSENT = "absent", _("Customer absent")
    CANCELLED = "cancelled", _("Cancelled")


class StopAction(models.TextChoices):
    PICKED_UP = "picked_up", _("Picked up")
    # An exchange's new goods delivered; a home visit made is marked with it too.
    DELIVERED = "delivered", _("Delivered / visited")
    ABSENT = "absent", _("Customer absent")
    # The planner takes a stop off the run (the customer rescheduled, or the day passed unmarked).
    CANCEL = "cancel", _("Cancel the stop")


# What the driver's phone offers; cancelling is the planner's.
DRIVER_MARKS = (StopAction.PICKED_UP, StopAction.DELIVERED, StopAction.ABSENT)

D = (Role.DRIVER,)
S = StopStatus
# (state, action) -> (new state, who may). That it is the run's own driver on the run's day,
# and that the action fits the stop's task, are checked by the service.
STOP_TRANSITIONS = Transitions(
    {
        (S.PLANNED, StopAction.PICKED_UP): (S.PICKED_UP, D),
        (S.PLANNED, StopAction.DELIVERED): (S.DELIVERED, D),
        (S.PLANNED, StopAction.ABSENT): (S.ABSENT, D),
        (S.PLANNED, StopAction.CANCEL): (S.CANCELLED, PLANNERS),
    },
    states=StopStatus,
    actions=StopAction,
)
# Which action marks a task done (absent fits every task).
DONE_ACTION = {
    StopTask.PICK_UP: StopAction.PICKED_UP,
    StopTask.VISIT: StopAction.DELIVERED,
    StopTask.EXCHANGE_PICK_UP: StopAction.PICKED_UP,
    StopTask.EXCHANGE_DELIVERY: StopAction.DELIVERED,
}


class RunStopQuerySet(MallScopedQuerySet):
    mall_lookup = "run__mall"


def stop_photo_path(instance, filename):
    return f"driver-runs/{instance.run.mall_id}/{instance.run_id}/{filename}"


class RunStop(models.Model):
    run = models.ForeignKey(DeliveryRun, on_delete=models.PROTECT, related_name="stops", verbose_name=_("run"))
    position = models.PositiveSmallIntegerField(_("order"))
    task = models.CharField(_("what to do"), max_length=10, choices=StopTask.choices)
    return_request = models.ForeignKey(
        ReturnRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("return"),
    )
    home_visit = models.ForeignKey(
        HomeVisit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("home visit")
    )
    exchange = models.ForeignKey(
        Exchange, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("exchange")
    )
    address = models.CharField(_("address"), max_length=200)
    customer_name = models.CharField(_("customer"), max_length=50)
    customer_mobile_masked = models.CharField(_("mobile"), max_length=20)
    status = models.CharField(_("status"), max_length=10, choices=StopStatus.choices, default=S.PLANNED)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    photo = models.FileField(_("photo"), upload_to=stop_photo_path, blank=True, validators=[validate_photo])
    note = models.CharField(_("note"), max_length=200, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = RunStopQuerySet.as_manager()

    class Meta:
        verbose_name = _("run stop")
        verbose_name_plural = _("run stops")
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "position"], name="runstop_position_unique"),
            # At most one case per stop: no two of the three links set.
            models.CheckConstraint(
                condition=(Q(return_request__isnull=True) & Q(home_visit__isnull=True))
                | (Q(return_request__isnull=True) & Q(exchange__isnull=True))
                | (Q(home_visit__isnull=True) & Q(exchange__isnull=True)),
                name="runstop_one_case",
            ),
            # An exchange's task is on one open (planned) stop at a time, whatever the run.
            models.UniqueConstraint(
                fields=["exchange", "task"],
                condition=Q(exchange__isnull=False, status=S.PLANNED),
                name="runstop_exchange_task_open_once",
                violation_error_message=_("This exchange already has an open stop for this task."),
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.address}"

    @property
    def case_label(self):
        if self.return_request_id:
            return self.return_request.number
        if self.exchange_id:
            return self.exchange.number
        return str(self.home_visit.visit_on) if self.home_visit_id else ""

    @property
    def fitting_actions(self):
        """The marks offered on the phone for this stop: the one that does its task, and absent."""
        return [(action.value, action.label) for action in (DONE_ACTION[self.task], StopAction.ABSENT)]

    @property
    def goods_label(self):
        """What the driver takes away or brings: a return's goods, an exchange's old goods, or the
        exchange's replacement goods."""
        if self.return_request_id:
            return self.return_request.goods
        if not self.exchange_id:
            return ""
        e = self.exchange
        if self.task == StopTask.EXCHANGE_DELIVERY:
            goods, model, quantity = e.new_goods, e.new_model, e.new_quantity or 1
        else:
            goods, model, quantity = e.goods, e.model, e.quantity
        return " ".join(part for part in (goods, model, f"×{quantity}") if part)

    @property
    def customer(self):
        """The case's customer (for the full mobile, to the roles that may see it)."""
        if self.return_request_id:
            return self.return_request.customer
        if self.exchange_id:
            return self.exchange.customer
        return self.home_visit.callback.customer if self.home_visit_id else None
