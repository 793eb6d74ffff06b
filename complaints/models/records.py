"""The handling log (处理经过) and the documents the customer brought."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from servicedesk.models import MallScopedQuerySet

from .complaint import TEXT_MAX


class ComplaintScopedQuerySet(MallScopedQuerySet):
    mall_lookup = "complaint__mall"


class EntryKind(models.TextChoices):
    CALL = "call", _("Phone call")
    VISIT = "visit", _("Visit")
    MERCHANT = "merchant", _("Merchant's reply")
    NOTE = "note", _("Note")
    ACTION = "action", _("Handling step")


class HandlingEntry(models.Model):
    """One line of 处理经过: a call, a visit, a merchant's reply, a note, or a handling step."""

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="entries", verbose_name=_("complaint")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices, default=EntryKind.NOTE)
    happened_at = models.DateTimeField(_("when"))
    text = models.TextField(_("what happened"), max_length=TEXT_MAX)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ComplaintScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("handling log entry")
        verbose_name_plural = _("handling log")
        ordering = ["-happened_at", "-pk"]

    def __str__(self):
        return f"{timezone.localtime(self.happened_at):%Y-%m-%d %H:%M} {self.get_kind_display()}"


def attachment_path(instance, filename):
    # Grouped by mall and complaint; the stored name never comes from the user's file name.
    suffix = filename.rsplit(".", 1)[-1].lower()
    return f"complaints/{instance.complaint.mall.code}/{instance.complaint.number}/{instance.token}.{suffix}"


class ComplaintAttachment(models.Model):
    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="attachments", verbose_name=_("complaint")
    )
    token = models.CharField(max_length=32, editable=False)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ComplaintScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name
