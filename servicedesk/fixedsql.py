"""Statements every desk request runs with only their values changing (the session, the user's
memberships, the bell's count), compiled by the ORM once per process and database (issue #22).

Building a QuerySet and compiling it costs 0.2-0.6 ms of Python per statement, many times what
PostgreSQL takes to run these; every page paid it for each of them before its own work started.
A `FixedQuery` has the ORM compile its statement the first time it is needed on a database,
checks that the parameters the ORM wrote are exactly those `params` gives for the same values,
and from then on executes that SQL with new values on the connection's own cursor: it runs on
the database the routers choose for the model, is counted by `assertNumQueries` and
`CaptureQueriesContext` like any query, and its values go through the converters the ORM would
apply (SQLite's dates, times and booleans). Should the check ever fail (another Django writing the
statement differently), the statement stays on the ORM: slower, never wrong.
"""

from django.core.exceptions import EmptyResultSet
from django.db import connections, router


def _signature(params):
    # True == 1 == 1.0 in Python: a parameter of another type makes another statement.
    return [(type(value), value) for value in params]


class Literal:
    """A parameter the ORM writes into the statement itself, the same on every run (the `1` of
    `EXISTS(SELECT 1 ...)`): named in `params` where it comes, not one of the values."""

    def __init__(self, value):
        self.value = value

    def __repr__(self):
        return f"Literal({self.value!r})"


class FixedQuery:
    """One SELECT of a fixed shape.

    `queryset(*values)`: the statement, a `values_list` QuerySet of `model` whose parameters are
    `values` only (and Literals); `params`: the model's fields (names, `__` across relations) each
    value is compared with, in the order of `values` and of the parameters in the compiled SQL,
    with a `Literal` where the ORM writes a constant parameter of its own.
    """

    def __init__(self, model, queryset, params):
        self.model = model
        self.queryset = queryset
        self.fields = tuple(name if isinstance(name, Literal) else _field(model, name) for name in params)
        self.arity = sum(not isinstance(field, Literal) for field in self.fields)
        self._statements = {}

    def rows(self, *values, using=None):
        """The rows of `queryset(*values)` as tuples, exactly as `list()` of it would give them,
        from `using` or the database the routers choose."""
        alias = using or router.db_for_read(self.model)
        connection = connections[alias]
        params = self._params(connection, values)
        statement = self._statements.get(alias)
        if statement is None:
            statement = self._statements[alias] = self._compile(alias, values, params)
        if statement is False:
            return list(self.queryset(*values).using(alias))
        sql, converters = statement
        return _run(connection, sql, params, converters)

    def _params(self, connection, values):
        # As the lookups prepare them: Field.get_prep_value, then get_db_prep_value.
        if len(values) != self.arity:
            raise ValueError(f"{self.arity} values expected, {len(values)} given")
        values = iter(values)
        return [
            field.value if isinstance(field, Literal) else field.get_db_prep_value(next(values), connection)
            for field in self.fields
        ]

    def _compile(self, alias, values, params):
        compiler = self.queryset(*values).using(alias).query.get_compiler(alias)
        try:
            sql, compiled = compiler.as_sql()
        except EmptyResultSet:
            return False
        if _signature(compiled) != _signature(params):
            return False
        # The converters values_list() applies (SQLCompiler.results_iter), worked out once.
        converters = compiler.get_converters([column for column, _sql, _alias in compiler.select[: compiler.col_count]])
        return sql, converters


def _field(model, name):
    *relations, last = name.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.get_field(last)


