import pytest
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.test.utils import CaptureQueriesContext

from works.models import Work
from works.selectors import NAME_SIMILARITY, search_researchers

pytestmark = pytest.mark.django_db


def test_title_search_can_use_the_gin_index():
    """The title search expression matches works_work_title_fts, so large tables need no scan."""
    query = SearchQuery("shadowsync", search_type="websearch", config="english")
    works = Work.objects.annotate(document=SearchVector("title", config="english"))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")

        plan = works.filter(document=query).explain()

    assert "Bitmap Index Scan on works_work_title_fts" in plan


def test_name_search_threshold_is_set_on_the_connection():
    """`%>` filters at the same word similarity the ranking documents (NAME_SIMILARITY)."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW pg_trgm.word_similarity_threshold")

        assert float(cursor.fetchone()[0]) == NAME_SIMILARITY == 0.5


def test_name_search_can_use_the_trigram_indexes():
    """Names and name variants are found through their trigram indexes, not a scan."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        with CaptureQueriesContext(connection) as captured:
            search_researchers("zhou")
        cursor.execute("EXPLAIN " + captured.captured_queries[-1]["sql"])

        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Bitmap Index Scan on works_author_name_trgm" in plan
    assert "Bitmap Index Scan on works_author_variants_trgm" in plan
