"""A record's audit history as a timeline: who changed what, when, from which value to which."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

KINDS = {"+": _("created"), "~": _("changed"), "-": _("removed")}
HIDDEN_FIELDS = {"id", "history_id"}


@dataclass
class TimelineEntry:
    when: object
    who: object
    kind: str
    reason: str
    changes: list = field(default_factory=list)


def timeline(instance, limit=100):
    """Newest first. One query (history rows with their users), whatever the length."""
    records = list(instance.history.select_related("history_user").order_by("-history_date", "-history_id")[:limit])
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        changes = []
        if older is not None:
            delta = newer.diff_against(older, foreign_keys_are_objs=False)
            for change in delta.changes:
                if change.field in HIDDEN_FIELDS:
                    continue
                model_field = instance._meta.get_field(change.field)
                changes.append(
                    {
                        "field": model_field.verbose_name,
                        "old": _display(model_field, change.old),
                        "new": _display(model_field, change.new),
                    }
                )
        if older is not None and not changes and not newer.history_change_reason:
            continue  # a save that changed nothing says nothing
        entries.append(
            TimelineEntry(
                when=newer.history_date,
                who=newer.history_user,
                kind=KINDS.get(newer.history_type, newer.history_type),
                reason=newer.history_change_reason or "",
                changes=changes,
            )
        )
    return entries


def _display(model_field, value):
    if value is None or value == "":
        return ""
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value
