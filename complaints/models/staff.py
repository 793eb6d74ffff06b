"""顾客电话投诉员工登记表: a customer phones to complain about a member of staff or a merchant's guide."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from merchants.models import Booth
from servicedesk.models import Mall, MallScopedQuerySet
from servicedesk.phones import validate_phone

from .complaint import TEXT_MAX


class StaffIssue(models.TextChoices):
    ATTITUDE = "attitude", _("Attitude")
    RULES = "rules", _("Breaking the rules")
    DRESS = "dress", _("Dress and appearance")
    COMPETENCE = "competence", _("Competence")
    OTHER = "other", _("Other")


class StaffComplaintStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Customer answered")
    SIGNED_OFF = "signed_off", _("Signed off by the manager")


class StaffAction(models.TextChoices):
    REGISTER = "register", _("Register the call")
    ANSWER = "answer", _("Record the answer")
    SIGN_OFF = "sign_off", _("Sign off")


class StaffComplaint(models.Model):
    mall = models.ForeignKey(Mall, on_delete=models.PROTECT, related_name="staff_complaints", verbose_name=_("mall"))
    number = models.CharField(_("number"), max_length=32, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=StaffComplaintStatus.choices, default=StaffComplaintStatus.OPEN
    )
    received_at = models.DateTimeField(_("call received at"))
    caller_name = models.CharField(_("caller"), max_length=50)
    caller_phone = models.CharField(_("caller's phone"), max_length=20, validators=[validate_phone])
    staff_name = models.CharField(
        _("staff member or merchant's guide"), max_length=50, help_text=_("Name, or a description if unknown.")
    )
    booth = models.ForeignKey(
        Booth, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("booth")
    )
    issue = models.CharField(_("issue"), max_length=20, choices=StaffIssue.choices)
    description = models.TextField(_("description"), max_length=TEXT_MAX)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("taken by")
    )
    action_taken = models.TextField(_("action taken"), max_length=TEXT_MAX, blank=True)
    answered_at = models.DateTimeField(_("customer answered at"), null=True, blank=True)
    result = models.TextField(_("result"), max_length=TEXT_MAX, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("manager's sign-off"),
    )
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = MallScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("phone complaint about staff")
        verbose_name_plural = _("phone complaints about staff")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["mall", "status", "received_at"], name="staffcomplaint_mall_status")]

    def __str__(self):
        return self.number
