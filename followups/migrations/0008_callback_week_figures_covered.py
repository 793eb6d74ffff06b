from django.db import migrations, models


class Migration(migrations.Migration):
    """The weekly figures' callback count reads the index alone (issue 22): the new covering index
    first, then the old one goes, so the table is never without one."""

    dependencies = [
        ("followups", "0007_sale_warranty_from_the_mall"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="callback",
            index=models.Index(
                fields=["mall", "deadline_on"],
                include=("id", "status", "outcome", "source"),
                name="callback_mall_deadline_cover",
            ),
        ),
        migrations.RemoveIndex(
            model_name="callback",
            name="callback_mall_deadline",
        ),
    ]
