"""The broadcast programme (播音程序表): a script library, weekday slot templates, and each
day's programme with a tick for every slot played."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from servicedesk.limits import TEXT_MAX
from servicedesk.models import Mall, MallScopedQuerySet


class SlotType(models.TextChoices):
    STAFF = "staff", _("Staff reminder")
    OPENING = "opening", _("Opening welcome")
    SAFETY = "safety", _("Safety reminder")
    CASHIER = "cashier", _("Pay only at the unified cashier")
    PROMOTION = "promotion", _("Promotion")
    PAGING = "paging", _("Paging")
    EMERGENCY = "emergency", _("Emergency")
    MUSIC = "music", _("Music")
    CLOSING = "closing", _("Closing notice")
    NOTICE = "notice", _("One-off notice")


# Promotions and emergencies go on air only once a supervisor (or the manager) approves them.
NEEDS_APPROVAL = frozenset({SlotType.PROMOTION, SlotType.EMERGENCY})
# What the desk announces as it happens, in its own words (寻人寻物, a car park closed...): a
# one-off line of today's programme with free text, slotted in between the programme's slots.
ANNOUNCEMENT_TYPES = (SlotType.PAGING, SlotType.NOTICE)
ANNOUNCEMENT_TEXT_MAX = 500


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class BroadcastScriptQuerySet(MallScopedQuerySet):
    def active(self):
        return self.filter(is_active=True)


class BroadcastScript(models.Model):
    """What the announcer reads, in Chinese and English. Each revision bumps `version`; the old
    texts stay in the history."""

    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="+", verbose_name=_("mall"))
    title = models.CharField(_("title"), max_length=60)
    slot_type = models.CharField(_("type"), max_length=12, choices=SlotType.choices)
    text_zh = models.TextField(_("Chinese text"), max_length=TEXT_MAX)
    text_en = models.TextField(_("English text"), max_length=TEXT_MAX, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    objects = BroadcastScriptQuerySet.as_manager()

    class Meta:
        verbose_name = _("broadcast script")
        verbose_name_plural = _("broadcast scripts")
        ordering = ["slot_type", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["mall", "title"],
                name="one_script_title_per_mall",
                violation_error_message=_("A script with this title already exists in this mall."),
            ),
        ]

    def __str__(self):
        return f"{self.title} v{self.version}"


class BroadcastSlotQuerySet(MallScopedQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def on_air(self):
        """Active slots that may be played: approved where approval is needed."""
        return self.active().filter(Q(approved_at__isnull=False) | ~Q(slot_type__in=NEEDS_APPROVAL))

    def for_day(self, day):
        """The templates of `day`'s weekday plus one-off slots dated `day`."""
        return self.filter(Q(weekday=day.weekday(), on_date__isnull=True) | Q(on_date=day))


class BroadcastSlot(models.Model):
    """A slot of the programme: every `weekday`, or once `on_date` (a promotion day, an emergency)."""

    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="+", verbose_name=_("mall"))
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices, null=True, blank=True)
    on_date = models.DateField(_("on date"), null=True, blank=True, help_text=_("Only for a one-off slot."))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    slot_type = models.CharField(_("type"), max_length=12, choices=SlotType.choices)
    script = models.ForeignKey(
        BroadcastScript,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="slots",
        verbose_name=_("script"),
    )
    announcer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("announcer"),
        help_text=_("Leave empty for whoever is on duty at the desk."),
    )
    notes = models.CharField(_("notes"), max_length=200, blank=True)
    text = models.TextField(
        _("announcement text"),
        max_length=ANNOUNCEMENT_TEXT_MAX,
        blank=True,
        help_text=_("What is read out, for a one-off announcement without a script."),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    instructed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on the instruction of"),
        help_text=_("The manager who ordered an emergency broadcast."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = BroadcastSlotQuerySet.as_manager()

    class Meta:
        verbose_name = _("broadcast slot")
        verbose_name_plural = _("broadcast slots")
        ordering = ["weekday", "on_date", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")),
                name="broadcast_slot_starts_before_it_ends",
                violation_error_message=_("A slot must start before it ends."),
            ),
            models.CheckConstraint(
                condition=Q(weekday__isnull=True) ^ Q(on_date__isnull=True),
                name="broadcast_slot_weekly_or_one_off",
                violation_error_message=_("A slot runs either every week on a weekday or once on a date."),
            ),
        ]

    def __str__(self):
        return f"{self.starts_at:%H:%M}-{self.ends_at:%H:%M} {self.get_slot_type_display()}"

    @property
    def needs_approval(self):
        return self.slot_type in NEEDS_APPROVAL

    @property
    def awaiting_approval(self):
        return self.needs_approval and self.approved_at is None

    @property
    def is_announcement(self):
        return self.on_date is not None and bool(self.text)


class PlayStatus(models.TextChoices):
    DUE = "due", pgettext_lazy("broadcast play", "Due")
    PLAYED = "played", _("Played")
    MISSED = "missed", _("Missed")


class BroadcastPlayQuerySet(MallScopedQuerySet):
    def ticked(self):
        return self.filter(status=PlayStatus.PLAYED)


class BroadcastPlay(models.Model):
    """One slot on one day: the line of the day's programme the announcer ticks.

    Times and script version are copied from the slot when the day's programme is drawn up, so
    a later change to the weekly template does not rewrite what was played.
    """

    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="+", verbose_name=_("mall"))
    slot = models.ForeignKey(BroadcastSlot, on_delete=models.PROTECT, related_name="plays", verbose_name=_("slot"))
    day = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    script_version = models.PositiveIntegerField(_("script version"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=PlayStatus.choices, default=PlayStatus.DUE)
    played_at = models.DateTimeField(_("played at"), null=True, blank=True)
    played_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("played by"),
    )
    history = HistoricalRecords()

    objects = BroadcastPlayQuerySet.as_manager()

    class Meta:
        verbose_name = _("broadcast played")
        verbose_name_plural = _("broadcasts played")
        ordering = ["day", "starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["slot", "day"], name="one_play_per_slot_and_day"),
            models.CheckConstraint(
                condition=Q(status=PlayStatus.PLAYED, played_at__isnull=False) | ~Q(status=PlayStatus.PLAYED),
                name="played_broadcast_has_a_time",
            ),
        ]
        indexes = [models.Index(fields=["mall", "day"], name="broadcast_play_mall_day")]

    def __str__(self):
        return f"{self.day} {self.starts_at:%H:%M} {self.slot.get_slot_type_display()}"
