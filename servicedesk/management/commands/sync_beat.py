from django.core.management.base import BaseCommand

from servicedesk.schedules import sync_beat_schedules


class Command(BaseCommand):
    help = "Put the periodic tasks of servicedesk/schedules.py into django-celery-beat (also done by migrate)."

    def handle(self, *args, **options):
        done = sync_beat_schedules()
        for what, names in done.items():
            for name in names:
                self.stdout.write(f"{what}: {name}")
        if not any(done.values()):
            self.stdout.write("beat schedules up to date")
