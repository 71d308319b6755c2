"""refresh_author_stats: the stored counts follow DESIGN.md's definitions."""

import pytest

from tests.factories import AuthorFactory, TopicFactory, WorkTopicFactory, make_work
from works.models import Author
from works.services import refresh_author_stats

pytestmark = pytest.mark.django_db


def test_stats_newman_weighting_decides_close_collaborators():
    """A 2-author paper (strength 1) makes a close tie; one 10-author paper (1/9) does not."""
    ego, partner, *crowd = AuthorFactory.create_batch(11)
    make_work([ego, partner])
    make_work([ego, *crowd[:9]])

    refresh_author_stats([ego.pk, partner.pk, crowd[0].pk])

    ego.refresh_from_db()
    crowd[0].refresh_from_db()
    assert ego.works_count == 2
    assert ego.close_collaborators_count == 1
    assert crowd[0].close_collaborators_count == 0


def test_stats_threshold_reached_exactly_by_summed_weak_ties():
    """Two shared 11-author papers give 2 × 1/10 = 0.2, exactly the threshold: close."""
    people = AuthorFactory.create_batch(11)
    make_work(people)
    make_work(people)

    refresh_author_stats([people[0].pk])

    people[0].refresh_from_db()
    assert people[0].close_collaborators_count == 10


def test_stats_verified_collaborators_are_those_at_l2_or_l3():
    """Close collaborators at L2 or L3 are counted apart for the trust formula."""
    ego = AuthorFactory()
    claimed = AuthorFactory(verification_level=Author.Verification.L2, claimed=True)
    plain = AuthorFactory()
    make_work([ego, claimed, plain])

    refresh_author_stats([ego.pk])

    ego.refresh_from_db()
    assert (ego.close_collaborators_count, ego.verified_collaborators_count) == (2, 1)


def test_stats_topics_on_a_quarter_of_works():
    """A topic counts when it is on at least a quarter of the researcher's works."""
    ego = AuthorFactory()
    common, rare = TopicFactory.create_batch(2)
    works = [make_work([ego]) for _ in range(5)]
    for work in works[:2]:
        WorkTopicFactory(work=work, topic=common)
    WorkTopicFactory(work=works[0], topic=rare)

    refresh_author_stats([ego.pk])

    ego.refresh_from_db()
    assert ego.topics_count == 1


def test_stats_verification_level_l1_with_works_l0_without():
    """Unclaimed records are L1 with open-source works and L0 without; claimed ones keep theirs."""
    with_works, empty = AuthorFactory.create_batch(2, verification_level=Author.Verification.L0)
    claimed = AuthorFactory(verification_level=Author.Verification.L3, claimed=True)
    make_work([with_works])

    refresh_author_stats([with_works.pk, empty.pk, claimed.pk])

    levels = dict(Author.objects.values_list("pk", "verification_level"))
    assert levels == {with_works.pk: 1, empty.pk: 0, claimed.pk: 3}


def test_stats_refresh_bumps_data_version_and_trust():
    """Every refresh bumps the data version (graph slices rebuild) and stores trust."""
    ego = AuthorFactory()
    make_work([ego])
    before = Author.objects.get(pk=ego.pk).data_version

    refresh_author_stats([ego.pk])

    ego.refresh_from_db()
    assert ego.data_version == before + 1
    assert ego.trust_score == 9  # 5 (L1) + 4·log2(2)


def test_stats_query_count_is_fixed_per_batch(django_assert_num_queries):
    """Refreshing 1 or 300 authors costs the same queries (one batch)."""
    people = AuthorFactory.create_batch(300)
    make_work(people[:150])
    make_work(people[150:])
    ids = [p.pk for p in people]

    with django_assert_num_queries(10) as small:
        refresh_author_stats(ids[:1])
    with django_assert_num_queries(len(small.captured_queries)):
        refresh_author_stats(ids)
