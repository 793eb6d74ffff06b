"""COPY ... FROM STDIN into the real tables, buffered: the generator's only way of writing rows.

Rows are formatted in PostgreSQL's text COPY format and sent every `flush_rows` rows, so memory
stays flat whatever the size of the chain. Ids are given here (max(id) + 1 onwards), which lets
a row name its parent without a round trip; `finish()` moves each table's id sequence past them.
"""

import io
from datetime import datetime

FLUSH_ROWS = 20_000


def _field(value):
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        return value
    if isinstance(value, datetime):
        # Generated times are naive wall-clock times in Asia/Shanghai (the chain's only zone);
        # isoformat is several times faster than strftime, and COPY reads it as it is.
        return value.isoformat(" ") + "+08"
    return str(value)


class CopyTable:
    def __init__(self, cursor, table, columns, flush_rows=FLUSH_ROWS):
        self.cursor = cursor
        self.table = table
        self.columns = columns
        self.flush_rows = flush_rows
        self.buffer = io.StringIO()
        self.pending = 0
        self.written = 0
        self.sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        self.last_id = 0
        self.defaults = {}
        # Tables whose pending rows go first when this one is full (open_tables: those before it):
        # a sale's keys are checked at the end of each COPY (followups 0011), so its mall,
        # customer, merchant and booth must be in the database by then, not only by the commit.
        self.parents = ()
        if columns[0] == "id":
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 - our table names
            self.last_id = cursor.fetchone()[0]

    def new_id(self):
        self.last_id += 1
        return self.last_id

    def add(self, *values):
        if len(values) < len(self.columns):  # trailing columns left out take the table's defaults
            values = (*values, *(self.defaults.get(c) for c in self.columns[len(values) :]))
        self.buffer.write("\t".join(map(_field, values)))
        self.buffer.write("\n")
        self.pending += 1
        if self.pending >= self.flush_rows:
            for parent in self.parents:
                parent.flush()
            self.flush()

    def add_record(self, record):
        """A row from a dict: columns it leaves out take the table's defaults (see tables.py)."""
        defaults = self.defaults
        self.add(*(record[c] if c in record else defaults.get(c) for c in self.columns))

    def flush(self):
        if not self.pending:
            return
        self.buffer.seek(0)
        self.cursor.copy_expert(self.sql, self.buffer)
        self.written += self.pending
        self.pending = 0
        self.buffer = io.StringIO()

    def finish(self):
        self.flush()
        if self.columns[0] == "id" and self.written:
            self.cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM " + self.table + "))",  # noqa: S608
                [self.table],
            )
