"""python manage.py import_sales FILE [--mall SH01]: import a cashier export from disk."""

from django.core.management.base import BaseCommand, CommandError

from servicedesk.models import Mall

from ...services import sales_import_file


class Command(BaseCommand):
    help = "Import sales from the unified cashier's export (.csv or .xlsx). Safe to run again on the same file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--mall", help="mall code, e.g. SH01 (may be left out when there is only one mall)")

    def handle(self, *args, file, mall=None, **options):
        malls = Mall.objects.active()
        only_one = malls.first() if malls.count() == 1 else None
        found = malls.filter(code=mall).first() if mall else only_one
        if found is None:
            raise CommandError(f"Name the mall with --mall CODE (one of: {', '.join(m.code for m in malls)}).")
        run = sales_import_file(mall=found, path=file)
        if run.error:
            raise CommandError(run.error)
        self.stdout.write(
            f"{run.file_name}: {run.rows_done} rows read, {run.created} sales added, {run.updated} corrected, "
            f"{run.unchanged} unchanged, {run.rejected} rejected."
        )
        for problem in run.problems:
            self.stdout.write(f"  row {problem['row']} {problem['column']}: {problem['message']}")
        if run.rejected > len(run.problems):
            self.stdout.write(f"  ... and {run.rejected - len(run.problems)} more")
