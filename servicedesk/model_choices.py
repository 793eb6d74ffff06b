"""A model drop-down's options from the columns its labels need, not from model instances.

Django's ModelChoiceField makes every choice a model instance (`Model.__init__` over all its
fields) through `QuerySet.iterator()`, which on PostgreSQL is a server-side cursor (DECLARE,
FETCH, CLOSE: three round trips). A register's merchant drop-down has a few hundred merchants:
2 ms of Python a page for a list of names (issue #22). `read_choices(field, columns, label)` lets
the field read `values_list("pk", *columns)` in one query and label each option with
`label(*values)`, which must give what the field's `label_from_instance` gives for the instance
(tests/complaints/test_register_choices.py renders both). Validating a submitted value still goes
through the field's queryset, as before. `rows`, when given, reads the options instead of the
queryset (the register: a statement compiled once, servicedesk/fixedsql.py). The rows are read
every time; their labels are made again only when the rows differ from a page before (`_labelled`),
and QuickSelect (servicedesk/form_renderer.py) then writes the options it wrote for them last time.
"""

from functools import cache, lru_cache
from itertools import chain


@lru_cache(maxsize=64)
def _labelled(rows, label, kinds):
    """The options of `rows` as ((pk, label), ...) and whether they are plain (int or str values,
    str labels): kept by the rows read, so a new or renamed merchant is a new key, and a page
    whose rows are the same as the last page's labels nothing (a few hundred merchants, ~1M
    instructions a register page, issue #22). `kinds`, the values' types, keeps apart rows that
    are only equal (1, True, 1.0 and Decimal(1) are equal keys, and each is written otherwise)."""
    options = tuple((pk, label(*values)) for pk, *values in rows)
    plain = all(type(pk) in (int, str) and type(text) is str for pk, text in options)
    return options, plain


@cache
def _values_iterator(base):
    """`base` (the field's choice iterator class) reading values: one class per base, not one per
    call (a class made per request is garbage only the cyclic collector frees)."""

    class ValuesChoiceIterator(base):
        def __iter__(self):
            yield from self.leading_choices()
            yield from self.labelled_rows()[0]

        def leading_choices(self):
            """The choices before the rows: the empty label, django-filter's null choice."""
            field = self.field
            head = []
            if field.empty_label is not None:
                head.append(("", field.empty_label))
            # django-filter's null choice ("None" filter), when the field has one.
            if getattr(field, "null_label", None) is not None:
                head.append((field.null_value, field.null_label))
            return tuple(head)

        def labelled_rows(self):
            """The rows' choices, read now, and whether they are plain (_labelled)."""
            field = self.field
            columns, label, rows = field.values_choices
            rows = self.queryset.values_list(field.to_field_name or "pk", *columns) if rows is None else rows()
            rows = tuple(rows)
            kinds = tuple(map(type, chain.from_iterable(rows)))
            try:
                return _labelled(rows, label, kinds)
            except TypeError:  # a column of unhashable values (JSON): labelled every time
                return _labelled.__wrapped__(rows, label, kinds)

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
