"""A reproducible synthetic scholarly world for demos and benchmarks.

Seeded randomness only: the same (n_works, seed) gives the same rows. Productivity follows a
power law (a shifted Zipf over authors), team sizes have a median of 2 with a tail past 100,
every work has one to three topics and most authorships an institution. Every row says it is
synthetic: source="synthetic", synthetic=True and names such as "Synthetic Researcher 000123".
"""

import itertools
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import connections, models, transaction
from django.utils import timezone

from .models import Author, Authorship, Institution, Source, Topic, Work, WorkTopic
from .services import refresh_author_stats

# refresh_author_stats runs only on worlds this small; a benchmark world skips it.
REFRESH_STATS_UP_TO = 20_000
_CHUNK = 50_000

AuthorshipInstitution = Authorship.institutions.through
# Every table the generator writes with explicit ids, parents first.
_TABLES = (Institution, Topic, Author, Work, Authorship, WorkTopic, AuthorshipInstitution)


@dataclass(frozen=True)
class WorldShape:
    n_works: int
    n_authors: int
    n_topics: int
    n_institutions: int

    @classmethod
    def for_works(cls, n_works: int) -> "WorldShape":
        n_authors = max(10, int(n_works * 0.32))
        return cls(
            n_works=n_works,
            n_authors=n_authors,
            n_topics=max(8, min(1500, int(n_works**0.5))),
            n_institutions=max(3, n_authors // 200),
        )


def _team_size(rng: random.Random) -> int:
    """Median 2, a few tens, and one work in a thousand past 100 authors."""
    draw = rng.random()
    if draw < 0.001:
        return min(600, int(100 * rng.paretovariate(1.5)))
    if draw < 0.02:
        return min(99, int(10 * rng.paretovariate(1.2)))
    return 1 + int(rng.expovariate(1 / 2.2))


def _year(rng: random.Random) -> int:
    return max(1970, 2025 - int(rng.expovariate(1 / 8)))


class _Ids:
    """Explicit primary keys that continue after what the database already holds."""

    def __init__(self, using: str):
        self.start = {}
        for model in _TABLES:
            top = model.objects.using(using).aggregate(top=models.Max("pk"))["top"] or 0
            self.start[model] = top + 1


def _columns(model, given: list[str]) -> tuple[list[str], tuple]:
    """All concrete columns: the given ones, then the rest filled with their field default."""
    fields = {field.attname: field for field in model._meta.concrete_fields}
    rest = [name for name in fields if name not in given]
    defaults = []
    for name in rest:
        field = fields[name]
        if field.has_default():
            defaults.append(field.get_default())
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            defaults.append(timezone.now())
        elif field.null:
            defaults.append(None)
        else:
            raise ValueError(f"{model.__name__}.{name} needs a value in the synthetic world")
    return [fields[name].column for name in given + rest], tuple(defaults)


def _write(model, given: list[str], rows: Iterable[tuple], using: str) -> int:
    """COPY the rows into the model's table on PostgreSQL; bulk_create elsewhere."""
    connection = connections[using]
    columns, defaults = _columns(model, given)
    count = 0
    if connection.vendor == "postgresql":
        from psycopg.types.json import Jsonb

        defaults = tuple(
            Jsonb(value) if isinstance(value, list | dict) else value for value in defaults
        )
        sql = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row + defaults)
                count += 1
        return count
    attnames = given + [
        field.attname for field in model._meta.concrete_fields if field.attname not in given
    ]
    batch = []
    for row in rows:
        batch.append(model(**dict(zip(attnames, row + defaults, strict=True))))
        count += 1
        if len(batch) >= 1000:
            model.objects.using(using).bulk_create(batch)
            batch = []
    model.objects.using(using).bulk_create(batch)
    return count


def _reset_sequences(using: str) -> None:
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in _TABLES:
            table = model._meta.db_table
            # Table names come from our models, never from input.
            sql = (
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                "COALESCE((SELECT MAX(id) FROM {}), 1))"
            )
            cursor.execute(sql.format(table), [table])


