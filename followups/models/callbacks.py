"""Callback plans (per-mall settings) and the callbacks themselves: rows with a due day."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from complaints.models import Complaint
from servicedesk.limits import TEXT_MAX
from servicedesk.models import Customer, Mall, MallPolicy, MallScopedQuerySet
from servicedesk.roles import Role
from servicedesk.satisfaction import NOT_REACHED, NOT_REACHED_LABEL, Satisfaction
from servicedesk.workflow import Transitions

from .sales import Sale


class CallbackKind(models.TextChoices):
    AFTER_SALE = "after_sale", _("After-sale callback")
    WARRANTY = "warranty", _("Warranty-ending callback")
    SERVICE = "service", _("Service callback")
    HOME_VISIT = "home_visit", _("Home visit")


SALE_KINDS = (CallbackKind.AFTER_SALE, CallbackKind.WARRANTY)
COMPLAINT_KINDS = (CallbackKind.SERVICE, CallbackKind.HOME_VISIT)


class CallbackStatus(models.TextChoices):
    OPEN = "open", _("To call")
    RETRY = "retry", _("Call again")
    DONE = "done", _("Done")
    UNREACHABLE = "unreachable", _("Unreachable")


OPEN_CALLBACK_STATES = (CallbackStatus.OPEN, CallbackStatus.RETRY)
FINISHED_CALLBACK_STATES = (CallbackStatus.DONE, CallbackStatus.UNREACHABLE)


class Outcome(models.TextChoices):
    """The desk's words for a call (servicedesk.satisfaction), and a wrong number."""

    SATISFIED = Satisfaction.SATISFIED.value, Satisfaction.SATISFIED.label
    MOSTLY_SATISFIED = Satisfaction.MOSTLY_SATISFIED.value, Satisfaction.MOSTLY_SATISFIED.label
    UNSATISFIED = Satisfaction.UNSATISFIED.value, Satisfaction.UNSATISFIED.label
    NOT_REACHED = NOT_REACHED, NOT_REACHED_LABEL
    WRONG_NUMBER = "wrong_number", _("Wrong number")


class AnswerSource(models.TextChoices):
    """How a callback's answer came: the desk's call (or visit), or the customer's survey by link."""

    PHONE = "phone", _("phone")
    SURVEY = "survey", _("survey")


REACHED = (Outcome.SATISFIED, Outcome.MOSTLY_SATISFIED, Outcome.UNSATISFIED)
SATISFIED = (Outcome.SATISFIED, Outcome.MOSTLY_SATISFIED)

CALLBACK_STAFF = (Role.COMPLAINT_OFFICER, Role.SUPERVISOR)
# The callback's state machine: (state, what came of the attempt) -> (new state, who may). The
# customer's own survey answer (no staff member) is checked on the state only. "not_reached"
# keeps a callback open for another attempt until the attempts run out (decided by the service).
CALLBACK_TRANSITIONS = Transitions(
    {
        **{(s, o): (CallbackStatus.DONE, CALLBACK_STAFF) for s in OPEN_CALLBACK_STATES for o in REACHED},
        **{(s, Outcome.NOT_REACHED): (CallbackStatus.RETRY, CALLBACK_STAFF) for s in OPEN_CALLBACK_STATES},
        # A wrong number will not become right on the second try.
        **{(s, Outcome.WRONG_NUMBER): (CallbackStatus.UNREACHABLE, CALLBACK_STAFF) for s in OPEN_CALLBACK_STATES},
    },
    states=CallbackStatus,
    actions=Outcome,
    refused=_("This callback is already finished (%(status)s)."),
)

