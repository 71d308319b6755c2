"""The graph fragment and the explorer over HTTP: every state of the panel, filters and escaping.

Tests that enqueue run in transactional_db: enqueueing happens on commit, as in production.
"""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from graph.models import GraphSlice
from graph.params import SliceParams, profile_params
from graph.services import build_slice
from tests.factories import AuthorFactory, TopicFactory, WorkTopicFactory, make_work
from works.services import refresh_author_stats

pytestmark = pytest.mark.django_db

BUILDING = "Building this graph slice"
LOADING = "BZPEER is loading the nearby papers, people, topics and institutions for this page."


def _fragment_url(author) -> str:
    return f"/researchers/{author.slug}-{author.pk}/graph/"


def _explorer_url(author) -> str:
    return f"/researchers/{author.slug}-{author.pk}/explorer/"


def _world():
    ego = AuthorFactory(display_name="Ada Example")
    peers = [AuthorFactory(display_name=f"Peer {i}") for i in range(3)]
    topic = TopicFactory(name="Graph theory", slug="graph-theory")
    for year, peer in zip((2019, 2021, 2023), peers, strict=True):
        work = make_work([ego, peer], publication_year=year, title=f"Paper of {year}")
        WorkTopicFactory(work=work, topic=topic)
    refresh_author_stats([ego.pk, *(peer.pk for peer in peers)])
    ego.refresh_from_db()
    return ego


def _slice_row(author, params: SliceParams | None = None, **fields) -> GraphSlice:
    """A slice row for the author's current data version (profile parameters by default)."""
    params = params or profile_params()
    return GraphSlice.objects.create(
        author=author,
        params=params.as_dict(),
        params_key=params.key,
        data_version=author.data_version,
        **fields,
    )


def _failed_row(author, params: SliceParams | None = None) -> GraphSlice:
    return _slice_row(author, params, status=GraphSlice.Status.FAILED, error="TypeError: x")


def _ready_slice(author, params: SliceParams | None = None) -> GraphSlice:
    return build_slice(_slice_row(author, params))


