"""The trust snapshot's counts and the graph slice use the same definitions (DESIGN.md)."""

import re

import pytest
from django.db.models import Count

from graph.params import SliceParams
from graph.services import compute_slice
from works.demo import load_demo_world
from works.importers import import_openalex_works
from works.models import Author
from works.services import CLOSE_COLLABORATOR_STRENGTH, is_main_topic

pytestmark = pytest.mark.django_db
WIDE = SliceParams(max_nodes=300)


def _close_ties_and_main_topics(author: Author) -> tuple[int, int]:
    nodes, edges = compute_slice(author, WIDE)
    ego = f"author:{author.pk}"
    close = [
        edge
        for edge in edges
        if edge["type"] == "coauthor"
        and ego in (edge["source"], edge["target"])
        and edge["weight"] >= CLOSE_COLLABORATOR_STRENGTH - 1e-4
    ]
    topics = 0
    for node in nodes:
        if node["type"] == "topic":
            shared, works = map(
                int, re.fullmatch(r"topic of (\d+) of (\d+) works?", node["why"]).groups()
            )
            topics += is_main_topic(shared, works)
    return len(close), topics


def test_seed_researcher_graph_agrees_with_the_trust_snapshot():
    """Eric Zhou: 5 close ties and 2 main topics in the slice, as on his trust snapshot."""
    eric = load_demo_world()

    assert _close_ties_and_main_topics(eric) == (5, 2)
    assert (eric.close_collaborators_count, eric.topics_count) == (5, 2)


def test_openalex_researchers_graph_agrees_with_stored_counts(data_dir):
    """For the ten most prolific OpenAlex authors the slice and the stored counts agree."""
    import_openalex_works(data_dir / "openalex" / "works.jsonl")
    authors = (
        Author.objects.annotate(n=Count("authorships")).filter(n__gte=2).order_by("-n", "pk")[:10]
    )

    pairs = [
        (_close_ties_and_main_topics(a), (a.close_collaborators_count, a.topics_count))
        for a in authors
    ]

    assert len(pairs) == 10
    assert all(from_slice == stored for from_slice, stored in pairs), pairs
