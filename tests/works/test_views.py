"""The work page and its BibTeX, the topic page and the institution page."""

import re

import pytest

from tests.factories import (
    AuthorFactory,
    InstitutionFactory,
    TopicFactory,
    WorkTopicFactory,
    make_work,
)
from tests.profiles.helpers import (
    FEATURE_INTERACTION,
    SHADOWSYNC,
    SHADOWSYNC_AUTHORS,
    build_seed_world,
    page_text,
)
from works.models import Authorship, Topic, Work
from works.services import refresh_author_stats

pytestmark = pytest.mark.django_db

SHADOWSYNC_BIBTEX = (
    "@misc{zheng2021shadowsync,\n"
    "  title = {ShadowSync: Performing Synchronization in the Background for Highly Scalable "
    "Distributed Training},\n"
    "  author = {Qinqing Zheng and Bor-Yiing Su and Jiyan Yang and Alisson Azzolini and Qiang Wu "
    "and Ou Jin and Shri Karandikar and Hagay Lupesko and Liang Xiong and Eric Zhou},\n"
    "  year = {2021},\n"
    "  eprint = {2003.03477},\n"
    "  archivePrefix = {arXiv},\n"
    "  url = {https://arxiv.org/abs/2003.03477}\n"
    "}\n"
)


@pytest.fixture
def eric():
    return build_seed_world()


def _shadowsync() -> Work:
    return Work.objects.get(arxiv_id="2003.03477")


def test_work_page_lists_authors_in_order_linked_to_their_profiles(client, eric):
    """Authors appear in the order printed on the paper, each linking to their profile."""
    work = _shadowsync()

    response = client.get(work.get_absolute_url())

    html = response.content.decode()
    authors = re.findall(r'<li><a href="(/researchers/[^"]+)">([^<]+)</a>', html)
    assert [name for _url, name in authors] == SHADOWSYNC_AUTHORS
    assert authors[-1][0] == f"/researchers/eric-zhou-{eric.pk}/"


def test_work_page_shows_facts_identifiers_and_abstract(client, eric):
    """Type, year, venue, topics, the arXiv link and the abstract are all on the page."""
    work = _shadowsync()

    response = client.get(work.get_absolute_url())

    text = page_text(response)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Preprint · 2021 · arXiv" in text
    assert f"<h1>{SHADOWSYNC}</h1>" in html
    assert (
        "Type preprint Year 2021 (23 Feb 2021) Venue arXiv "
        "Topics Machine Learning (cs.LG) Cited by 0" in text
    )
    assert 'arXiv</dt><dd><a href="https://arxiv.org/abs/2003.03477">2003.03477</a>' in html
    assert 'href="/topics/machine-learning-cslg/"' in html
    assert "distributed training is the workhorse to shorten the training time" in text
    assert f"<title>{SHADOWSYNC[:89]}… · BZPEER</title>" in html
    assert f'<link rel="canonical" href="http://127.0.0.1:8000/works/{work.pk}/">' in html


def test_work_page_shows_the_bibtex_in_a_details_element(client, eric):
    """The BibTeX entry is shown (escaped) inside <details>, with a download link."""
    work = _shadowsync()

    response = client.get(work.get_absolute_url())

    html = response.content.decode()
    assert f'<pre class="bibtex"><code>{SHADOWSYNC_BIBTEX}</code></pre>' in html
    assert f'href="/works/{work.pk}/bibtex/" download>Download BibTeX</a>' in html


def test_work_bibtex_downloads_as_plain_text(client, eric):
    """works:bibtex answers text/plain as an attachment with the exact entry."""
    work = _shadowsync()

    response = client.get(f"/works/{work.pk}/bibtex/")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="bzpeer-work-{work.pk}.bib"'
    assert response.content.decode() == SHADOWSYNC_BIBTEX


