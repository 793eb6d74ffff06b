"""The monthly duty roster (排班表 / 客户服务中心值班安排表): the supervisor draws up next month's
roster before the month begins, publishes it, and the desk works by it. After publishing, a change
(a cover, 顶班) is still the supervisor's, with a reason, and stays in the history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from servicedesk.access import memberships, reads_all_malls
from servicedesk.models import Mall, MallScopedQuerySet
from servicedesk.roles import Role
from servicedesk.workflow import Transitions

from .desk import Shift

# Who draws up, publishes and changes the roster; who may be put on it.
ROSTER_EDITORS = (Role.SUPERVISOR, Role.MANAGER)
ROSTER_STAFF = (Role.FRONT_DESK, Role.SUPERVISOR, Role.MANAGER)


class RosterStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Duty(models.TextChoices):
    """One person's day on the roster (a cell of the paper form)."""

    OFF = "off", _("Day off")
    MORNING = "morning", _("Morning shift")
    EVENING = "evening", _("Evening shift")
    FULL = "full", _("Both shifts")


# The shifts each duty covers.
DUTY_SHIFTS = {
    Duty.OFF: (),
    Duty.MORNING: (Shift.MORNING,),
    Duty.EVENING: (Shift.EVENING,),
    Duty.FULL: (Shift.MORNING, Shift.EVENING),
}
# The one-character codes written in the paper form's cells (早 / 晚 / 全 / 休).
DUTY_CODES = {
    Duty.OFF: pgettext_lazy("roster cell", "–"),
    Duty.MORNING: pgettext_lazy("roster cell", "M"),
    Duty.EVENING: pgettext_lazy("roster cell", "E"),
    Duty.FULL: pgettext_lazy("roster cell", "D"),
}

S = RosterStatus


class RosterAction(models.TextChoices):
    EDIT = "edit", _("Edit the roster")
    PUBLISH = "publish", _("Publish")
    CHANGE = "change", _("Change the roster")


RA = RosterAction
# (state, action) -> (new state, who may). A published roster stays published when changed; the
# service asks a reason for every change after publishing.
ROSTER_TRANSITIONS = Transitions(
    {
        (S.DRAFT, RA.EDIT): (S.DRAFT, ROSTER_EDITORS),
        (S.DRAFT, RA.PUBLISH): (S.PUBLISHED, ROSTER_EDITORS),
        (S.PUBLISHED, RA.CHANGE): (S.PUBLISHED, ROSTER_EDITORS),
    },
    states=RosterStatus,
    actions=RosterAction,
)


class DutyRosterQuerySet(MallScopedQuerySet):
    def published(self):
        return self.filter(status=S.PUBLISHED)

    def visible_to(self, user):
        """What `user` may read: published rosters of their malls, and drafts of the malls where
        they draw rosters up (head office reads every mall's, drafts included)."""
        rosters = self.for_user(user)
        if reads_all_malls(user):
            return rosters
        editing = [mall_id for mall_id, role in memberships(user) if role in ROSTER_EDITORS]
        return rosters.filter(Q(status=S.PUBLISHED) | Q(mall__in=editing))


class DutyRoster(models.Model):
    """One mall's roster for one month (`month` is the month's first day)."""

    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="+", verbose_name=_("mall"))
    month = models.DateField(_("month"))
    status = models.CharField(_("status"), max_length=10, choices=RosterStatus.choices, default=S.DRAFT)
    drawn_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("drawn up by")
    )
    drawn_up_at = models.DateTimeField(_("drawn up at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = DutyRosterQuerySet.as_manager()

    class Meta:
        verbose_name = _("duty roster")
        verbose_name_plural = _("duty rosters")
        ordering = ["-month", "mall"]
        constraints = [
            models.UniqueConstraint(
                fields=["mall", "month"],
                name="one_roster_per_mall_and_month",
                violation_error_message=_("This month's roster is already drawn up."),
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="roster_month_is_first_day"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False), name="published_roster_has_a_time"
            ),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m}"


class RosterEntry(models.Model):
    """A cell of the roster: one person's duty on one day. Changing it keeps the old value in the
    history; a day off is a cell too, so nothing is ever deleted."""

    roster = models.ForeignKey(DutyRoster, on_delete=models.PROTECT, related_name="entries", verbose_name=_("roster"))
    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="+", verbose_name=_("mall"))
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("staff")
    )
    day = models.DateField(_("date"))
    duty = models.CharField(_("duty"), max_length=8, choices=Duty.choices, default=Duty.OFF)
    history = HistoricalRecords()

    objects = MallScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster entries")
        ordering = ["day", "staff_id"]
        constraints = [
            models.UniqueConstraint(fields=["roster", "staff", "day"], name="one_duty_per_person_and_day"),
        ]
        indexes = [models.Index(fields=["mall", "day"], name="roster_entry_mall_day")]

    def __str__(self):
        return f"{self.day} {self.staff_id} {self.duty}"

    @property
    def code(self):
        return DUTY_CODES[Duty(self.duty)]
