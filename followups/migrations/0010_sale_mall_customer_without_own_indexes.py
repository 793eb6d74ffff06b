"""Drop the sales table's indexes on mall alone and on customer alone (issue 22,
docs/benchmarks.md §18): the unique (mall, order number), `sale_mall_delivery` and
`sale_mall_warranty_end` lead by mall, `sale_customer_paid` leads by customer, and each index is
upkeep for every one of the millions of sales an import writes.

The customer table keeps its own mall index: without it the customer list of a mall (newest
first, and its count) reads the wider unique (mall, mobile) index or the whole table, 2-4x slower.

Only the indexes are dropped. Django's own AlterField would also drop and re-add the foreign keys,
which re-checks all the sales (10M at the full chain) under a lock; the keys stay as they are.
"""

import django.db.models.deletion
from django.db import migrations, models

INDEXES = {"followups_sale_mall_id_8ace346e": "mall_id", "followups_sale_customer_id_d5fe5204": "customer_id"}


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0009_complaint_callback_values_to_service_callbacks"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX IF NOT EXISTS "{name}" ON "followups_sale" ("{column}")',
                )
                for name, column in INDEXES.items()
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="sale",
                    name="customer",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="sales",
                        to="servicedesk.customer",
                        verbose_name="customer",
                    ),
                ),
                migrations.AlterField(
                    model_name="sale",
                    name="mall",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="servicedesk.mall",
                        verbose_name="mall",
                    ),
                ),
            ],
        ),
    ]