def _chunks(iterator: Iterator, size: int) -> Iterator[list]:
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def load_synthetic_world(n_works: int, *, seed: int = 1, using: str = "default") -> dict[str, int]:
    """Write a synthetic world of `n_works` works and its authors, topics and institutions.

    Inserts Institution, Topic, Author, Work (with author_count), Authorship (with institutions)
    and WorkTopic rows, with PostgreSQL COPY when the database is PostgreSQL and bulk_create
    otherwise; resets the id sequences; for worlds of at most 20,000 works runs
    refresh_author_stats on the new authors. Returns the number of rows written per model.
    """
    shape = WorldShape.for_works(n_works)
    rng = random.Random(seed)
    ids = _Ids(using)
    now = timezone.now()
    provenance = (Source.SYNTHETIC, now, True)
    institution0, topic0, author0 = ids.start[Institution], ids.start[Topic], ids.start[Author]
    counts = dict.fromkeys(
        (
            "institutions",
            "topics",
            "authors",
            "works",
            "authorships",
            "authorship_institutions",
            "work_topics",
        ),
        0,
    )

    counts["institutions"] = _write(
        Institution,
        ["id", "source", "imported_at", "synthetic", "name", "country_code", "type"],
        (
            (institution0 + i, *provenance, f"Synthetic Institute {i + 1:05d}", "", "education")
            for i in range(shape.n_institutions)
        ),
        using,
    )
    counts["topics"] = _write(
        Topic,
        ["id", "source", "imported_at", "synthetic", "name", "slug", "scheme", "external_id"],
        (
            (
                topic0 + i,
                *provenance,
                f"Synthetic Topic {i + 1:04d}",
                f"synthetic-topic-{topic0 + i}",
                Topic.Scheme.OPENALEX_TOPIC,
                f"SYN{topic0 + i}",
            )
            for i in range(shape.n_topics)
        ),
        using,
    )

    def home_institution(index: int) -> int:
        return institution0 + (index * 40503) % shape.n_institutions

    def home_topic(index: int) -> int:
        return (index * 2654435761) % shape.n_topics

    counts["authors"] = _write(
        Author,
        [
            "id",
            "source",
            "imported_at",
            "synthetic",
            "display_name",
            "name_key",
            "current_institution_id",
            "verification_level",
        ],
        (
            (
                author0 + i,
                *provenance,
                f"Synthetic Researcher {author0 + i:06d}",
                f"synthetic researcher {author0 + i:06d}",
                home_institution(i),
                Author.Verification.L1,
            )
            for i in range(shape.n_authors)
        ),
        using,
    )

    author_weights = list(itertools.accumulate((i + 5) ** -0.8 for i in range(shape.n_authors)))
    topic_weights = list(itertools.accumulate((i + 1) ** -1.0 for i in range(shape.n_topics)))
    author_range = range(shape.n_authors)
    next_ids = {
        "work": ids.start[Work],
        "authorship": ids.start[Authorship],
        "link": ids.start[AuthorshipInstitution],
        "work_topic": ids.start[WorkTopic],
    }

    def generate_works() -> Iterator[tuple[tuple, list[tuple], list[tuple], list[tuple]]]:
        for _ in range(shape.n_works):
            work_id = next_ids["work"]
            next_ids["work"] += 1
            first = rng.choices(author_range, cum_weights=author_weights)[0]
            team = [first]
            size = _team_size(rng)
            if size > 1:
                for other in rng.choices(author_range, cum_weights=author_weights, k=size - 1):
                    # Half the co-authors come from the first author's group: repeat ties.
                    if rng.random() < 0.5:
                        other = (first + rng.randint(1, 30)) % shape.n_authors
                    if other not in team:
                        team.append(other)
            year = _year(rng)
            cited = min(50_000, int(rng.paretovariate(1.3)) - 1)
            work = (
                work_id,
                *provenance,
                f"Synthetic Work {work_id:07d}",
                Work.Type.ARTICLE,
                year,
                cited,
                len(team),
            )
            authorships, links = [], []
            for position, index in enumerate(team):
                authorship_id = next_ids["authorship"]
                next_ids["authorship"] += 1
                name = f"Synthetic Researcher {author0 + index:06d}"
                authorships.append((authorship_id, work_id, author0 + index, position, name))
                if rng.random() < 0.8:
                    links.append((next_ids["link"], authorship_id, home_institution(index)))
                    next_ids["link"] += 1
            topics = [home_topic(first)]
            for topic in rng.choices(
                range(shape.n_topics), cum_weights=topic_weights, k=rng.randint(0, 2)
            ):
                if topic not in topics:
                    topics.append(topic)
            work_topics = []
            for topic in topics:
                work_topics.append((next_ids["work_topic"], work_id, topic0 + topic, 1.0))
                next_ids["work_topic"] += 1
            yield work, authorships, links, work_topics

    for chunk in _chunks(generate_works(), _CHUNK):
        with transaction.atomic(using=using):
            counts["works"] += _write(
                Work,
                [
                    "id",
                    "source",
                    "imported_at",
                    "synthetic",
                    "title",
                    "type",
                    "publication_year",
                    "cited_by_count",
                    "author_count",
                ],
                (work for work, _a, _l, _t in chunk),
                using,
            )
            counts["authorships"] += _write(
                Authorship,
                ["id", "work_id", "author_id", "position", "raw_name"],
                (row for _w, authorships, _l, _t in chunk for row in authorships),
                using,
            )
            counts["authorship_institutions"] += _write(
                AuthorshipInstitution,
                ["id", "authorship_id", "institution_id"],
                (row for _w, _a, links, _t in chunk for row in links),
                using,
            )
            counts["work_topics"] += _write(
                WorkTopic,
                ["id", "work_id", "topic_id", "score"],
                (row for _w, _a, _l, work_topics in chunk for row in work_topics),
                using,
            )
    _reset_sequences(using)
    if n_works <= REFRESH_STATS_UP_TO:
        refresh_author_stats(range(author0, author0 + shape.n_authors))
    return counts
