"""A model drop-down's options from the columns its labels need, not from model instances.

Django's ModelChoiceField makes every choice a model instance (`Model.__init__` over all its
fields) through `QuerySet.iterator()`, which on PostgreSQL is a server-side cursor (DECLARE,
FETCH, CLOSE: three round trips). A register's merchant drop-down has a few hundred merchants:
2 ms of Python a page for a list of names (issue #22). `read_choices(field, columns, label)` lets
the field read `values_list("pk", *columns)` in one query and label each option with
`label(*values)`, which must give what the field's `label_from_instance` gives for the instance
(tests/servicedesk/test_model_choices.py renders both). Validating a submitted value still goes
through the field's queryset, as before.
"""


def read_choices(field, columns, label):
    """Make the ModelChoiceField `field` read its options as values; returns the field."""

    class ValuesChoiceIterator(field.iterator):
        def __iter__(self):
            if self.field.empty_label is not None:
                yield ("", self.field.empty_label)
            # django-filter's null choice ("None" filter), when the field has one.
            if getattr(self.field, "null_label", None) is not None:
                yield (self.field.null_value, self.field.null_label)
            for pk, *values in self.queryset.values_list(self.field.to_field_name or "pk", *columns):
                yield (pk, label(*values))

    field.iterator = ValuesChoiceIterator
    # Set again so the widget's choices come from the new iterator.
    field.queryset = field.queryset
    return field
