"""Quicker `get_FOO_display()` for models shown in long lists.

Django's `Model._get_FIELD_display` builds a dict of every choice on each call, hashing each lazy
label (a translation look-up each): two labels per row of a 50-row register cost about as much as
the rest of the row (issue #22). A model that lists `QuickChoiceLabels` first among its bases gets
the same labels from a dict built once per field; labels stay lazy, so each call still answers in
the active language, and a value outside the choices is shown as it is, as Django does.
"""

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_LABELS = "_quick_choice_labels"


def choice_labels(field):
    """{value: lazy label} of a field's (flattened) choices, built once per field."""
    labels = field.__dict__.get(_LABELS)
    if labels is None:
        labels = dict(make_hashable(field.flatchoices))
        field.__dict__[_LABELS] = labels
    return labels


class QuickChoiceLabels:
    """Mixin for a model: `get_<field>_display()` from a dict built once per field."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        return force_str(choice_labels(field).get(make_hashable(value), value), strings_only=True)
