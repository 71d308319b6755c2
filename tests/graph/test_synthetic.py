"""The synthetic world generator: reproducible, labelled synthetic, with the promised shapes."""

import random
import statistics

import pytest
from django.db.models import Count, F

from works.models import Author, Authorship, Institution, Source, Topic, Work, WorkTopic
from works.synthetic import _team_size, load_synthetic_world

pytestmark = pytest.mark.django_db


def _fingerprint() -> list[tuple]:
    """The world relative to its first ids, so two loads can be compared."""
    first_author = Author.objects.order_by("pk").first().pk
    first_work = Work.objects.order_by("pk").first().pk
    return [
        (work_id - first_work, author_id - first_author, position)
        for work_id, author_id, position in Authorship.objects.order_by(
            "work_id", "position"
        ).values_list("work_id", "author_id", "position")
    ]


def test_synthetic_world_is_reproducible_and_labelled_synthetic():
    """The same seed writes the same world; every row says it is synthetic."""
    counts = load_synthetic_world(1500, seed=7)
    first = _fingerprint()
    for model in (WorkTopic, Authorship, Work, Author, Topic, Institution):
        model.objects.all().delete()

    again = load_synthetic_world(1500, seed=7)

    assert again == counts
    assert _fingerprint() == first
    assert counts["works"] == Work.objects.count() == 1500
    assert counts["authors"] == Author.objects.count() == 480
    for model in (Work, Author, Topic, Institution):
        assert set(model.objects.values_list("source", "synthetic").distinct()) == {
            (Source.SYNTHETIC, True)
        }
    assert Author.objects.filter(display_name__startswith="Synthetic Researcher ").count() == 480


def test_synthetic_world_sets_author_counts_and_refreshes_stats():
    """author_count matches the authorships and small worlds get their stats refreshed."""
    load_synthetic_world(800, seed=3)

    mismatched = Work.objects.annotate(listed=Count("authorships")).exclude(
        author_count=F("listed")
    )
    top = Author.objects.order_by("-works_count", "pk").first()

    assert mismatched.count() == 0
    assert top.works_count == Authorship.objects.filter(author=top).count()
    assert top.works_count > 10
    assert Author.objects.filter(verification_level=Author.Verification.L1).count() > 0


def test_team_sizes_have_median_two_to_three_and_a_tail_past_one_hundred():
    """Drawn team sizes: median 2 or 3, and some teams of more than 100 authors."""
    rng = random.Random(1)

    sizes = [_team_size(rng) for _ in range(100_000)]

    assert 2 <= statistics.median(sizes) <= 3
    assert max(sizes) > 100
    assert sum(size > 100 for size in sizes) < 500


def test_synthetic_productivity_is_heavy_tailed():
    """A few researchers write many works while the typical one writes fewer than the mean."""
    load_synthetic_world(3000, seed=11)

    works_per_author = sorted(Author.objects.values_list("works_count", flat=True), reverse=True)

    assert works_per_author[0] >= 10 * statistics.median(works_per_author)
    assert statistics.mean(works_per_author) > statistics.median(works_per_author)
