"""The reception and incident log: record an entry of each kind with its clock, follow it up,
close it with its outcome. Visits by official bodies or the media and serious emergencies are
told to the manager and the supervisor at once, and only they close them."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from servicedesk import texts
from servicedesk.access import has_role, require_role
from servicedesk.notifications import notify, staff_of
from servicedesk.numbering import issue_number
from servicedesk.roles import Role
from servicedesk.services import save_by
from servicedesk.workflow import lock_and_check

from ..models import (
    INCIDENT_ROLES,
    INCIDENT_SENIOR_ROLES,
    INCIDENT_TRANSITIONS,
    KIND_PREFIX,
    DeskIncident,
    FrontDeskPolicy,
    IncidentAction,
    IncidentKind,
    IncidentNote,
)

K = IncidentKind
# What each kind must say, besides what happened.
REQUIRED = {
    K.VISIT: ("body_type", "party_organisation", "party_name"),
    K.EMERGENCY: ("emergency_type", "severity", "place", "acted_by"),
    K.REPAIR: ("place",),
    K.SUGGESTION: ("party_name", "party_phone"),
}
FIELDS = (
    "place",
    "summary",
    "party_name",
    "party_organisation",
    "party_phone",
    "body_type",
    "emergency_type",
    "severity",
    "acted_by",
)


def incident_check(kind, values):
    """The facts a kind of entry must have, as {field: message}: the service's rule, which the
    form also runs so that every missing fact is named in one round."""
    errors = {}
    if "summary" in values and not (values["summary"] or "").strip():
        errors["summary"] = _("Say what happened (the purpose of the visit, the suggestion...).")
    for name in REQUIRED[K(kind)]:
        if not (values.get(name) or "").strip():
            errors[name] = _("Needed for this kind of entry.")
    return errors


def due_for(kind, policy, start):
    """The entry's clock: a visit's and an emergency's written follow-up, the property team's repair,
    the written reply to a suggestion."""
    hours = {
        K.VISIT: policy.visit_report_hours,
        K.EMERGENCY: policy.emergency_report_hours,
        K.REPAIR: policy.repair_due_hours,
        K.SUGGESTION: policy.suggestion_reply_days * 24,
    }[K(kind)]
    return start + timedelta(hours=hours)


@transaction.atomic
def incident_record(*, mall, actor, kind, occurred_at=None, **fields):
    """Log an entry. Every missing field of its kind is named at once; nothing is saved then."""
    require_role(actor, mall, *INCIDENT_ROLES)
    kind = K(kind)
    now = timezone.now()
    occurred_at = occurred_at or now
    values = {name: (fields.get(name) or "").strip() for name in FIELDS}
    errors = incident_check(kind, values)
    if occurred_at > now + timedelta(minutes=5):
        errors["occurred_at"] = _("The time cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    if kind != K.VISIT:
        values["body_type"] = values["party_organisation"] = ""
    if kind != K.EMERGENCY:
        values["emergency_type"] = values["severity"] = ""
    policy = FrontDeskPolicy.for_mall(mall, on=timezone.localdate(occurred_at))
    incident = DeskIncident(
        mall=mall,
        number=issue_number(KIND_PREFIX[kind], mall, timezone.localdate(now)),
        kind=kind,
        occurred_at=occurred_at,
        occurred_on=timezone.localdate(occurred_at),
        recorded_by=actor,
        recorded_at=now,
        due_at=due_for(kind, policy, now),
        **values,
    )
    if kind == K.REPAIR:
        incident.property_sent_at = now  # the desk passes the report to the property team as it logs it
    if incident.needs_senior_to_close:
        incident.manager_told_at = now
    save_by(incident, actor)
    if incident.needs_senior_to_close:
        notify(
            staff_of(mall, Role.MANAGER, Role.SUPERVISOR).filter(memberships__mall=mall).exclude(pk=actor.pk),
            key=f"incident:{incident.pk}:told",
            title=texts.event("notice.incident_told", number=incident.number, kind=texts.label(kind)),
            body=incident.summary[:200],
            url=f"/frontdesk/incidents/{incident.pk}/",
            mall=mall,
        )
    return incident


@transaction.atomic
def incident_follow_up(*, incident, actor, text):
    incident, _same = lock_and_check(incident, INCIDENT_TRANSITIONS, IncidentAction.FOLLOW_UP, actor, related=())
    if not text.strip():
        raise ValidationError({"text": _("Say what was done.")})
    return save_by(
        IncidentNote(incident=incident, written_by=actor, written_at=timezone.now(), text=text.strip()), actor
    )


@transaction.atomic
def incident_close(*, incident, actor, outcome):
    """Close with the outcome (for a suggestion: the written reply given to the customer)."""
    incident, new_status = lock_and_check(incident, INCIDENT_TRANSITIONS, IncidentAction.CLOSE, actor, related=())
    incident.status = new_status
    if incident.needs_senior_to_close and not has_role(actor, incident.mall_id, *INCIDENT_SENIOR_ROLES):
        raise PermissionDenied(
            _(
                "A visit by an official body or the media, or a serious emergency, "
                "is closed by the supervisor or manager."
            )
        )
    if not outcome.strip():
        message = (
            _("Write the reply given to the customer.")
            if incident.kind == K.SUGGESTION
            else _("Say how it ended (the outcome).")
        )
        raise ValidationError({"outcome": message})
    incident.outcome = outcome.strip()
    incident.closed_by = actor
    incident.closed_at = timezone.now()
    return save_by(
        incident,
        actor,
        update_fields=["status", "outcome", "closed_by", "closed_at"],
        reason=texts.event("action", action=IncidentAction.CLOSE.label),
    )


def flag_overdue_incidents(now=None):
    """Every quarter hour: open entries past their clock go to the mall's supervisors and to whoever
    logged them, once each (the flag time makes a second run do nothing)."""
    now = now or timezone.now()
    flagged = 0
    with transaction.atomic():
        due = (
            DeskIncident.objects.select_for_update(skip_locked=True, of=("self",), no_key=True)
            .overdue(now)
            .filter(overdue_flagged_at__isnull=True)
            .select_related("mall", "recorded_by")
        )
        for incident in due:
            incident.overdue_flagged_at = now
            save_by(incident, None, update_fields=["overdue_flagged_at"], reason=texts.event("incident.overdue"))
            supervisors = staff_of(incident.mall, Role.SUPERVISOR).filter(memberships__mall=incident.mall)
            notify(
                {*supervisors, incident.recorded_by},
                key=f"incident:{incident.pk}:overdue",
                title=texts.event(
                    "notice.incident_overdue",
                    number=incident.number,
                    kind=texts.label(IncidentKind(incident.kind)),
                    due=incident.due_at,
                ),
                url=f"/frontdesk/incidents/{incident.pk}/",
                mall=incident.mall,
            )
            flagged += 1
    return flagged
