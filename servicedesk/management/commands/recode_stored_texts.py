"""Turn sentences stored before events existed (history reasons, handling-log lines,
notifications, ledger reasons) into events, so old rows read in the reader's language too.

Idempotent; free text typed by people is left as it is. Run once after upgrading
(docs/i18n.md); the migrations recode the notifications and the complaint log themselves.
"""

from django.apps import apps
from django.core.management.base import BaseCommand

from servicedesk.texts import choice_labels, recode_rows

# Stored text fields that services fill with events (besides every history_change_reason).
EVENT_FIELDS = [
    ("servicedesk.Notification", "title"),
    ("servicedesk.Notification", "body"),
    ("complaints.HandlingEntry", "text"),
    ("merchants.Merchant", "flagged_reason"),
    ("merchants.DepositEntry", "reason"),
    ("merchants.Receivable", "reason"),
    ("compensations.CompensationRecovery", "reference"),
]


class Command(BaseCommand):
    help = "Recode stored sentences (written in one language) as events rendered in the reader's language."

    def handle(self, *args, **options):
        labels = choice_labels()
        targets = []
        for label, field in EVENT_FIELDS:
            try:
                targets.append((apps.get_model(label), field, ()))
            except LookupError:
                continue
        for model in apps.get_models():
            if any(f.name == "history_change_reason" for f in model._meta.fields):
                targets.append((model, "history_change_reason", labels))
        total = 0
        for model, field, model_labels in targets:
            count = recode_rows(model._default_manager.all(), field, model_labels)
            if count:
                self.stdout.write(f"{model._meta.label}.{field}: {count}")
            total += count
        self.stdout.write(self.style.SUCCESS(f"{total} stored texts recoded."))
