"""The full-text index the search uses (PostgreSQL only), role permissions, first categories."""

from django.db import migrations

from servicedesk.role_sync import sync_role_groups

# The expression Django writes for SearchVector("search_tokens", config="simple"), so the
# planner uses the index for the search's @@ test.
INDEX = (
    'CREATE INDEX IF NOT EXISTS "knowledge_article_search" ON "knowledge_article" '
    "USING gin (to_tsvector('simple'::regconfig, COALESCE((\"search_tokens\")::text, '')))"
)

CATEGORIES = (
    (10, "产品质量"),
    (20, "环保甲醛"),
    (30, "退换货"),
    (40, "送货安装"),
    (50, "售后维修"),
    (60, "价格标价签"),
    (70, "合同与定制"),
    (80, "商户撤场"),
    (90, "接待话术"),
)


def search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX)


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('DROP INDEX IF EXISTS "knowledge_article_search"')


def first_categories(apps, schema_editor):
    Category = apps.get_model("knowledge", "Category")
    for position, name in CATEGORIES:
        Category.objects.get_or_create(name=name, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]
    operations = [
        migrations.RunPython(search_index, drop_search_index, elidable=False),
        migrations.RunPython(sync_role_groups, migrations.RunPython.noop),
        migrations.RunPython(first_categories, migrations.RunPython.noop),
    ]