def test_work_bibtex_escapes_latex_specials_and_uses_the_journal(client):
    """Braces, & and % in a title are escaped; an article names its journal and DOI."""
    author = AuthorFactory(display_name="Ada Lovelace")
    work = make_work(
        [author],
        title="Sketch of {the} Analytical Engine & 100% more",
        doi="10.1234/ae.1843",
        publication_year=1843,
    )
    work.venue = None
    work.save()

    response = client.get(f"/works/{work.pk}/bibtex/")

    assert response.content.decode() == (
        "@article{lovelace1843sketch,\n"
        "  title = {Sketch of \\{the\\} Analytical Engine \\& 100\\% more},\n"
        "  author = {Ada Lovelace},\n"
        "  year = {1843},\n"
        "  doi = {10.1234/ae.1843},\n"
        "  url = {https://doi.org/10.1234/ae.1843}\n"
        "}\n"
    )


def test_work_page_missing_work_is_not_found(client):
    """An unknown id answers 404 on the page and on the BibTeX."""

    page = client.get("/works/999999/")
    bibtex = client.get("/works/999999/bibtex/")

    assert (page.status_code, bibtex.status_code) == (404, 404)
    assert bibtex["Content-Type"] == "text/html; charset=utf-8"
    assert "@misc" not in bibtex.content.decode()


def test_work_page_escapes_markup_and_hides_suppressed_links(client):
    """A title with <script> shows escaped; a suppressed author is named but not linked."""
    visible = AuthorFactory(display_name="Visible Person")
    hidden = AuthorFactory(display_name="Hidden Person", suppressed=True)
    work = make_work([visible, hidden], title="<script>alert(1)</script>")

    response = client.get(work.get_absolute_url())

    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>" in html
    assert "<li>Hidden Person</li>" in html
    assert hidden.get_absolute_url() not in html


def test_work_page_labels_synthetic_works_and_authors(client):
    """A synthetic work says so, and so does each synthetic author on it."""
    author = AuthorFactory(display_name="Generated Person", synthetic=True)
    work = make_work([author], title="Generated", synthetic=True)

    response = client.get(work.get_absolute_url())

    text = page_text(response)
    assert "Synthetic This work was generated for benchmarks" in text
    assert "Generated Person Synthetic" in text


def test_work_page_shows_affiliations_at_the_time(client, eric):
    """Institutions on an authorship show beside the author, linked to the institution page."""
    work = _shadowsync()
    facebook = Authorship.objects.get(work=work, author=eric).institutions.get()

    response = client.get(work.get_absolute_url())

    assert (
        f'Eric Zhou</a> <span class="hint">(<a href="/institutions/{facebook.pk}/">Facebook</a>)'
        in response.content.decode()
    )


def test_topic_page_lists_its_works_and_top_researchers(client, eric):
    """cs.LG's page lists both seed papers newest first and Eric Zhou with 2 works on it."""

    response = client.get("/topics/machine-learning-cslg/")

    text = page_text(response)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Machine Learning (cs.LG)</h1>" in html
    assert "arXiv category cs.LG" in text
    assert "2 works on this topic, newest first" in text
    assert text.index(SHADOWSYNC) < text.index(FEATURE_INTERACTION)
    researchers = re.findall(r'<h3 class="researcher-item__name"><a href="[^"]+">(.*?)</a>', html)
    assert researchers[0] == "Eric Zhou"
    assert len(researchers) == 15
    assert "2 works · Trust 13 · 2 on this topic" in text
    assert (
        '<link rel="canonical" href="http://127.0.0.1:8000/topics/machine-learning-cslg/">' in html
    )


def test_topic_page_unknown_slug_is_not_found(client):
    """An unknown topic answers 404."""

    response = client.get("/topics/no-such-topic/")

    assert response.status_code == 404


@pytest.mark.parametrize("works", [1, 45])
def test_topic_page_query_count_does_not_grow_with_works(client, django_assert_num_queries, works):
    """The topic page runs the same 6 queries for 1 work and for 45."""
    topic = TopicFactory(name="Graphs", slug="graphs")
    for index in range(works):
        authors = [AuthorFactory(), AuthorFactory()]
        WorkTopicFactory(work=make_work(authors, title=f"Graph paper {index}"), topic=topic)

    with django_assert_num_queries(6):
        response = client.get("/topics/graphs/")

    assert f"{works} work{'s' if works > 1 else ''} on this topic" in page_text(response)


