"""The slice builder on real OpenAlex records and on a synthetic hub: content, caps, determinism."""

import json
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from graph.models import GraphSlice
from graph.params import SliceParams, profile_params
from graph.selectors import COAUTHOR_CAP, WORK_CAP, select_neighbourhood
from graph.services import EXPLORER_SLICES_KEPT, build_slice, compute_slice, request_slice
from tests.factories import AuthorFactory, InstitutionFactory, TopicFactory, make_work
from tests.graph.openalex_world import (
    author_ids_of,
    expected_coauthors,
    load_openalex_world,
    read_works,
)
from works.models import Author, Authorship, Source, Work, WorkTopic

pytestmark = pytest.mark.django_db

GEORGE_GAO = "A5015873777"  # 3 works in the sample, 80 co-authors
JONATHAN_ROBERTS = "A5009341822"  # 6 works in the sample
EVERYTHING = SliceParams(max_nodes=300)
PEOPLE_ONLY = SliceParams(types=("author",), max_nodes=300)


def _ids(nodes: list[dict], kind: str) -> set[int]:
    return {int(node["id"].split(":")[1]) for node in nodes if node["type"] == kind}


def test_slice_coauthors_are_exactly_those_in_the_openalex_file(data_dir):
    """With room for everyone, the slice's people are the author's co-authors in the file."""
    authors = load_openalex_world(data_dir)
    expected = expected_coauthors(read_works(data_dir), GEORGE_GAO)
    ego = authors[GEORGE_GAO]

    nodes, _edges = compute_slice(ego, PEOPLE_ONLY)

    by_pk = {author.pk: openalex_id for openalex_id, author in authors.items()}
    people = {by_pk[pk] for pk in _ids(nodes, "author")} - {GEORGE_GAO}
    assert len(expected) == 80
    assert people == expected
    assert {node["type"] for node in nodes} == {"author"}


def test_profile_slice_keeps_co_authors_from_the_file_within_its_cap(data_dir):
    """The 60-node profile slice holds only real co-authors, works, topics and institutions."""
    authors = load_openalex_world(data_dir)
    expected = expected_coauthors(read_works(data_dir), GEORGE_GAO)
    ego = authors[GEORGE_GAO]

    nodes, _edges = compute_slice(ego, profile_params())

    by_pk = {author.pk: openalex_id for openalex_id, author in authors.items()}
    people = {by_pk[pk] for pk in _ids(nodes, "author")} - {GEORGE_GAO}
    assert len(nodes) == 60
    assert people <= expected
    assert Counter(node["type"] for node in nodes)["work"] == 3
    assert nodes[0]["id"] == f"author:{ego.pk}"


def test_slice_topics_institutions_and_works_carry_reasons_from_the_file(data_dir):
    """Topics on a quarter of the works, affiliations and works each say why they are there."""
    authors = load_openalex_world(data_dir)
    works = [w for w in read_works(data_dir) if JONATHAN_ROBERTS in author_ids_of(w)]
    topic_counts = Counter(
        topic["display_name"]
        for work in works
        for topic in {t["id"]: t for t in work.get("topics") or []}.values()
    )
    expected_topics = {
        f"{name}: topic of {count} of {len(works)} works"
        for name, count in topic_counts.items()
        if 4 * count >= len(works)
    }
    affiliation_counts = Counter()
    for work in works:
        for authorship in work["authorships"]:
            if (authorship.get("author") or {}).get("id", "").endswith(JONATHAN_ROBERTS):
                for name in {i["display_name"] for i in authorship.get("institutions") or []}:
                    affiliation_counts[name] += 1
    expected_institutions = {
        f"{name}: affiliation on {count} work{'s' if count > 1 else ''}"
        for name, count in affiliation_counts.items()
    }
    expected_works = {
        f"{w['display_name']}: {w['publication_year']} · {w['cited_by_count']} citations"
        for w in works
    }

    nodes, edges = compute_slice(authors[JONATHAN_ROBERTS], EVERYTHING)

    def reasons(kind: str) -> set[str]:
        return {f"{n['label']}: {n['why']}" for n in nodes if n["type"] == kind}

    assert len(works) == 6
    assert reasons("topic") == expected_topics
    assert reasons("institution") == expected_institutions
    assert reasons("work") == expected_works
    assert {edge["type"] for edge in edges} == {"authored", "coauthor", "has_topic", "affiliated"}


