from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from servicedesk.models import Mall, MallPolicy, MallScopedQuerySet

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


def pct(verbose_name, value):
    return models.DecimalField(verbose_name, max_digits=5, decimal_places=2, default=Decimal(value), validators=PERCENT)


def weight(verbose_name, value):
    return models.PositiveSmallIntegerField(verbose_name, default=value, validators=[MaxValueValidator(100)])


# (key, weight field) of every scored item; the weights of a version add up to 100.
WEIGHT_FIELDS = (
    "first_response_weight",
    "on_time_weight",
    "callback_weight",
    "satisfaction_weight",
    "external_weight",
    "price_tag_weight",
    "recovery_weight",
    "spot_check_weight",
)


class AppraisalPolicy(MallPolicy):
    """The monthly appraisal's targets and weights for one mall (DOMAIN.md §8 defaults)."""

    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="appraisal_policies", verbose_name=_("mall"))
    first_response_target = pct(_("first response in time: target (%)"), "100.00")
    first_response_weight = weight(_("first response in time: weight"), 15)
    on_time_target = pct(_("on-time closure: target (%)"), "95.00")
    on_time_weight = weight(_("on-time closure: weight"), 20)
    callback_target = pct(_("callback completion: target (%)"), "98.00")
    callback_weight = weight(_("callback completion: weight"), 10)
    satisfaction_target = pct(_("satisfaction: target (%)"), "90.00")
    satisfaction_weight = weight(_("satisfaction: weight"), 20)
    external_weight = weight(_("external escalations: weight"), 10)
    external_penalty = models.PositiveSmallIntegerField(
        _("external escalations: points off each"), default=5, validators=[MinValueValidator(1)]
    )
    price_tag_target = pct(_("price-tag pass rate: target (%)"), "98.00")
    price_tag_weight = weight(_("price-tag pass rate: weight"), 10)
    recovery_target = pct(_("compensation recovery: target (%)"), "90.00")
    recovery_weight = weight(_("compensation recovery: weight"), 5)
    spot_check_target = pct(_("service spot checks: target (points)"), "90.00")
    spot_check_weight = weight(_("service spot checks: weight"), 10)
    history = HistoricalRecords()

    class Meta(MallPolicy.Meta):
        verbose_name = _("appraisal settings")
        verbose_name_plural = _("appraisal settings")

    def clean(self):
        super().clean()
        weights = [getattr(self, name) for name in WEIGHT_FIELDS]
        if None not in weights and sum(weights) != 100:
            raise ValidationError(_("The weights must add up to 100; these add up to %(sum)s.") % {"sum": sum(weights)})


class ArchiveQuerySet(MallScopedQuerySet):
    def for_user(self, user):
        # The chain-wide rollup (no mall) is head office's; mall staff see their malls' files.
        from servicedesk.access import visible_mall_ids

        ids = visible_mall_ids(user)
        return self if ids is None else self.filter(mall_id__in=ids)


class ReportArchive(models.Model):
    """A stored report file. One per kind, mall and period: building it again replaces it."""

    class Kind(models.TextChoices):
        WEEKLY = "weekly", _("Weekly report")
        ROLLUP = "rollup", _("Head-office weekly rollup")
        MONTHLY = "monthly", _("Monthly appraisal")

    kind = models.CharField(_("report"), max_length=10, choices=Kind.choices)
    mall = models.ForeignKey(
        Mall, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("mall")
    )
    period_key = models.CharField(_("period"), max_length=10)
    file = models.FileField(_("file"), upload_to="reports/%Y/")
    # Every figure as sent (reports.selectors.snapshot): once e-mailed, neither the file nor
    # these change again, and the live page of the period says where it now differs.
    figures = models.JSONField(_("figures as sent"), default=dict, blank=True, editable=False)
    built_at = models.DateTimeField(_("built at"), auto_now=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    objects = ArchiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("stored report")
        verbose_name_plural = _("stored reports")
        ordering = ["-period_key", "kind", "mall__code"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "mall", "period_key"], name="one_report_per_kind_mall_period"),
            models.UniqueConstraint(
                fields=["kind", "period_key"], condition=models.Q(mall__isnull=True), name="one_rollup_per_period"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period_key} {self.mall or ''}"

    @property
    def is_frozen(self):
        """Sent: what head office and the mall received, never rebuilt."""
        return self.emailed_at is not None


class ReportExport(models.Model):
    """A large export built by a worker while the page shows its progress: the head-office
    weekly rollup, or any register too long to build within a request (the callbacks register)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Building")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Kind(models.TextChoices):
        WEEKLY_ROLLUP = "weekly_rollup", _("Head-office weekly rollup")
        CALLBACK_REGISTER = "callback_register", _("Callback register")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("export"), max_length=20, choices=Kind.choices, default=Kind.WEEKLY_ROLLUP)
    # What to export, as the register page was filtered: {"query": "status=done&start=...", "mall": 3}.
    params = models.JSONField(_("filters"), default=dict, blank=True)
    period_key = models.CharField(_("period"), max_length=10, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to="exports/%Y/", blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Set by each claim (queued -> running): a running export whose claim is older than
    # settings.REPORT_EXPORT_TIMEOUT lost its worker and is swept (services.exports_resume_queued).
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.period_key} {self.get_state_display()}"