DEFAULT_SCRIPTS = {
    CallbackKind.AFTER_SALE: (
        "您好，我是{mall}客服中心的回访专员。您在本商场购买的{goods}已送货几天了，"
        "请问送货和安装是否满意？商品使用有没有问题？如有任何问题请拨打客服中心电话。"
    ),
    CallbackKind.WARRANTY: (
        "您好，我是{mall}客服中心的回访专员。您购买的{goods}保修期将于{warranty_end}到期，"
        "请问使用中有没有需要维修的问题？保修期内的维修是免费的。"
    ),
    CallbackKind.SERVICE: (
        "您好，我是{mall}客服中心的回访专员。关于您的投诉{complaint}，我们已经处理完毕，"
        "请问您对处理结果是否满意？对我们的服务还有什么意见和建议？"
    ),
    CallbackKind.HOME_VISIT: (
        "您好，我是{mall}客服中心。关于您的投诉{complaint}，我们想约时间上门拜访，"
        "了解商品的实际情况和您的意见，请问哪天方便？"
    ),
}


def script_field(kind, verbose_name):
    return models.TextField(verbose_name, max_length=TEXT_MAX, default=DEFAULT_SCRIPTS[kind])


class CallbackPolicy(MallPolicy):
    """One mall's callback plans (DOMAIN.md §6). Created with the defaults when first needed."""

    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="callback_policies", verbose_name=_("mall"))
    after_sale_enabled = models.BooleanField(_("after-sale callbacks"), default=True)
    after_sale_within_days = models.PositiveSmallIntegerField(
        _("after-sale: call within (days of delivery)"), default=7, validators=[MinValueValidator(1)]
    )
    warranty_enabled = models.BooleanField(_("warranty-ending callbacks"), default=True)
    warranty_days_before = models.PositiveSmallIntegerField(
        _("warranty: call (days before the end)"), default=30, validators=[MinValueValidator(1)]
    )
    service_enabled = models.BooleanField(_("service callbacks"), default=True)
    service_within_days = models.PositiveSmallIntegerField(
        _("service: call within (days of resolution)"), default=3, validators=[MinValueValidator(1)]
    )
    home_visit_enabled = models.BooleanField(_("home visits"), default=True)
    home_visit_within_days = models.PositiveSmallIntegerField(
        _("home visit: within (days of resolution)"), default=7, validators=[MinValueValidator(1)]
    )
    home_visit_claim_over = models.DecimalField(
        _("home visit: claims over (yuan)"), max_digits=10, decimal_places=2, default=Decimal("20000")
    )
    home_visit_repeat = models.BooleanField(_("home visit: repeat complaints"), default=True)
    home_visit_media = models.BooleanField(_("home visit: media cases"), default=True)
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    attempt_window_days = models.PositiveSmallIntegerField(
        _("attempts within (days of the first)"), default=2, validators=[MinValueValidator(1)]
    )
    survey_enabled = models.BooleanField(_("service callbacks: send the satisfaction survey by SMS link"), default=True)
    survey_wait_days = models.PositiveSmallIntegerField(
        _("service callbacks: wait for the survey (days) before calling"),
        default=2,
        validators=[MaxValueValidator(10)],
        help_text=_("0: call at once. The call is back on the worklist on its deadline day at the latest."),
    )
    after_sale_script = script_field(CallbackKind.AFTER_SALE, _("after-sale call script"))
    warranty_script = script_field(CallbackKind.WARRANTY, _("warranty call script"))
    service_script = script_field(CallbackKind.SERVICE, _("service call script"))
    home_visit_script = script_field(CallbackKind.HOME_VISIT, _("home visit script"))
    history = HistoricalRecords()

    objects = MallScopedQuerySet.as_manager()

    class Meta(MallPolicy.Meta):
        verbose_name = _("callback settings")
        verbose_name_plural = _("callback settings")

    def enabled(self, kind):
        return getattr(self, f"{kind}_enabled")

    def script(self, kind):
        return getattr(self, f"{kind}_script")


class CallbackQuerySet(MallScopedQuerySet):
    def still_open(self):
        return self.filter(status__in=OPEN_CALLBACK_STATES)

    def for_list(self):
        return self.select_related("mall", "customer", "sale", "complaint", "assignee")