def test_institution_page_lists_researchers_and_works_through_authorships(client, eric):
    """Facebook's page lists the work with a Facebook affiliation and the researchers on it."""
    facebook = InstitutionFactory(
        name="Facebook", ror="01zbnvs85", country_code="US", type="company"
    )
    work = _shadowsync()
    for authorship in Authorship.objects.filter(work=work, position__in=[1, 2, 9]):
        authorship.institutions.add(facebook)

    response = client.get(f"/institutions/{facebook.pk}/")

    text = page_text(response)
    html = response.content.decode()
    assert "<h1>Facebook</h1>" in html
    assert "Company · US · ROR 01zbnvs85" in text
    assert "1 work with an author affiliated here at the time, newest first" in text
    assert SHADOWSYNC in text and FEATURE_INTERACTION not in text
    researchers = re.findall(r'<h3 class="researcher-item__name"><a href="[^"]+">(.*?)</a>', html)
    assert researchers == ["Eric Zhou", "Bor-Yiing Su", "Jiyan Yang"]
    assert "2 works · Trust 13 · 1 with this affiliation" in text


def test_institution_page_links_only_web_homepages(client):
    """An imported homepage is linked only when it is an http(s) URL, never javascript:."""
    safe = InstitutionFactory(name="Safe", homepage_url="https://www.upenn.edu")
    unsafe = InstitutionFactory(name="Unsafe", homepage_url="javascript:alert(1)")

    safe_page = client.get(f"/institutions/{safe.pk}/").content.decode()
    unsafe_page = client.get(f"/institutions/{unsafe.pk}/").content.decode()

    assert '<a href="https://www.upenn.edu">Website</a>' in safe_page
    assert "javascript:" not in unsafe_page


def test_institution_page_unknown_id_is_not_found(client):
    """An unknown institution answers 404."""

    response = client.get("/institutions/999999/")

    assert response.status_code == 404


def test_topic_page_labels_synthetic_researchers_and_works(client):
    """Synthetic rows say so wherever a list shows them."""
    topic = TopicFactory(name="Made up", slug="made-up", scheme=Topic.Scheme.ARXIV)
    author = AuthorFactory(display_name="Generated Person", synthetic=True)
    WorkTopicFactory(work=make_work([author], title="Generated work", synthetic=True), topic=topic)
    refresh_author_stats([author.pk])

    response = client.get("/topics/made-up/")

    text = page_text(response)
    assert "article · 2020 Synthetic Generated work" in text
    assert "Generated Person Synthetic" in text


@pytest.mark.parametrize("authors", [1, 40])
def test_work_page_query_count_does_not_grow_with_authors(
    client, django_assert_num_queries, authors
):
    """The work page runs the same 4 queries for 1 author and for 40, affiliations included."""
    institution = InstitutionFactory(name="Shared Lab")
    people = [AuthorFactory(display_name=f"Person {index:02d}") for index in range(authors)]
    work = make_work(people, title="Team science")
    for authorship in Authorship.objects.filter(work=work):
        authorship.institutions.add(institution)

    with django_assert_num_queries(4):
        response = client.get(work.get_absolute_url())

    html = response.content.decode()
    assert html.count(f'href="/institutions/{institution.pk}/">Shared Lab</a>') == authors


@pytest.mark.parametrize("works", [1, 30])
def test_institution_page_query_count_does_not_grow_with_works(
    client, django_assert_num_queries, works
):
    """The institution page runs the same 6 queries for 1 work and for 30, whose authors show
    their current institution in the researcher list."""
    lab = InstitutionFactory(name="Big Lab")
    elsewhere = InstitutionFactory(name="Elsewhere")
    for index in range(works):
        author = AuthorFactory(display_name=f"Member {index:02d}", current_institution=elsewhere)
        work = make_work([author], title=f"Lab paper {index}")
        Authorship.objects.get(work=work).institutions.add(lab)

    with django_assert_num_queries(6):
        response = client.get(lab.get_absolute_url())

    text = page_text(response)
    assert f"{works} work{'s' if works > 1 else ''} with an author affiliated here" in text
    assert text.count("· Elsewhere ·") == min(works, 20)
