"""Service supervision (顾客服务监督): the supervisor's spot checks of desk and phone service."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from servicedesk.limits import TEXT_MAX
from servicedesk.models import Mall, MallScopedQuerySet


class CheckChannel(models.TextChoices):
    DESK = "desk", _("Desk service")
    PHONE = "phone", _("Phone service")


# The checklist as data: (code, label, most points). Each channel's items add up to 100.
CHECKLISTS = {
    CheckChannel.DESK: (
        ("appearance", _("Uniform, badge and grooming as the desk standard requires"), 15),
        ("greeting", _("Stands and greets the customer first, with a smile"), 15),
        ("courtesy", _("Polite wording throughout; no arguing with the customer"), 20),
        ("answer", _("Correct, complete answer; does not guess"), 20),
        ("ownership", _("Owns the matter: records it and hands it on if it cannot be settled"), 15),
        ("desk_order", _("Desk tidy; forms and registers filled in"), 15),
    ),
    CheckChannel.PHONE: (
        ("rings", _("Answers within three rings"), 15),
        ("opening", _("Standard opening: mall, desk and own name"), 15),
        ("courtesy", _("Polite wording throughout; lets the caller finish"), 20),
        ("answer", _("Correct, complete answer; does not guess"), 20),
        ("record", _("Records the call and the caller's number"), 15),
        ("closing", _("Confirms what happens next and lets the caller hang up first"), 15),
    ),
}


def checklist(channel):
    return CHECKLISTS[CheckChannel(channel)]


class SpotCheckQuerySet(MallScopedQuerySet):
    def in_month(self, year, month):
        return self.filter(checked_at__year=year, checked_at__month=month)


class SpotCheck(models.Model):
    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="+", verbose_name=_("mall"))
    channel = models.CharField(_("service checked"), max_length=8, choices=CheckChannel.choices)
    checked_at = models.DateTimeField(_("checked at"))
    staff_checked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("staff checked")
    )
    checker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("checked by")
    )
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    findings = models.TextField(_("findings and coaching"), max_length=TEXT_MAX, blank=True)
    history = HistoricalRecords()

    objects = SpotCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("service spot check")
        verbose_name_plural = _("service spot checks")
        ordering = ["-checked_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=0, score__lte=100),
                name="spot_check_score_0_to_100",
            ),
        ]

    def __str__(self):
        return f"{timezone.localtime(self.checked_at):%Y-%m-%d} {self.get_channel_display()} {self.score}"


class SpotCheckItem(models.Model):
    """The points given for one checklist item (recorded with the check, never edited)."""

    spot_check = models.ForeignKey(SpotCheck, on_delete=models.PROTECT, related_name="items")
    code = models.CharField(_("item"), max_length=20)
    points = models.PositiveSmallIntegerField(_("points"))
    most_points = models.PositiveSmallIntegerField(_("out of"))

    class Meta:
        verbose_name = _("spot-check item")
        verbose_name_plural = _("spot-check items")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["spot_check", "code"], name="one_score_per_spot_check_item"),
            models.CheckConstraint(
                condition=models.Q(points__lte=models.F("most_points")), name="spot_check_points_within_most"
            ),
        ]

    def __str__(self):
        return f"{self.code}: {self.points}/{self.most_points}"

    @property
    def label(self):
        labels = {code: label for code, label, _most in CHECKLISTS.get(self.spot_check.channel, ())}
        return labels.get(self.code, self.code)
