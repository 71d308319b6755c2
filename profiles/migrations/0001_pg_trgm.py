"""pg_trgm for trigram name search (works.selectors.search_researchers).

Lives in profiles because the works app's migrations belong to its own owner; CreateExtension
does nothing on databases other than PostgreSQL, so SQLite development is unaffected.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [TrigramExtension()]
