"""Every write of the followups app. Views, tasks, commands and tests call these."""

from .sales_import import IMPORTERS, sales_import_file, sales_import_run, sales_import_start

__all__ = [
    "IMPORTERS",
    "sales_import_file",
    "sales_import_run",
    "sales_import_start",
]
