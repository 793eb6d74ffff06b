"""A mall's own numbers for the front desk (DOMAIN.md §7 defaults); edited by admins."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from servicedesk.models import Mall, MallPolicy


class FrontDeskPolicy(MallPolicy):
    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="frontdesk_policies", verbose_name=_("mall"))
    staff_reminder_minutes = models.PositiveSmallIntegerField(
        _("staff reminder before opening (minutes)"), default=15, validators=[MaxValueValidator(120)]
    )
    first_closing_notice_minutes = models.PositiveSmallIntegerField(
        _("first closing notice before closing (minutes)"), default=30, validators=[MaxValueValidator(120)]
    )
    second_closing_notice_minutes = models.PositiveSmallIntegerField(
        _("second closing notice before closing (minutes)"), default=15, validators=[MaxValueValidator(120)]
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("length of a default slot (minutes)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    early_tick_minutes = models.PositiveSmallIntegerField(
        _("a slot may be ticked this many minutes before it starts"), default=10
    )
    handover_confirm_minutes = models.PositiveSmallIntegerField(
        _("minutes for the incoming shift to confirm a handover"), default=30
    )
    spot_check_target = models.DecimalField(
        _("spot-check target (points)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("90.00"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    roster_min_per_shift = models.PositiveSmallIntegerField(
        _("duty roster: fewest staff on a shift"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("A shift of the roster with fewer people is shown as a gap."),
    )
    roster_max_consecutive_days = models.PositiveSmallIntegerField(
        _("duty roster: most working days in a row"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_("Anyone rostered for more days in a row is shown as a conflict."),
    )
    visit_report_hours = models.PositiveSmallIntegerField(
        _("government or media visit: follow-up recorded within (hours)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
    )
    emergency_report_hours = models.PositiveSmallIntegerField(
        _("emergency: outcome recorded within (hours)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
    )
    repair_due_hours = models.PositiveSmallIntegerField(
        _("facility repair: the property team repairs within (hours)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
    )
    suggestion_reply_days = models.PositiveSmallIntegerField(
        _("suggestion: written reply within (days)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    history = HistoricalRecords()

    class Meta(MallPolicy.Meta):
        verbose_name = _("front desk policy")
        verbose_name_plural = _("front desk policies")

    def clean(self):
        super().clean()
        first, second = self.first_closing_notice_minutes, self.second_closing_notice_minutes
        if first is not None and second is not None and second >= first:
            raise ValidationError(
                {"second_closing_notice_minutes": _("The second closing notice must come after the first.")}
            )
