"""OpenAlex has works with an empty title (W2963341956): they still get a readable link."""

import pytest

from graph.params import profile_params
from graph.services import compute_slice
from tests.factories import AuthorFactory, make_work
from works.services import refresh_author_stats

pytestmark = pytest.mark.django_db


def test_empty_title_reads_untitled_work_on_profile_work_page_and_graph(client):
    """The profile's list, the work page's heading and the graph label say "Untitled work"."""
    author = AuthorFactory(display_name="Ada Example")
    work = make_work([author], title="  ")
    refresh_author_stats([author.pk])

    profile = client.get(author.get_absolute_url()).content.decode()
    page = client.get(work.get_absolute_url()).content.decode()
    nodes, _ = compute_slice(author, profile_params())

    assert f'<a href="/works/{work.pk}/">Untitled work</a>' in profile
    assert "<h1>Untitled work</h1>" in page
    assert [n["label"] for n in nodes if n["type"] == "work"] == ["Untitled work"]
