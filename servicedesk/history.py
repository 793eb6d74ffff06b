"""A record's audit history as a timeline: who changed what, when, from which value to which."""

from dataclasses import dataclass, field

from django.db import models
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
    """Newest first. One query for the history rows with their users, plus one per kind of linked
    record that changed (shown by name, not by id), whatever the length."""
    records = list(instance.history.select_related("history_user").order_by("-history_date", "-history_id")[:limit])
    entries = []
    pending_links = []
    # A record written in bulk (imports, the chain generator) may have no history rows at all.
    for newer, older in zip(records, [*records[1:], None][: len(records)], strict=True):
        changes = []
        if older is not None:
            delta = newer.diff_against(older, foreign_keys_are_objs=False)
            for change in delta.changes:
                if change.field in HIDDEN_FIELDS:
                    continue
                model_field = instance._meta.get_field(change.field)
                entry = {
                    "field": model_field.verbose_name,
                    "old": _display(model_field, change.old),
                    "new": _display(model_field, change.new),
                }
                if model_field.is_relation and model_field.many_to_one:
                    pending_links.append((model_field, entry))
                changes.append(entry)
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
    _name_linked_records(pending_links)
    return entries


def _name_linked_records(pending):
    """Replace the ids of linked records by their names, one query per related model."""
    ids_by_model = {}
    for model_field, entry in pending:
        for key in ("old", "new"):
            if entry[key] not in ("", None):
                ids_by_model.setdefault(model_field.related_model, set()).add(entry[key])
    names = {
        model: {pk: _name(obj) for pk, obj in model._default_manager.in_bulk(list(ids)).items()}
        for model, ids in ids_by_model.items()
    }
    for model_field, entry in pending:
        for key in ("old", "new"):
            if entry[key] not in ("", None):
                entry[key] = names[model_field.related_model].get(entry[key], entry[key])


def _name(obj):
    full_name = getattr(obj, "get_full_name", None)  # people by name, not login
    return (full_name() if full_name else "") or str(obj)


def _display(model_field, value):
    if value is None or value == "":
        return ""
    if isinstance(model_field, models.FileField):
        return _("a stored file")  # never the storage path
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value