def test_slice_nodes_link_to_their_pages(data_dir):
    """Every node's url is the get_absolute_url of its record."""
    authors = load_openalex_world(data_dir)
    ego = authors[JONATHAN_ROBERTS]

    nodes, _edges = compute_slice(ego, EVERYTHING)

    first_work = next(node for node in nodes if node["type"] == "work")
    work = Work.objects.get(pk=first_work["id"].split(":")[1])
    assert nodes[0]["url"] == ego.get_absolute_url()
    assert first_work["url"] == f"/works/{work.pk}/"
    assert all(node["url"].startswith("/") for node in nodes)


def test_same_data_builds_the_same_slice_byte_for_byte(data_dir):
    """Two builds of the same researcher give identical nodes and edges JSON."""
    authors = load_openalex_world(data_dir)
    ego = authors[GEORGE_GAO]
    params = profile_params()

    first = compute_slice(ego, params)
    second = compute_slice(ego, params)
    stored = GraphSlice.objects.create(
        author=ego, params=params.as_dict(), params_key=params.key, data_version=1
    )
    build_slice(stored)
    stored.refresh_from_db()

    assert json.dumps(first) == json.dumps(second)
    assert json.dumps(stored.nodes, sort_keys=True) == json.dumps(first[0], sort_keys=True)
    assert json.dumps(stored.edges, sort_keys=True) == json.dumps(first[1], sort_keys=True)


def _hub(n_works: int, coauthors_per_work: int) -> Author:
    """A researcher on n_works works, each with new co-authors, a topic and an institution."""
    now = timezone.now()
    provenance = {"source": Source.SYNTHETIC, "imported_at": now, "synthetic": True}
    hub = AuthorFactory(display_name=f"Synthetic Hub {n_works}")
    topic, institution = TopicFactory(), InstitutionFactory()
    others = Author.objects.bulk_create(
        Author(display_name=f"Synthetic Researcher {i:06d}", name_key=f"s{i}", **provenance)
        for i in range(n_works * coauthors_per_work)
    )
    works = Work.objects.bulk_create(
        Work(
            title=f"Synthetic Work {i:06d}",
            publication_year=1990 + i % 35,
            cited_by_count=i % 17,
            author_count=coauthors_per_work + 1,
            **provenance,
        )
        for i in range(n_works)
    )
    authorships = []
    for i, work in enumerate(works):
        authorships.append(Authorship(work=work, author=hub, position=0, raw_name="Hub"))
        for j in range(coauthors_per_work):
            other = others[i * coauthors_per_work + j]
            authorships.append(Authorship(work=work, author=other, position=j + 1, raw_name="x"))
    Authorship.objects.bulk_create(authorships)
    Authorship.institutions.through.objects.bulk_create(
        Authorship.institutions.through(authorship_id=a.pk, institution_id=institution.pk)
        for a in authorships
        if a.author_id == hub.pk
    )
    WorkTopic.objects.bulk_create(WorkTopic(work=work, topic=topic) for work in works)
    return hub


def _queries(params: SliceParams, author: Author) -> tuple[list[str], list[dict]]:
    with CaptureQueriesContext(connection) as captured:
        nodes, _edges = compute_slice(author, params)
    return [query["sql"] for query in captured.captured_queries], nodes


def test_hub_slice_is_capped_and_costs_the_same_queries_as_a_small_one():
    """A hub with 1,500 works and 4,500 co-authors yields at most N nodes from capped queries."""
    small = _hub(5, 2)
    hub = _hub(1500, 3)

    hood = select_neighbourhood(hub, profile_params())
    small_queries, _ = _queries(profile_params(), small)
    hub_queries, profile_nodes = _queries(profile_params(), hub)
    explorer_queries, explorer_nodes = _queries(SliceParams(depth=2, max_nodes=300), hub)

    assert len(hood.works) == WORK_CAP
    assert len(hood.coauthors) == COAUTHOR_CAP
    assert len(profile_nodes) == 60
    assert len(explorer_nodes) == 300
    assert len(hub_queries) == len(small_queries) == 8
    assert len(explorer_queries) == 8 + 2 * 10
    assert f"LIMIT {WORK_CAP}" in hub_queries[0]
    assert f"LIMIT {COAUTHOR_CAP}" in hub_queries[1]


