"""A model drop-down's options from the columns its labels need, not from model instances.

Django's ModelChoiceField makes every choice a model instance (`Model.__init__` over all its
fields) through `QuerySet.iterator()`, which on PostgreSQL is a server-side cursor (DECLARE,
FETCH, CLOSE: three round trips). A register's merchant drop-down has a few hundred merchants:
2 ms of Python a page for a list of names (issue #22). `read_choices(field, columns, label)` lets
the field read `values_list("pk", *columns)` in one query and label each option with
`label(*values)`, which must give what the field's `label_from_instance` gives for the instance
(tests/complaints/test_register_choices.py renders both). Validating a submitted value still goes
through the field's queryset, as before. `rows`, when given, reads the options instead of the
queryset (the register: a statement compiled once, servicedesk/fixedsql.py).
"""

from functools import cache


@cache
def _values_iterator(base):
    """`base` (the field's choice iterator class) reading values: one class per base, not one per
    call (a class made per request is garbage only the cyclic collector frees)."""

    class ValuesChoiceIterator(base):
        def __iter__(self):
            field = self.field
            if field.empty_label is not None:
                yield ("", field.empty_label)
            # django-filter's null choice ("None" filter), when the field has one.
            if getattr(field, "null_label", None) is not None:
                yield (field.null_value, field.null_label)
            columns, label, rows = field.values_choices
            rows = self.queryset.values_list(field.to_field_name or "pk", *columns) if rows is None else rows()
            for pk, *values in rows:
                yield (pk, label(*values))

    return ValuesChoiceIterator


def read_choices(field, columns, label, rows=None):
    """Make the ModelChoiceField `field` read its options as values; returns the field.

    `rows`, when given, is called for the options instead of reading the field's queryset: it must
    return exactly the rows of `queryset.values_list(pk or to_field_name, *columns)` (for instance a
    statement compiled once, servicedesk/fixedsql.py). The queryset then only checks a submitted
    value, and a page that checks none need not even build it."""
    field.values_choices = (tuple(columns), label, rows)
    field.iterator = _values_iterator(field.iterator)
    # The widget's choices from the new iterator (what setting the queryset does, without a clone).
    field.widget.choices = field.choices
    return field
