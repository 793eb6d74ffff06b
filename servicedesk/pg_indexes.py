"""Indexes only PostgreSQL has (trigram GIN for LIKE '%...%' searches), for migrations.

They live in migrations rather than in Meta.indexes because SQLite, which `make run` uses by
default, cannot create them: on another database these operations do nothing, and the search
they serve still works there, only without the index.
"""

from django.db import migrations


def trigram_index(table, column, name):
    """A migration operation: CREATE INDEX name ON table USING gin (column gin_trgm_ops)."""

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ("{column}" gin_trgm_ops)'
            )

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')

    return migrations.RunPython(forwards, backwards, elidable=False)
