"""What every complaint service shares: the table check, the lock, the handling-log line."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk.access import require_role
from servicedesk.roles import MERCHANT_PARTY
from servicedesk.services import save_by
from servicedesk.texts import event

from ..models import TRANSITIONS, Action, Complaint, EntryKind, HandlingEntry, Status


class TransitionRefused(ValidationError):
    """The action is not in the state machine's table for the complaint's current state."""


def check_transition(status, action):
    """(new state, roles) for this action from this state, or TransitionRefused."""
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        status_label = Status(status).label if status else _("not yet registered")
        raise TransitionRefused(
            _("“%(action)s” is not possible while the complaint is “%(status)s”.")
            % {"action": Action(action).label, "status": status_label},
            code="transition_refused",
        ) from None


def lock_for(complaint, action, actor):
    """Re-read the complaint under a row lock, then check the table and the actor's role.

    Returns (fresh complaint, new state). The caller's copy may be stale: a colleague may have
    moved the complaint since the page was drawn, and the table is checked against the row.
    """
    fresh = (
        Complaint.objects.select_for_update(of=("self",), no_key=True)
        .select_related("mall", "merchant")
        .get(pk=complaint.pk)
    )
    new_status, roles = check_transition(fresh.status, action)
    check_actor(actor, fresh, roles)
    return fresh, new_status


def check_actor(actor, complaint, roles):
    """Staff need one of `roles` in the complaint's mall; a merchant user needs the table to
    name the merchant (MERCHANT_PARTY) and the complaint to be its own merchant's (else 404)."""
    from merchants.accounts import is_merchant_user, require_merchant_of

    if is_merchant_user(actor):
        require_merchant_of(actor, complaint.merchant_id)
        if MERCHANT_PARTY not in roles:
            raise PermissionDenied(_("The merchant cannot do this."))
        return
    require_role(actor, complaint.mall, *roles)


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
