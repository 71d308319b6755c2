"""Writes to the scholarly record that touch several rows or models."""

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import F

from .bulk import update_rows
from .models import Author
from .signals import authors_refreshed

# DESIGN.md: co-authors whose Newman strength reaches this are close collaborators.
CLOSE_COLLABORATOR_STRENGTH = 0.2
# Float sums of 1/(n-1) land a hair under exact thresholds (5 × 1/25 = 0.19999…).
_EPSILON = 1e-9
_BATCH = 2000

_CLOSE_COLLABORATORS_SQL = """
WITH pairs AS (
    SELECT a.author_id AS ego, b.author_id AS other,
           SUM(1.0 / (w.author_count - 1)) AS strength
    FROM works_authorship a
    JOIN works_authorship b ON b.work_id = a.work_id AND b.author_id <> a.author_id
    JOIN works_work w ON w.id = a.work_id
    WHERE a.author_id IN ({ids}) AND w.author_count > 1
    GROUP BY a.author_id, b.author_id
)
SELECT p.ego, COUNT(*), SUM(CASE WHEN o.verification_level >= 2 THEN 1 ELSE 0 END)
FROM pairs p JOIN works_author o ON o.id = p.other
WHERE p.strength >= %s
GROUP BY p.ego
"""

_WORKS_SQL = """
SELECT author_id, COUNT(*) FROM works_authorship
WHERE author_id IN ({ids}) GROUP BY author_id
"""

_TOPICS_SQL = """
SELECT a.author_id, wt.topic_id, COUNT(DISTINCT a.work_id)
FROM works_authorship a JOIN works_worktopic wt ON wt.work_id = a.work_id
WHERE a.author_id IN ({ids})
GROUP BY a.author_id, wt.topic_id
"""


def is_main_topic(topic_works: int, works: int) -> bool:
    """DESIGN.md: a researcher's topics are those on at least a quarter of their works."""
    return topic_works >= 1 and 4 * topic_works >= works


def _chunks(ids: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _rows(sql: str, ids: list[int], *params) -> list[tuple]:
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(sql.format(ids=placeholders), [*ids, *params])
        return cursor.fetchall()


@transaction.atomic
def refresh_author_stats(author_ids: Iterable[int] | None = None) -> int:
    """Recompute the stored counts and verification level of these authors (all when None).

    Writes works_count, topics_count, close_collaborators_count, verified_collaborators_count
    and, for unclaimed records, verification_level (L1 with works from an open source, else L0);
    bumps data_version so graph slices rebuild; then sends `authors_refreshed`, on which
    profiles recomputes trust. A fixed number of queries per 2,000 authors. Returns the count.
    """
    if author_ids is None:
        ids = list(Author.objects.order_by("pk").values_list("pk", flat=True))
    else:
        ids = sorted(set(author_ids))
    for batch in _chunks(ids, _BATCH):
        works = dict(_rows(_WORKS_SQL, batch))
        close = {
            ego: (count, verified)
            for ego, count, verified in _rows(
                _CLOSE_COLLABORATORS_SQL, batch, CLOSE_COLLABORATOR_STRENGTH - _EPSILON
            )
        }
        topics: dict[int, int] = defaultdict(int)
        for author_id, _topic_id, topic_works in _rows(_TOPICS_SQL, batch):
            if is_main_topic(topic_works, works.get(author_id, 0)):
                topics[author_id] += 1
        authors = list(Author.objects.filter(pk__in=batch).only("pk", "claimed"))
        for author in authors:
            author.works_count = works.get(author.pk, 0)
            author.topics_count = topics.get(author.pk, 0)
            author.close_collaborators_count, author.verified_collaborators_count = close.get(
                author.pk, (0, 0)
            )
            if not author.claimed:
                author.verification_level = (
                    Author.Verification.L1 if author.works_count else Author.Verification.L0
                )
        fields = [
            "works_count",
            "topics_count",
            "close_collaborators_count",
            "verified_collaborators_count",
            "verification_level",
        ]
        # One VALUES statement per chunk: Django's bulk_update CASE WHEN is slow at this scale.
        update_rows(Author, fields, [[a.pk, *(getattr(a, f) for f in fields)] for a in authors])
        Author.objects.filter(pk__in=batch).update(data_version=F("data_version") + 1)
    if ids:
        authors_refreshed.send(sender=Author, author_ids=ids)
    return len(ids)
