"""What every complaint service shares: the table check, the lock, the handling-log line."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from servicedesk.services import save_by
from servicedesk.texts import event

from ..models import Action, EntryKind, HandlingEntry

# Every complaint move locks these with the row read (the lock itself is on the complaint only).
LOCK_RELATED = ("mall", "merchant")


def move(complaint, *, actor, action, new_status, fields=(), log="", log_kind=EntryKind.ACTION):
    """Save the new state with the changed fields, and write the handling-log line."""
    changed = list(fields)
    if complaint.status != new_status:
        complaint.status = new_status
        changed.append("status")
    if changed:
        save_by(complaint, actor, update_fields=changed, reason=event("action", action=Action(action).label))
    log_action(complaint, actor=actor, text=log or event("action", action=Action(action).label), kind=log_kind)
    return complaint


def log_action(complaint, *, actor, text, kind=EntryKind.ACTION, at=None):
    entry = HandlingEntry(complaint=complaint, kind=kind, happened_at=at or timezone.now(), text=text, author=actor)
    return save_by(entry, actor)


def complaint_url(complaint):
    return reverse("complaints:detail", args=[complaint.pk])


def require_text(value, field, message):
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value
