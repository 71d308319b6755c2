import pytest
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection

from works.models import Work

pytestmark = pytest.mark.django_db


def test_title_search_can_use_the_gin_index():
    """The title search expression matches works_work_title_fts, so large tables need no scan."""
    query = SearchQuery("shadowsync", search_type="websearch", config="english")
    works = Work.objects.annotate(document=SearchVector("title", config="english"))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")

        plan = works.filter(document=query).explain()

    assert "Bitmap Index Scan on works_work_title_fts" in plan
