"""A trigram index on the complaint number: the register finds "0007" or "20261126" in any
number without reading every complaint. PostgreSQL only; see servicedesk/pg_indexes.py."""

from django.db import migrations

from servicedesk.pg_indexes import trigram_index


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0004_indexes_for_chain_scale"),
        ("servicedesk", "0006_trigram_search"),
    ]

    operations = [trigram_index("complaints_complaint", "number", "complaint_number_trgm")]