def test_slice_of_a_researcher_without_works_is_just_them():
    """No works: the slice holds the researcher alone, in the middle of the box."""
    ego = AuthorFactory(display_name="Synthetic Loner")

    nodes, edges = compute_slice(ego, profile_params())

    assert nodes == [
        {
            "id": f"author:{ego.pk}",
            "type": "author",
            "label": "Synthetic Loner",
            "url": ego.get_absolute_url(),
            "x": 500.0,
            "y": 500.0,
            "weight": 1.0,
            "why": "this researcher",
        }
    ]
    assert edges == []


def test_year_and_shared_work_filters_narrow_the_slice():
    """Explorer filters: works outside the years and weak ties below min_shared drop out."""
    ego, close, once = AuthorFactory(), AuthorFactory(), AuthorFactory()
    make_work([ego, close], publication_year=2015)
    make_work([ego, close], publication_year=2021)
    make_work([ego, once], publication_year=2022)

    recent_nodes, _ = compute_slice(ego, SliceParams(year_from=2020, max_nodes=300))
    strong_nodes, _ = compute_slice(ego, SliceParams(min_shared=2, max_nodes=300))

    assert _ids(recent_nodes, "author") == {ego.pk, close.pk, once.pk}
    assert len(_ids(recent_nodes, "work")) == 2
    assert _ids(strong_nodes, "author") == {ego.pk, close.pk}
    assert next(n["why"] for n in strong_nodes if n["id"] == f"author:{close.pk}") == (
        "2 shared works"
    )


def test_suppressed_co_author_is_left_out_of_the_slice():
    """A suppressed record is neither a node nor an edge end, at depth 1 or 2."""
    ego, shown, hidden, friend = (AuthorFactory() for _ in range(4))
    Author.objects.filter(pk=hidden.pk).update(suppressed=True)
    make_work([ego, shown], publication_year=2021)
    make_work([ego, hidden], publication_year=2022)
    make_work([hidden, friend], publication_year=2020)

    nodes, edges = compute_slice(ego, SliceParams(depth=2, max_nodes=300))

    ends = {edge["source"] for edge in edges} | {edge["target"] for edge in edges}
    assert _ids(nodes, "author") == {ego.pk, shown.pk}
    assert f"author:{hidden.pk}" not in ends
    assert len(_ids(nodes, "work")) == 2


def test_build_slice_of_a_row_deleted_meanwhile_does_not_raise():
    """A slice replaced (deleted) while it was building is left gone; the build ends quietly."""
    ego = AuthorFactory()
    make_work([ego, AuthorFactory()], publication_year=2021)
    params = profile_params()
    stale = GraphSlice.objects.create(
        author=ego, params=params.as_dict(), params_key=params.key, data_version=1
    )
    GraphSlice.objects.filter(pk=stale.pk).delete()

    built = build_slice(stale)

    assert built.status == GraphSlice.Status.READY
    assert len(built.nodes) == 3
    assert GraphSlice.objects.count() == 0


def test_explorer_slices_are_bounded_per_researcher():
    """Thirty filter combinations leave the 20 newest explorer slices and the profile's."""
    ego = AuthorFactory()
    make_work([ego])
    request_slice(ego, profile_params())
    asked = [request_slice(ego, SliceParams(max_nodes=n)).current for n in range(10, 40)]

    kept = set(GraphSlice.objects.filter(author=ego).values_list("params_key", flat=True))

    assert len(kept) == EXPLORER_SLICES_KEPT + 1
    assert profile_params().key in kept
    assert {s.params_key for s in asked[-EXPLORER_SLICES_KEPT:]} <= kept
    assert asked[0].params_key not in kept
