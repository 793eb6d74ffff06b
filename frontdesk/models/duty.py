"""Handover rules of the property manual's 值班/交接班: important matters (重要事项) a shift
carries, who took each one over, and the supervisor's signature on the day's desk log."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from servicedesk.models import Mall, MallScopedQuerySet
from servicedesk.roles import Role
from servicedesk.workflow import Transitions

from .desk import Handover

MATTER_ROLES = (Role.FRONT_DESK, Role.SUPERVISOR, Role.MANAGER)
SIGNERS = (Role.SUPERVISOR,)


class MatterStatus(models.TextChoices):
    OPEN = "open", _("Unfinished")
    DONE = "done", _("Finished")


M = MatterStatus


class MatterAction(models.TextChoices):
    FINISH = "finish", _("Mark finished")
    TAKE = "take", _("Take over")


MA = MatterAction
# (state, action) -> (new state, who may). "take" keeps the matter open with a new owner: the
# incoming shift takes it over explicitly at the handover.
MATTER_TRANSITIONS = Transitions(
    {
        (M.OPEN, MA.FINISH): (M.DONE, MATTER_ROLES),
        (M.OPEN, MA.TAKE): (M.OPEN, MATTER_ROLES),
    },
    states=MatterStatus,
    actions=MatterAction,
)


class DutyMatterQuerySet(MallScopedQuerySet):
    def unfinished(self):
        return self.filter(status=M.OPEN)


class DutyMatter(models.Model):
    """A matter the desk must see through (a customer coming back, a promised call, a repair)."""

    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="+", verbose_name=_("mall"))
    text = models.TextField(_("matter"), max_length=500, validators=[MaxLengthValidator(500)])
    important = models.BooleanField(
        _("important"),
        default=False,
        help_text=_("An important matter cannot be handed over unfinished unless the next shift takes it."),
    )
    status = models.CharField(_("status"), max_length=8, choices=MatterStatus.choices, default=M.OPEN)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    raised_at = models.DateTimeField(_("recorded at"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("in the hands of")
    )
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("finished by"),
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = DutyMatterQuerySet.as_manager()

    class Meta:
        verbose_name = _("duty matter")
        verbose_name_plural = _("duty matters")
        ordering = ["status", "-important", "raised_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", finished_at__isnull=True) | Q(status="done", finished_at__isnull=False),
                name="duty_matter_finished_has_time",
            )
        ]

    def __str__(self):
        return self.text[:40]


class HandoverMatter(models.Model):
    """An unfinished matter on a handover, and whether the incoming shift took it over."""

    handover = models.ForeignKey(Handover, on_delete=models.PROTECT, related_name="matters")
    matter = models.ForeignKey(DutyMatter, on_delete=models.PROTECT, related_name="handovers")
    important = models.BooleanField(_("important"), default=False)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken over by"),
    )
    taken_at = models.DateTimeField(_("taken over at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("matter handed over")
        verbose_name_plural = _("matters handed over")
        ordering = ["-important", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["handover", "matter"], name="handover_matter_once"),
        ]

    def __str__(self):
        return f"{self.handover_id} · {self.matter}"


class DeskLogSignature(models.Model):
    """The supervisor's signature on one day's desk log (总台工作日志); one per mall and day."""

    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="+", verbose_name=_("mall"))
    day = models.DateField(_("date"))
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("signed by")
    )
    signed_at = models.DateTimeField(_("signed at"))
    remarks = models.CharField(_("supervisor's remarks"), max_length=500, blank=True)
    history = HistoricalRecords()

    objects = MallScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("desk log signature")
        verbose_name_plural = _("desk log signatures")
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(
                fields=["mall", "day"],
                name="desk_log_signed_once",
                violation_error_message=_("This day's desk log is already signed."),
            )
        ]

    def __str__(self):
        return f"{self.mall_id} {self.day}"