@pytest.mark.django_db(transaction=True)
def test_cold_fragment_answers_building_and_polls(client, publishes):
    """A first request queues the build and answers 200 'Building' with a poll every 2 s."""
    ego = _world()

    response = client.get(_fragment_url(ego), HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert BUILDING in html
    assert LOADING in html
    assert 'hx-trigger="every 2s"' in html
    assert f'hx-get="{_fragment_url(ego)}?poll=1"' in html
    assert 'hx-target="#graph-panel"' in html
    assert publishes == ["graph.build_slice"]
    assert GraphSlice.objects.get().status == GraphSlice.Status.PENDING


def test_ready_fragment_stops_polling_with_286_and_draws_the_graph(client):
    """A ready slice answers 286 with the SVG and the text list, and no trigger."""
    ego = _world()
    _ready_slice(ego)

    response = client.get(_fragment_url(ego) + "?poll=3", HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 286
    assert "hx-trigger" not in html
    assert 'role="group"' in html
    assert html.count("<circle ") == 4 + 1  # four people, one legend swatch
    assert html.count('class="graph-node graph-node--work"') == 3
    assert '<a href="/topics/graph-theory/"' in html
    assert "topic of 3 of 3 works" in html
    assert "1 shared work" in html
    assert '<h4 class="graph__group-title">People (3)</h4>' in html


def test_fragment_without_htmx_is_a_whole_page(client):
    """Without HTMX the fragment URL renders a full page around the same panel."""
    ego = _world()
    _ready_slice(ego)

    response = client.get(_fragment_url(ego))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Research graph of Ada Example</h1>" in html
    assert 'id="graph-panel"' in html
    assert 'aria-live="polite"' in html
    assert 'href="/static/css/bzpeer.css"' in html


@pytest.mark.django_db(transaction=True)
def test_building_page_without_htmx_refreshes_itself(client, publishes):
    """Non-JS readers get a page that reloads every 2 s while the slice builds."""
    ego = _world()

    response = client.get(_fragment_url(ego))

    assert response.status_code == 200
    assert (
        f'<meta http-equiv="refresh" content="2;url={_fragment_url(ego)}?poll=1">'
        in response.content.decode()
    )


@pytest.mark.django_db(transaction=True)
def test_exhausted_poll_budget_offers_retry(client, publishes):
    """After GRAPH_POLL_BUDGET polls the panel gives up with 'Graph unavailable' and Retry."""
    ego = _world()
    client.get(_fragment_url(ego), HTTP_HX_REQUEST="true")

    response = client.get(
        _fragment_url(ego) + f"?poll={settings.GRAPH_POLL_BUDGET}", HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Graph unavailable" in html
    assert (
        f"the graph worker has not finished this slice after {settings.GRAPH_POLL_BUDGET} checks"
        in html
    )
    assert '<button type="submit" class="button graph-unavailable__retry">Retry</button>' in html
    assert "hx-trigger" not in html


def test_failed_build_answers_200_with_retry(client):
    """A failed build says the graph could not be built and offers Retry (form and hx-post)."""
    ego = _world()
    _failed_row(ego)

    response = client.get(_fragment_url(ego), HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert "the graph could not be built from this researcher&#x27;s records" in html
    assert f'<form method="post" action="{_fragment_url(ego)}"' in html
    assert f'hx-post="{_fragment_url(ego)}"' in html
    assert 'name="csrfmiddlewaretoken"' in html


@pytest.mark.django_db(transaction=True)
def test_retry_requeues_a_failed_slice_once(client, publishes):
    """POST Retry flips a failed slice back to pending and publishes one build."""
    ego = _world()
    _failed_row(ego)

    response = client.post(_fragment_url(ego), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert BUILDING in response.content.decode()
    assert GraphSlice.objects.get().status == GraphSlice.Status.PENDING
    assert publishes == ["graph.build_slice"]


@pytest.mark.django_db(transaction=True)
def test_retry_requeues_a_slice_stuck_in_pending(client, publishes):
    """A slice pending for longer than STUCK_AFTER (its message lost) is queued again by Retry;
    a fresh pending one is not."""
    from graph.services import STUCK_AFTER

    ego, fresh_ego = _world(), AuthorFactory()
    stuck = _slice_row(ego)
    GraphSlice.objects.filter(pk=stuck.pk).update(updated_at=stuck.updated_at - 2 * STUCK_AFTER)
    _slice_row(fresh_ego)

    stuck_response = client.post(_fragment_url(ego), HTTP_HX_REQUEST="true")
    fresh_response = client.post(_fragment_url(fresh_ego), HTTP_HX_REQUEST="true")

    assert stuck_response.status_code == fresh_response.status_code == 200
    assert BUILDING in fresh_response.content.decode()
    assert publishes == ["graph.build_slice"]


def test_retry_without_htmx_redirects_back_to_the_panel_page(client, publishes):
    """The no-JS Retry form posts, then redirects to the fragment page (POST/redirect/GET)."""
    ego = _world()

    response = client.post(_fragment_url(ego))

    assert response.status_code == 302
    assert response["Location"] == _fragment_url(ego)
    assert GraphSlice.objects.get().status == GraphSlice.Status.PENDING


@pytest.mark.django_db(transaction=True)
def test_dead_broker_answers_200_with_retry_and_marks_the_slice_failed(client, dead_broker):
    """When the broker cannot be reached the panel says so and offers Retry."""
    ego = _world()

    response = client.get(_fragment_url(ego), HTTP_HX_REQUEST="true")

    html = response.content.decode()
    graph_slice = GraphSlice.objects.get()
    assert response.status_code == 200
    assert "Graph unavailable" in html
    assert "the graph worker could not be reached" in html
    assert ">Retry</button>" in html
    assert graph_slice.status == GraphSlice.Status.FAILED
    assert graph_slice.error.startswith("The graph worker could not be reached: ")


@pytest.mark.django_db(transaction=True)
def test_new_data_version_rebuilds_while_the_old_slice_stays_on_screen(client, publishes):
    """After the record changes, the old ready slice is still shown and a rebuild is queued."""
    ego = _world()
    old = _ready_slice(ego)
    refresh_author_stats([ego.pk])
    ego.refresh_from_db()

    response = client.get(_fragment_url(ego), HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 286
    assert f"built from data version {old.data_version}" in html
    assert "a newer graph is being built" in html
    assert publishes == ["graph.build_slice"]
    assert list(
        GraphSlice.objects.order_by("data_version").values_list("data_version", "status")
    ) == [(old.data_version, "ready"), (old.data_version + 1, "pending")]


def test_labels_are_escaped_in_svg_and_list(client):
    """A researcher's name with markup is shown as text everywhere in the panel."""
    ego = AuthorFactory(display_name='<script>alert("x")</script> & Co')
    make_work([ego, AuthorFactory()], title="<b>Bold</b> claims")
    _ready_slice(ego)

    response = client.get(_fragment_url(ego), HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert "<script>" not in html
    assert "<b>Bold" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in html
    assert "&lt;b&gt;Bold&lt;/b&gt; claims" in html


def test_fragment_of_an_unknown_researcher_is_404(client):
    """No such author: 404."""
    response = client.get("/researchers/nobody-987654/graph/", HTTP_HX_REQUEST="true")

    assert response.status_code == 404


@pytest.mark.django_db(transaction=True)
def test_explorer_renders_the_filter_form_and_queues_its_own_slice(client, publishes):
    """The explorer page shows the filters with defaults and builds a separate slice."""
    ego = _world()
    _ready_slice(ego)

    response = client.get(_explorer_url(ego))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Research graph explorer: Ada Example</h1>" in html
    assert 'name="year_from"' in html
    assert 'name="max_nodes" value="150"' in html
    assert f'hx-get="{_explorer_url(ego)}"' in html
    assert 'hx-push-url="true"' in html
    assert BUILDING in html
    assert GraphSlice.objects.count() == 2
    assert publishes == ["graph.build_slice"]


def test_explorer_rejects_bad_filters_and_keeps_typed_values(client, publishes):
    """Bad filter values give clear messages, keep what was typed and build nothing."""
    ego = _world()
    max_nodes = settings.GRAPH_EXPLORER_MAX_NODES + 1

    response = client.get(
        _explorer_url(ego),
        {
            "types": "work",
            "year_from": "2022",
            "year_to": "2020",
            "min_shared": "1",
            "depth": "3",
            "max_nodes": str(max_nodes),
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "The end year must not be before the start year." in html
    assert f"Show at most {settings.GRAPH_EXPLORER_MAX_NODES} nodes." in html
    assert "Select a valid choice. 3 is not one of the available choices." in html
    assert 'name="year_from" value="2022"' in html
    assert f'name="max_nodes" value="{max_nodes}"' in html
    assert "Correct the filters above to see the graph." in html
    assert GraphSlice.objects.count() == 0
    assert publishes == []


def test_explorer_filters_make_a_different_slice_rendered_as_a_partial(client):
    """Filters are parameters: a people-only slice differs; HTMX gets only the results."""
    ego = _world()
    people = SliceParams(types=("author",), min_shared=1, depth=1, max_nodes=150)
    _ready_slice(ego, people)
    query = {"types": "author", "min_shared": "1", "depth": "1", "max_nodes": "150"}

    results = client.get(
        _explorer_url(ego), query, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="graph-results"
    )
    main = client.get(
        _explorer_url(ego), query, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="explorer-main"
    )

    assert results.status_code == 286
    assert "<form" not in results.content.decode().split('class="graph"')[0]
    assert results.content.decode().count('class="graph-node graph-node--author') == 4
    assert 'class="graph-node graph-node--work"' not in results.content.decode()
    assert main.status_code == 286
    assert main.content.decode().lstrip().startswith('<form class="explorer__filters"')
    assert "<html" not in main.content.decode()


@pytest.mark.parametrize(("n_works", "n_nodes"), [(2, 5), (400, 60)])
def test_ready_fragment_query_count_does_not_grow_with_the_record(
    client, django_assert_num_queries, n_works, n_nodes
):
    """Showing a ready slice costs the same queries for a small record and a large one."""
    ego = AuthorFactory(display_name="Synthetic Counted Researcher")
    for index in range(n_works):
        make_work([ego, AuthorFactory()], publication_year=1990 + index % 30)
    _ready_slice(ego)

    with django_assert_num_queries(2):
        response = client.get(_fragment_url(ego), HTTP_HX_REQUEST="true")

    assert response.status_code == 286
    assert response.content.decode().count('class="graph-node graph-node--') == n_nodes


def test_explorer_retry_without_htmx_redirects_back_with_the_filters(client):
    """The no-JS Retry form in the explorer posts, then redirects to the same filtered view."""
    ego = _world()
    query = "types=author&min_shared=1&depth=1&max_nodes=150"
    people = SliceParams(types=("author",), min_shared=1, depth=1, max_nodes=150)
    _failed_row(ego, people)

    response = client.post(f"{_explorer_url(ego)}?{query}")

    assert response.status_code == 302
    assert response["Location"] == f"{_explorer_url(ego)}?{query}"
    assert GraphSlice.objects.get().status == GraphSlice.Status.PENDING


def test_retry_post_without_csrf_token_is_refused(publishes):
    """Retry changes state: a POST without the CSRF token is refused with 403."""
    from django.test import Client

    ego = _world()
    client = Client(enforce_csrf_checks=True)

    response = client.post(_fragment_url(ego), HTTP_HX_REQUEST="true")

    assert response.status_code == 403
    assert GraphSlice.objects.count() == 0


def test_failed_newer_version_keeps_the_old_drawing_and_offers_retry(client):
    """When the rebuild after a data change fails, the old slice stays with a Retry form."""
    ego = _world()
    old = _ready_slice(ego)
    refresh_author_stats([ego.pk])
    ego.refresh_from_db()
    _failed_row(ego)

    response = client.get(_fragment_url(ego), HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 286
    assert f"built from data version {old.data_version}" in html
    assert "a newer graph is being built" not in html
    assert "The record has changed since, but the newer graph could not be built." in html
    assert f'hx-post="{_fragment_url(ego)}"' in html
    assert '<button type="submit" class="button graph-unavailable__retry">Retry</button>' in html


@pytest.mark.parametrize(("age", "offers_retry"), [(5, False), (60, True)])
def test_stuck_newer_version_offers_retry_after_a_while(client, age, offers_retry):
    """A newer version pending for 60 s (message lost) gets Retry; at 5 s it is just building."""
    ego = _world()
    _ready_slice(ego)
    refresh_author_stats([ego.pk])
    ego.refresh_from_db()
    newer = _slice_row(ego)
    GraphSlice.objects.filter(pk=newer.pk).update(
        updated_at=timezone.now() - datetime.timedelta(seconds=age)
    )

    response = client.get(_fragment_url(ego), HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 286
    assert ("a newer graph is being built" in html) is not offers_retry
    assert ("the newer graph could not be built" in html) is offers_retry
    assert ('class="button graph-unavailable__retry">Retry</button>' in html) is offers_retry


@pytest.mark.parametrize(("n_works", "n_nodes"), [(2, 5), (400, 150)])
def test_ready_explorer_query_count_does_not_grow_with_the_record(
    client, django_assert_num_queries, n_works, n_nodes
):
    """The explorer with a ready slice costs the same queries for a small and a large record."""
    ego = AuthorFactory(display_name="Synthetic Explored Researcher")
    for index in range(n_works):
        make_work([ego, AuthorFactory()], publication_year=1990 + index % 30)
    _ready_slice(ego, SliceParams(max_nodes=150))

    with django_assert_num_queries(2):
        response = client.get(_explorer_url(ego))

    assert response.status_code == 200
    assert response.content.decode().count('class="graph-node graph-node--') == n_nodes
