"""The clocks of DOMAIN.md §2 as rows: each running deadline has a due time the scan can claim."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from servicedesk.choice_labels import QuickChoiceLabels
from servicedesk.models import MallScopedQuerySet


class DeadlineKind(models.TextChoices):
    FIRST_CONTACT = "first_contact", _("First contact with the customer")
    ASSIGNMENT = "assignment", _("Assignment")
    MERCHANT_REPLY = "merchant_reply", _("Merchant's reply")
    RESOLUTION = "resolution", _("Resolution")
    DELIBERATE_DELAY = "deliberate_delay", _("Deliberate-delay line")
    REFERRAL = "referral", _("Reply to the referring hotline")
    CALLBACK = "callback", _("Callback")


class DeadlineQuerySet(MallScopedQuerySet):
    mall_lookup = "complaint__mall"

    def running(self):
        return self.filter(met_at__isnull=True)


class ComplaintDeadline(QuickChoiceLabels, models.Model):
    """One clock of one complaint. `met_at` is set when the clock stops (done, or the case ended).

    `warned_at` / `overdue_at` record which notifications the scan has sent, so
    a second scan finds nothing left to do for this deadline.
    """

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="deadlines", verbose_name=_("complaint")
    )
    kind = models.CharField(_("clock"), max_length=20, choices=DeadlineKind.choices)
    started_at = models.DateTimeField(_("started at"))
    due_at = models.DateTimeField(_("due at"))
    met_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    warned_at = models.DateTimeField(_("assignee warned at"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("overdue reported at"), null=True, blank=True)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "kind"],
                condition=models.Q(met_at__isnull=True),
                name="one_running_deadline_per_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["due_at"], name="deadline_running_due", condition=models.Q(met_at__isnull=True)),
        ]

    def __str__(self):
        return f"{self.complaint_id} {self.kind} {timezone.localtime(self.due_at):%Y-%m-%d %H:%M}"

    @property
    def is_overdue(self):
        return self.met_at is None and self.due_at <= timezone.now()

    @property
    def was_late(self):
        return self.met_at is not None and self.met_at > self.due_at

    @property
    def time_left(self):
        return self.due_at - timezone.now()


class ComplaintPause(models.Model):
    """The clock stopped while a quality test ran; the pause is excluded from every deadline."""

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="pauses", verbose_name=_("complaint")
    )
    started_at = models.DateTimeField(_("paused at"))
    ended_at = models.DateTimeField(_("resumed at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("paused by")
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resumed by"),
    )

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = _("clock pause")
        verbose_name_plural = _("clock pauses")
        ordering = ["started_at"]

    def __str__(self):
        return f"{self.complaint_id} {timezone.localtime(self.started_at):%Y-%m-%d}"
