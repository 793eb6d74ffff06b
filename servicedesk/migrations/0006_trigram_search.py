"""pg_trgm and trigram indexes for finding a customer by part of a name (the
complaint register's search). Nothing happens on SQLite; see servicedesk/pg_indexes.py."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from servicedesk.pg_indexes import trigram_index


class Migration(migrations.Migration):
    dependencies = [("servicedesk", "0005_indexes_for_chain_scale")]

    operations = [
        TrigramExtension(),
        trigram_index("servicedesk_customer", "name", "customer_name_trgm"),
    ]
