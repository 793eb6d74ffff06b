from django.db import migrations
from django.db.models import Exists, OuterRef
from django.utils import timezone


def backfill(apps, schema_editor):
    """Booths that already had a merchant get the open tenancy the new booth history needs."""
    Booth = apps.get_model("merchants", "Booth")
    BoothTenancy = apps.get_model("merchants", "BoothTenancy")
    open_tenancy = BoothTenancy.objects.filter(booth=OuterRef("pk"), end_date__isnull=True)
    held = Booth.objects.filter(merchant__isnull=False).exclude(Exists(open_tenancy)).select_related("merchant")
    BoothTenancy.objects.bulk_create(
        [
            BoothTenancy(
                mall_id=booth.mall_id,
                booth=booth,
                merchant=booth.merchant,
                start_date=booth.merchant.contract_start or timezone.localdate(booth.merchant.created_at),
            )
            for booth in held
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("merchants", "0002_registry_ledger_inspections")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
