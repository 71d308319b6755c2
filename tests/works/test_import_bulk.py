"""works.bulk: the COPY / VALUES helpers the importers and the stats refresh write with."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import AuthorFactory
from works.bulk import insert_rows, update_rows
from works.models import Author, Source, Work

pytestmark = pytest.mark.django_db


def test_insert_rows_returns_new_ids_in_order_and_fills_defaults():
    """Inserted rows get their ids back in order; fields not given take the model defaults."""
    now = timezone.now()
    rows = [
        {
            "title": f"Title {n}",
            "publication_date": datetime.date(2020, 1, n + 1),
            "type": Work.Type.PREPRINT,
            "source": Source.ARXIV,
            "imported_at": now,
        }
        for n in range(3)
    ]

    ids = insert_rows(Work, rows)

    assert list(Work.objects.order_by("pk").values_list("pk", "title", "type", "source")) == [
        (ids[0], "Title 0", "preprint", "arxiv"),
        (ids[1], "Title 1", "preprint", "arxiv"),
        (ids[2], "Title 2", "preprint", "arxiv"),
    ]
    work = Work.objects.get(pk=ids[2])
    assert (work.publication_date, work.cited_by_count, work.doi) == (
        datetime.date(2020, 1, 3),
        0,
        "",
    )


def test_insert_rows_writes_json_and_timestamps():
    """JSON fields are stored as JSON, auto_now fields get the current time."""
    before = timezone.now()

    (pk,) = insert_rows(
        Author,
        [
            {
                "display_name": "Eric Zhou",
                "name_key": "eric zhou",
                "name_variants": ["Zhou, Eric", "E. Zhou"],
                "source": Source.ARXIV,
                "imported_at": before,
            }
        ],
    )

    author = Author.objects.get(pk=pk)
    assert author.name_variants == ["Zhou, Eric", "E. Zhou"]
    assert author.created_at >= before
    assert author.verification_level == Author.Verification.L0


def test_update_rows_sets_each_row_its_own_values():
    """update_rows writes (pk, value, …) tuples, one value set per row, others untouched."""
    first, second, third = AuthorFactory.create_batch(3, works_count=0, trust_score=0)

    sent = update_rows(
        Author, ["works_count", "trust_score"], [(first.pk, 3, 17), (second.pk, 5, 0)]
    )

    assert sent == 2
    assert list(Author.objects.order_by("pk").values_list("works_count", "trust_score")) == [
        (3, 17),
        (5, 0),
        (0, 0),
    ]
    third.refresh_from_db()
    assert third.works_count == 0
