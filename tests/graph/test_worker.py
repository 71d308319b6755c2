"""A real Celery worker on Redis builds the slice the HTTP fragment asked for; a dead broker
leaves the profile up and the panel offering Retry."""

import time

import pytest

from graph.models import GraphSlice
from tests.factories import AuthorFactory, make_work

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

DEADLINE_SECONDS = 90


def test_fragment_goes_from_building_to_ready_through_a_real_worker(client, celery_worker):
    """Pending answers 200 'Building'; polling the fragment reaches 286 with the drawing."""
    ego = AuthorFactory(display_name="Synthetic Worker Researcher")
    for year in (2020, 2022):
        make_work([ego, AuthorFactory()], publication_year=year)
    url = f"/researchers/{ego.slug}-{ego.pk}/graph/"

    first = client.get(url, HTTP_HX_REQUEST="true")
    poll, response = 0, first
    deadline = time.monotonic() + DEADLINE_SECONDS
    while response.status_code != 286 and time.monotonic() < deadline:
        time.sleep(0.5)
        poll = min(poll + 1, 5)  # stay inside the poll budget: this loop is the test's patience
        response = client.get(f"{url}?poll={poll}", HTTP_HX_REQUEST="true")

    assert first.status_code == 200
    assert "Building this graph slice" in first.content.decode()
    assert response.status_code == 286
    assert "hx-trigger" not in response.content.decode()
    assert 'role="group"' in response.content.decode()
    graph_slice = GraphSlice.objects.get()
    assert graph_slice.status == GraphSlice.Status.READY
    assert len(graph_slice.nodes) == 5
    assert graph_slice.build_ms is not None


def test_dead_broker_keeps_the_profile_up_and_the_panel_offers_retry(client, dead_broker):
    """With the broker unreachable the profile answers 200 and the fragment 200 with Retry."""
    ego = AuthorFactory(display_name="Synthetic Offline Researcher")
    make_work([ego, AuthorFactory()], publication_year=2021)

    profile = client.get(ego.get_absolute_url())
    fragment = client.get(f"/researchers/{ego.slug}-{ego.pk}/graph/", HTTP_HX_REQUEST="true")

    assert profile.status_code == 200
    assert 'id="graph-panel"' in profile.content.decode()
    assert fragment.status_code == 200
    assert "Graph unavailable" in fragment.content.decode()
    assert "the graph worker could not be reached" in fragment.content.decode()
    assert ">Retry</button>" in fragment.content.decode()
