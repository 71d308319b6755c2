"""The build task, and single-flight enqueueing counted at the Celery boundary on Redis."""

import threading

import pytest
from django.db import connection
from django.test import Client

from graph.models import GraphSlice
from graph.params import profile_params
from graph.tasks import build_slice_task
from tests.factories import AuthorFactory, make_work
from tests.graph.conftest import queued_messages

pytestmark = pytest.mark.django_db


def _pending_slice(author) -> GraphSlice:
    params = profile_params()
    return GraphSlice.objects.create(
        author=author, params=params.as_dict(), params_key=params.key, data_version=1
    )


def test_build_slice_task_run_twice_keeps_one_row_with_the_same_content():
    """Running the task again on a ready slice changes nothing: one row, same nodes and edges."""
    ego, other = AuthorFactory(), AuthorFactory()
    make_work([ego, other], publication_year=2021)
    graph_slice = _pending_slice(ego)

    build_slice_task(slice_id=graph_slice.pk)
    first = GraphSlice.objects.get()
    build_slice_task(slice_id=graph_slice.pk)
    second = GraphSlice.objects.get()

    assert GraphSlice.objects.count() == 1
    assert first.status == second.status == GraphSlice.Status.READY
    assert (second.nodes, second.edges) == (first.nodes, first.edges)
    assert second.updated_at == first.updated_at
    assert [node["id"] for node in second.nodes][0] == f"author:{ego.pk}"
    assert len(second.nodes) == 3


def test_build_slice_task_for_a_deleted_slice_does_nothing():
    """A message for a slice that no longer exists is dropped without error."""
    build_slice_task(slice_id=987654321)

    assert GraphSlice.objects.count() == 0


def test_build_slice_task_marks_a_broken_slice_failed_with_the_error():
    """Parameters that cannot be built leave the row failed with the error text."""
    graph_slice = _pending_slice(AuthorFactory())
    GraphSlice.objects.filter(pk=graph_slice.pk).update(params={"max_nodes": "many"})

    build_slice_task(slice_id=graph_slice.pk)

    graph_slice.refresh_from_db()
    assert graph_slice.status == GraphSlice.Status.FAILED
    assert graph_slice.error.startswith("TypeError: ")
    assert graph_slice.nodes == []


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_requests_for_a_cold_slice_enqueue_one_build(publishes):
    """Twenty simultaneous fragment requests create one slice row and publish one task."""
    author = AuthorFactory(display_name="Synthetic Popular Researcher")
    url = f"/researchers/{author.slug}-{author.pk}/graph/"
    barrier = threading.Barrier(20)
    responses: list[tuple[int, bool]] = []
    lock = threading.Lock()

    def fetch():
        try:
            client = Client()
            barrier.wait()
            response = client.get(url, HTTP_HX_REQUEST="true")
            with lock:
                responses.append(
                    (response.status_code, b"Building this graph slice" in response.content)
                )
        finally:
            connection.close()

    threads = [threading.Thread(target=fetch) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert responses == [(200, True)] * 20
    assert GraphSlice.objects.count() == 1
    assert publishes == ["graph.build_slice"]
    assert queued_messages() == 1