class Callback(models.Model):
    """A call (or visit) to make: created by the daily scheduling, worked from the worklist.

    `due_on` is the first day it is in the worklist, `deadline_on` the last day it counts as on
    time. A sale gets at most one callback per kind; a complaint one per kind and round (a
    reopened complaint that is resolved again is called again).
    """

    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="+", verbose_name=_("mall"))
    kind = models.CharField(_("kind"), max_length=12, choices=CallbackKind.choices)
    sale = models.ForeignKey(
        Sale, on_delete=models.PROTECT, null=True, blank=True, related_name="callbacks", verbose_name=_("sale")
    )
    complaint = models.ForeignKey(
        Complaint,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="callbacks",
        verbose_name=_("complaint"),
    )
    round = models.PositiveSmallIntegerField(_("round"), default=0, help_text=_("Times the complaint was reopened."))
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+", verbose_name=_("customer"))
    due_on = models.DateField(_("call from"))
    deadline_on = models.DateField(_("deadline"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="callbacks",
        verbose_name=_("assigned to"),
    )
    status = models.CharField(_("status"), max_length=12, choices=CallbackStatus.choices, default=CallbackStatus.OPEN)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    first_attempt_at = models.DateTimeField(_("first attempt"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    note = models.TextField(_("satisfaction note"), max_length=TEXT_MAX, blank=True)
    source = models.CharField(_("answered by"), max_length=8, choices=AnswerSource.choices, default=AnswerSource.PHONE)
    survey_sent_at = models.DateTimeField(_("survey sent"), null=True, blank=True)
    survey_wait_until = models.DateTimeField(
        _("waiting for the survey until"),
        null=True,
        blank=True,
        help_text=_("Off the worklist until then, unless the customer answers sooner."),
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("marked overdue"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = CallbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "sale"], condition=models.Q(sale__isnull=False), name="one_callback_per_sale_and_kind"
            ),
            models.UniqueConstraint(
                fields=["kind", "complaint", "round"],
                condition=models.Q(complaint__isnull=False),
                name="one_callback_per_complaint_kind_round",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(sale__isnull=False, complaint__isnull=True, kind__in=[k.value for k in SALE_KINDS])
                    | models.Q(sale__isnull=True, complaint__isnull=False, kind__in=[k.value for k in COMPLAINT_KINDS])
                ),
                name="callback_about_a_sale_or_a_complaint",
            ),
            models.CheckConstraint(
                condition=models.Q(deadline_on__gte=models.F("due_on")), name="callback_deadline_after_due"
            ),
        ]
        indexes = [
            models.Index(fields=["assignee", "status", "due_on"], name="callback_worklist"),
            models.Index(fields=["mall", "status", "deadline_on"], name="callback_mall_status_deadline"),
            models.Index(fields=["mall", "deadline_on"], name="callback_mall_deadline"),
            models.Index(
                fields=["due_on"],
                condition=models.Q(kind="service", survey_sent_at__isnull=True, status__in=["open", "retry"]),
                name="callback_survey_unsent",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.subject}"

    @property
    def subject(self):
        return self.sale.order_number if self.sale_id else str(self.complaint)

    @property
    def is_open(self):
        return self.status in OPEN_CALLBACK_STATES

    @property
    def is_home_visit(self):
        return self.kind == CallbackKind.HOME_VISIT


class CallbackAttempt(models.Model):
    """One call: who, when, what came of it. The callback keeps the latest outcome."""

    callback = models.ForeignKey(Callback, on_delete=models.PROTECT, related_name="attempt_log")
    number = models.PositiveSmallIntegerField(_("attempt"))
    made_at = models.DateTimeField(_("made at"))
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    note = models.TextField(_("note"), max_length=TEXT_MAX, blank=True)
    source = models.CharField(_("answered by"), max_length=8, choices=AnswerSource.choices, default=AnswerSource.PHONE)

    class Meta:
        verbose_name = _("callback attempt")
        verbose_name_plural = _("callback attempts")
        ordering = ["callback", "number"]
        constraints = [
            models.UniqueConstraint(fields=["callback", "number"], name="one_attempt_number_per_callback"),
        ]

    def __str__(self):
        return f"{self.callback_id} #{self.number} {self.get_outcome_display()}"
