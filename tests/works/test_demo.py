"""load_demo writes the seed researcher's world from the project's own fixture."""

import io
import json

import pytest
from django.core.management import call_command

from works.demo import SEED_WORLD, load_demo_world
from works.models import Author, Authorship, Institution, Topic, Venue, Work, WorkTopic

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Author, Work, Authorship, Institution, Topic, Venue, WorkTopic)
    }


def test_load_demo_seed_researcher_figures():
    """Eric Zhou: 2 works, 2 topics, 5 close collaborators, L1, trust 13, open, no affiliation."""
    call_command("load_demo", stdout=io.StringIO())

    eric = Author.objects.get(display_name="Eric Zhou")
    assert eric.works_count == 2
    assert eric.topics_count == 2
    assert eric.close_collaborators_count == 5
    assert eric.followers_count == 0
    assert eric.verification_level == 1
    assert eric.claimed is False
    assert eric.trust_score == 13
    assert eric.open_to_collaborate is True
    assert eric.current_institution is None
    assert eric.name_variants == ["Hanning Zhou"]


def test_load_demo_works_as_on_the_seed_page():
    """Both papers: preprint · 2021 · arXiv and preprint · 2020 · arXiv, co-authors in order."""
    call_command("load_demo", stdout=io.StringIO())

    works = {w.arxiv_id: w for w in Work.objects.select_related("venue")}
    shadowsync, fii = works["2003.03477"], works["2006.10966"]
    assert (shadowsync.type, shadowsync.publication_year, shadowsync.venue.name) == (
        "preprint",
        2021,
        "arXiv",
    )
    assert (fii.type, fii.publication_year, fii.venue.name) == ("preprint", 2020, "arXiv")
    assert list(fii.authorships.values_list("raw_name", flat=True)) == [
        "Michael Tsang",
        "Dehua Cheng",
        "Hanpeng Liu",
        "Xue Feng",
        "Eric Zhou",
        "Yan Liu",
    ]
    assert shadowsync.author_count == 10
    assert shadowsync.abstract.startswith("Recommendation systems are often trained")
    assert "\\shadowsync, a distributed framework" in shadowsync.abstract


def test_load_demo_affiliations_only_on_authorships():
    """The PDF header's Facebook is on his ShadowSync authorship, never his current institution."""
    call_command("load_demo", stdout=io.StringIO())

    authorship = Authorship.objects.get(work__arxiv_id="2003.03477", raw_name="Eric Zhou")
    assert list(authorship.institutions.values_list("name", flat=True)) == ["Facebook"]
    assert Author.objects.get(display_name="Eric Zhou").current_institution_id is None


def test_load_demo_twice_reuses_what_is_there():
    """A second run creates no rows and leaves the figures as they were."""
    call_command("load_demo", stdout=io.StringIO())
    first = _counts()

    call_command("load_demo", stdout=io.StringIO())

    assert (
        _counts()
        == first
        == {
            "Author": 15,
            "Work": 2,
            "Authorship": 16,
            "Institution": 4,
            "Topic": 2,
            "Venue": 1,
            "WorkTopic": 3,
        }
    )
    assert Author.objects.get(display_name="Eric Zhou").trust_score == 13


def test_load_demo_negative_synthetic_is_refused():
    """--synthetic takes a count of works, 0 or more."""
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=r"^--synthetic must be 0 or more, not -3\.$"):
        call_command("load_demo", "--synthetic", "-3")


def test_load_demo_again_keeps_the_data_version_so_graphs_stay():
    """An unchanged fixture refreshes nothing: the data version (and so the graph) stays."""
    call_command("load_demo", stdout=io.StringIO())
    before = dict(Author.objects.values_list("display_name", "data_version"))

    call_command("load_demo", stdout=io.StringIO())

    assert dict(Author.objects.values_list("display_name", "data_version")) == before


def test_load_demo_changed_fixture_refreshes_the_authors_on_it(tmp_path):
    """A changed work in the fixture is written and its authors' figures refreshed: a seventh
    author dilutes every tie on the paper to 1/6, below the 0.2 of a close collaborator."""
    call_command("load_demo", stdout=io.StringIO())
    yan = Author.objects.get(display_name="Yan Liu")
    before = yan.data_version
    assert yan.close_collaborators_count == 5
    world = json.loads(SEED_WORLD.read_text(encoding="utf-8"))
    world["works"][1]["authors"].append(["Ada Newcomer", None])
    changed = tmp_path / "world.json"
    changed.write_text(json.dumps(world), encoding="utf-8")

    load_demo_world(changed)

    yan = Author.objects.get(display_name="Yan Liu")
    assert yan.data_version == before + 1
    assert yan.close_collaborators_count == 0
    assert Work.objects.get(arxiv_id="2006.10966").author_count == 7
