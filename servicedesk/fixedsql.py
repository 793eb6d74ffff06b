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
        sql, compiler, converters = statement
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            return [tuple(row) for row in compiler.apply_converters(rows, converters)]
        return rows

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
        return sql, compiler, converters


def _field(model, name):
    *relations, last = name.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.get_field(last)
