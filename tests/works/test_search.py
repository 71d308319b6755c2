"""Search: researchers by name and name variants (trigram), works by title (full text)."""

import re

import pytest

from tests.factories import AuthorFactory, InstitutionFactory, make_work
from tests.profiles.helpers import FEATURE_INTERACTION, SHADOWSYNC, build_seed_world, page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def eric():
    return build_seed_world()


def _researchers(response) -> list[str]:
    return re.findall(
        r'<h3 class="researcher-item__name"><a href="[^"]+">(.*?)</a>', response.content.decode()
    )


def _works(response) -> list[str]:
    return re.findall(
        r'<h3 class="work-item__title"><a href="/works/\d+/">(.*?)</a>', response.content.decode()
    )


def test_search_finds_a_researcher_by_surname(client, eric):
    """'zhou' finds Eric Zhou and nobody else in the seed world."""

    response = client.get("/search/", {"q": "zhou"})

    assert _researchers(response) == ["Eric Zhou"]
    assert "1 researcher and 0 works for “zhou”." in page_text(response)


def test_search_finds_a_researcher_by_a_name_variant(client, eric):
    """'Hanning Zhou', the name on ai.meta.com, finds the record through its name variants."""

    response = client.get("/search/", {"q": "Hanning"})

    assert _researchers(response) == ["Eric Zhou"]


def test_search_tolerates_a_misspelt_name(client, eric):
    """Trigram matching finds 'Eric Zhou' from 'Erik Zhou'."""

    response = client.get("/search/", {"q": "Erik Zhou"})

    assert _researchers(response)[0] == "Eric Zhou"


def test_search_finds_works_by_title_words(client, eric):
    """Full-text search matches title words with stemming ('synchronizing' ~ 'Synchronization')."""

    by_stem = client.get("/search/", {"q": "synchronizing background"})
    by_word = client.get("/search/", {"q": "interpretability"})

    assert _works(by_stem) == [SHADOWSYNC]
    assert _works(by_word) == [FEATURE_INTERACTION]


def test_search_leaves_out_suppressed_researchers(client, eric):
    """A suppressed record is not found."""
    AuthorFactory(display_name="Quentin Hidden", suppressed=True)
    AuthorFactory(display_name="Quentin Shown")

    response = client.get("/search/", {"q": "quentin"})

    assert _researchers(response) == ["Quentin Shown"]


def test_search_without_a_query_shows_only_the_form(client, eric):
    """An empty query lists nothing and says nothing about results."""

    response = client.get("/search/")

    text = page_text(response)
    assert response.status_code == 200
    assert _researchers(response) == [] and _works(response) == []
    assert "for “" not in text


def test_search_escapes_the_query(client, eric):
    """The query is text: markup in it is shown escaped."""

    response = client.get("/search/", {"q": "<b>zhou</b>"})

    html = response.content.decode()
    assert "<b>zhou</b>" not in html
    assert 'value="&lt;b&gt;zhou&lt;/b&gt;"' in html
    assert "for “&lt;b&gt;zhou&lt;/b&gt;”." in html


def test_search_labels_synthetic_rows(client):
    """Synthetic researchers and works found by a search are labelled."""
    author = AuthorFactory(display_name="Synthetic Scholar", synthetic=True)
    make_work([author], title="A scholar at scale", synthetic=True)

    response = client.get("/search/", {"q": "scholar"})

    text = page_text(response)
    assert _researchers(response) == ["Synthetic Scholar"]
    assert "Synthetic Scholar Synthetic" in text
    assert "article · 2020 Synthetic A scholar at scale" in text


def test_search_page_has_title_and_canonical_url(client, eric):
    """The page names the query in its title and carries a canonical URL with it."""

    response = client.get("/search/", {"q": "zhou"})

    html = response.content.decode()
    assert "<title>Search: zhou · BZPEER</title>" in html
    assert '<link rel="canonical" href="http://127.0.0.1:8000/search/?q=zhou">' in html


@pytest.mark.parametrize("matches", [1, 20])
def test_search_query_count_does_not_grow_with_results(client, django_assert_num_queries, matches):
    """A search runs the same queries for 1 matching researcher and work as for 20."""
    lab = InstitutionFactory(name="Quantum Lab")
    for index in range(matches):
        author = AuthorFactory(display_name=f"Quincy Quark {index:02d}", current_institution=lab)
        make_work([author, AuthorFactory()], title=f"Quark study {index}")

    with django_assert_num_queries(4):
        response = client.get("/search/", {"q": "quark"})

    assert len(_researchers(response)) == matches
    assert len(_works(response)) == matches
    assert page_text(response).count("· Quantum Lab") == matches


def test_search_too_long_a_query_keeps_the_input_and_says_why(client, eric):
    """A query over 200 characters searches nothing, keeps what was typed and names the limit."""
    typed = "zhou " * 41

    response = client.get("/search/", {"q": typed})

    html = response.content.decode()
    assert _researchers(response) == [] and _works(response) == []
    assert f'<input id="search-q" type="search" name="q" value="{typed}"' in html
    assert 'aria-invalid="true" aria-describedby="search-q-error"' in html
    assert (
        '<p id="search-q-error" class="error-message">'
        "Ensure this value has at most 200 characters (it has 204).</p>" in html
    )