class QueryShapes:
    """Statements made from querysets that differ only in the values their conditions compare
    columns with, compiled by the ORM once per process for each *shape* (issue #22).

    The complaint register builds the same statements on every request: its page of rows and
    its bounded count, over `mall = %s` or no condition, perhaps a status or category. Building
    the statement (`values_list` of 21 columns across five joins) and compiling it cost ~1 ms of
    Python a request, for statements PostgreSQL answers in a few. `build(queryset, *args)` makes
    the statement from a queryset; `statement(queryset, *args)` gives its SQL and parameters
    from the compiled statement of the same shape, or None when the queryset is of a shape this
    does not know (anything but plain `column = value` conditions on the query's own columns,
    plain values of state everywhere else: see `_shape`), and then the caller asks the ORM.

    A shape is every attribute of the queryset's `Query` (its joins and aliases, ordering,
    slice, annotations, ...) and of each condition except the values compared with; it is
    compiled the first time it is seen with all its values distinct, and kept if the ORM's
    parameters are exactly those values as the fields prepare them, in their order (else that
    shape always goes to the ORM). `args` (the caller's own, part of the key) must be hashable.
    """

    def __init__(self, build, size=256):
        self.build = build
        self.size = size  # shapes kept per process at most (pages, filters); others go to the ORM
        self._statements = {}

    def statement(self, queryset, *args):
        """(sql, params, converters) of `build(queryset, *args)`, or None."""
        shape = _shape(queryset.query)
        if shape is None:
            return None
        fingerprint, lookups = shape
        alias = queryset.db
        connection = connections[alias]
        # As Exact's get_db_prep_lookup: the lookup prepared its value when it was made.
        params = [
            lookup.lhs.output_field.get_db_prep_value(lookup.rhs, connection, prepared=True) for lookup in lookups
        ]
        key = (alias, fingerprint, args)
        statement = self._statements.get(key)
        if statement is None:
            statement = self._compile(queryset, args, params)
            if statement is None:
                return None
            if len(self._statements) < self.size:
                self._statements[key] = statement
        if statement is False:
            return None
        sql, converters = statement
        return sql, params, converters

    def rows(self, queryset, *args):
        """`list(build(queryset, *args))` for a values_list statement: the same tuples."""
        statement = self.statement(queryset, *args)
        if statement is None:
            return list(self.build(queryset, *args))
        sql, params, converters = statement
        return _run(connections[queryset.db], sql, params, converters)

    def _compile(self, queryset, args, params):
        signature = _signature(params)
        if len(set(signature)) != len(signature):
            return None  # two equal values: their order in the SQL cannot be told apart; next time
        built = self.build(queryset, *args)
        compiler = built.query.get_compiler(built.db)
        try:
            sql, compiled = compiler.as_sql()
        except EmptyResultSet:
            return False
        if _signature(compiled) != signature:
            return False
        converters = compiler.get_converters([column for column, _sql, _alias in compiler.select[: compiler.col_count]])
        return sql, converters


def _run(connection, sql, params, converters):
    """A compiled statement's rows on the connection's own cursor (counted like any query), with
    the converters the ORM would apply."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if converters:
        return list(_converted(rows, converters, connection))
    return rows


def _converted(rows, converters, connection):
    """SQLCompiler.apply_converters with this thread's connection (a statement compiled in one
    thread runs in others: gthread workers)."""
    converters = list(converters.items())
    for row in map(list, rows):
        for position, (functions, expression) in converters:
            value = row[position]
            for convert in functions:
                value = convert(value, expression, connection)
            row[position] = value
        yield tuple(row)


_PLAIN = (type(None), bool, int, str)


class _Unknown(Exception):
    pass


def _frozen(value):
    """A hashable copy of a Query attribute made of plain values, or _Unknown."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind in (tuple, list):
        return (kind, *(_frozen(item) for item in value))
    if kind in (set, frozenset):
        return (kind, frozenset(_frozen(item) for item in value))
    if kind is dict:
        return (dict, *((_frozen(key), _frozen(item)) for key, item in value.items()))
    raise _Unknown


def _shape(query):
    """(fingerprint, the conditions' lookups) of a Query whose conditions are all `column =
    value` (value an int or a str) joined by AND, everything else plain values; else None."""
    from django.db.models.expressions import Col
    from django.db.models.fields.related_lookups import RelatedExact
    from django.db.models.lookups import Exact
    from django.db.models.sql.datastructures import BaseTable, Join
    from django.db.models.sql.where import AND, WhereNode

    try:
        parts = [type(query)]
        lookups = []
        for name, value in sorted(query.__dict__.items()):
            if name == "where":
                if type(value) is not WhereNode or value.negated or value.connector != AND:
                    return None
                conditions = []
                for lookup in value.children:
                    if type(lookup) not in (Exact, RelatedExact):
                        return None
                    lhs, rhs = lookup.lhs, lookup.rhs
                    if type(lhs) is not Col or type(rhs) not in (int, str) or lookup.bilateral_transforms:
                        return None
                    conditions.append((type(lookup), lhs.alias, lhs.target, lhs.output_field, type(rhs)))
                    lookups.append(lookup)
                parts.append((name, tuple(conditions)))
            elif name == "alias_map":
                joins = []
                for alias, join in value.items():
                    if type(join) is BaseTable:
                        joins.append((alias, BaseTable, join.table_name, join.table_alias))
                    elif type(join) is Join and join.filtered_relation is None:
                        joins.append(
                            (alias, Join, join.table_name, join.table_alias, join.parent_alias, join.join_type,
                             join.join_field, join.nullable)
                        )  # fmt: skip
                    else:
                        return None
                parts.append((name, tuple(joins)))
            elif name == "model":
                parts.append((name, value))
            else:
                parts.append((name, _frozen(value)))
        return tuple(parts), lookups
    except _Unknown:
        return None
