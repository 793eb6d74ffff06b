"""Drop the customer table's index on mall alone (issue 22, docs/benchmarks.md §18): the unique
(mall, mobile) index leads by mall and serves every look-up by mall, and each index is upkeep
for every customer a sales import adds.

Only the index is dropped. Django's own AlterField would also drop and re-add the foreign key,
which re-checks every customer row under a lock; the key stays as it is.
"""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "servicedesk_customer_mall_id_34fe298d"


class Migration(migrations.Migration):
    dependencies = [
        ("servicedesk", "0017_driver_role"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    reverse_sql=f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "servicedesk_customer" ("mall_id")',
                ),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="customer",
                    name="mall",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="customers",
                        to="servicedesk.mall",
                        verbose_name="mall",
                    ),
                ),
            ],
        ),
    ]
