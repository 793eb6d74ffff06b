from django.db import migrations, models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce


def backfill_referred_at(apps, schema_editor):
    """A referral made before this field existed is dated by the first history row that shows
    the complaint referred outside (the audit trail records every change); without one, by its
    receipt, as the report dated it until now."""
    Complaint = apps.get_model("complaints", "Complaint")
    History = apps.get_model("complaints", "HistoricalComplaint")
    first_referred = History.objects.filter(id=OuterRef("pk"), status="external").order_by("history_date")
    Complaint.objects.filter(~Q(external_body="")).update(
        referred_at=Coalesce(Subquery(first_referred.values("history_date")[:1]), F("received_at"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0006_policy_versions"),
    ]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="referred_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When the complaint was referred outside; the weekly report counts it in that week.",
                null=True,
                verbose_name="referred at",
            ),
        ),
        migrations.AddField(
            model_name="historicalcomplaint",
            name="referred_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When the complaint was referred outside; the weekly report counts it in that week.",
                null=True,
                verbose_name="referred at",
            ),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="needs_escalation",
            field=models.BooleanField(
                default=False,
                help_text="Open past the mall's deliberate-delay line, or the merchant refused: review for advance compensation.",
                verbose_name="marked for escalation",
            ),
        ),
        migrations.AlterField(
            model_name="complaintdeadline",
            name="kind",
            field=models.CharField(
                choices=[
                    ("first_contact", "First contact with the customer"),
                    ("assignment", "Assignment"),
                    ("merchant_reply", "Merchant's reply"),
                    ("resolution", "Resolution"),
                    ("deliberate_delay", "Deliberate-delay line"),
                    ("referral", "Reply to the referring hotline"),
                    ("callback", "Callback"),
                ],
                max_length=20,
                verbose_name="clock",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcomplaint",
            name="needs_escalation",
            field=models.BooleanField(
                default=False,
                help_text="Open past the mall's deliberate-delay line, or the merchant refused: review for advance compensation.",
                verbose_name="marked for escalation",
            ),
        ),
        migrations.RunPython(backfill_referred_at, migrations.RunPython.noop),
    ]
