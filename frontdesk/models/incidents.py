"""The reception and incident log (接待登记 / 突发事件记录): visits by government departments or the
media that are not complaints (政府或媒体部门的接待规范), emergencies (紧急援助: a lost child, an
injury, a fire alarm), repair reports for the mall's own facilities (报修报事) and suggestions
(意见反馈). Each kind has its clock (due_at, from the mall's settings), its register and its print
layout; every entry is followed up and closed with its outcome, never deleted."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from servicedesk.limits import TEXT_MAX
from servicedesk.models import Mall, MallScopedQuerySet
from servicedesk.roles import Role
from servicedesk.workflow import Transitions

INCIDENT_ROLES = (Role.FRONT_DESK, Role.SUPERVISOR, Role.MANAGER)
# Who closes a visit by an official body or the media, and a serious or critical emergency.
INCIDENT_SENIOR_ROLES = (Role.SUPERVISOR, Role.MANAGER)


class IncidentKind(models.TextChoices):
    VISIT = "visit", _("Government or media visit")
    EMERGENCY = "emergency", pgettext_lazy("incident kind", "Emergency")
    REPAIR = "repair", _("Facility repair report")
    SUGGESTION = "suggestion", _("Suggestion")


# The quoted number's prefix per kind: 接待 JD, 突发 TF, 报修 BX, 意见 YJ.
KIND_PREFIX = {
    IncidentKind.VISIT: "JD",
    IncidentKind.EMERGENCY: "TF",
    IncidentKind.REPAIR: "BX",
    IncidentKind.SUGGESTION: "YJ",
}


class VisitorBody(models.TextChoices):
    GOVERNMENT = "government", _("Government department")
    MEDIA = "media", _("Media")


class EmergencyType(models.TextChoices):
    LOST_CHILD = "lost_child", _("Lost child")
    INJURY = "injury", _("Injury or sudden illness")
    FIRE_ALARM = "fire_alarm", _("Fire alarm")
    OTHER = "other", _("Other emergency")


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor")
    SERIOUS = "serious", _("Serious")
    CRITICAL = "critical", _("Critical")


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


OPEN, CLOSED = IncidentStatus.OPEN, IncidentStatus.CLOSED


class IncidentAction(models.TextChoices):
    FOLLOW_UP = "follow_up", _("Record a follow-up")
    CLOSE = "close", _("Close")


IA = IncidentAction
# (state, action) -> (new state, who may). Closing a visit or a serious emergency is further kept
# to INCIDENT_SENIOR_ROLES by the service.
INCIDENT_TRANSITIONS = Transitions(
    {
        (OPEN, IA.FOLLOW_UP): (OPEN, INCIDENT_ROLES),
        (OPEN, IA.CLOSE): (CLOSED, INCIDENT_ROLES),
    },
    states=IncidentStatus,
    actions=IncidentAction,
)


class DeskIncidentQuerySet(MallScopedQuerySet):
    def open(self):
        return self.filter(status=OPEN)

    def overdue(self, now):
        return self.open().filter(due_at__lt=now)


class DeskIncident(models.Model):
    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="+", verbose_name=_("mall"))
    number = models.CharField(_("number"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=IncidentKind.choices)
    status = models.CharField(_("status"), max_length=8, choices=IncidentStatus.choices, default=OPEN)
    occurred_at = models.DateTimeField(_("time"))
    occurred_on = models.DateField(_("date"))  # local date, for the registers' one indexed filter
    place = models.CharField(_("place"), max_length=100, blank=True)
    summary = models.TextField(_("what happened"), max_length=TEXT_MAX)
    party_name = models.CharField(_("name"), max_length=100, blank=True)
    party_organisation = models.CharField(_("department or outlet"), max_length=100, blank=True)
    party_phone = models.CharField(_("phone"), max_length=30, blank=True)
    body_type = models.CharField(_("visiting body"), max_length=12, choices=VisitorBody.choices, blank=True)
    emergency_type = models.CharField(_("emergency"), max_length=12, choices=EmergencyType.choices, blank=True)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, blank=True)
    acted_by = models.CharField(_("who acted"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=pgettext_lazy("incident", "received by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    manager_told_at = models.DateTimeField(_("manager told at"), null=True, blank=True)
    property_sent_at = models.DateTimeField(_("sent to the property team at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(_("flagged overdue at"), null=True, blank=True)
    outcome = models.TextField(pgettext_lazy("incident", "outcome"), max_length=TEXT_MAX, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = DeskIncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("reception or incident")
        verbose_name_plural = _("reception and incident log")
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True) | Q(status="closed", closed_at__isnull=False),
                name="closed_incident_has_a_time",
            ),
        ]
        indexes = [models.Index(fields=["mall", "kind", "occurred_on"], name="incident_mall_kind_day")]

    def __str__(self):
        return self.number

    @property
    def is_serious(self):
        return self.kind == IncidentKind.EMERGENCY and self.severity in (Severity.SERIOUS, Severity.CRITICAL)

    @property
    def needs_senior_to_close(self):
        return self.kind == IncidentKind.VISIT or self.is_serious


class IncidentNote(models.Model):
    """A follow-up on an entry: what was done, by whom, when."""

    incident = models.ForeignKey(DeskIncident, on_delete=models.PROTECT, related_name="notes")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    written_at = models.DateTimeField(_("at"))
    text = models.TextField(_("follow-up"), max_length=TEXT_MAX)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["written_at", "pk"]

    def __str__(self):
        return f"{self.incident_id} {self.written_at:%Y-%m-%d %H:%M}"
