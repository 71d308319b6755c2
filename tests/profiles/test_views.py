"""The profile page, the home page, the trust page and the follow form."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.factories import AuthorFactory, TopicFactory, VenueFactory, WorkTopicFactory, make_work
from tests.profiles.helpers import (
    FEATURE_INTERACTION,
    SHADOWSYNC,
    build_seed_world,
    headings,
    page_text,
)
from works.models import Institution, Work
from works.services import refresh_author_stats

pytestmark = pytest.mark.django_db

SEED_SECTIONS = [
    ("h1", "Eric Zhou"),
    ("h2", "Trust snapshot"),
    ("h2", "Actions"),
    ("h2", "Identity and collaboration"),
    ("h2", "Research graph"),
    ("h2", "Published work"),
]


@pytest.fixture
def eric():
    return build_seed_world()


def _json_ld(response) -> dict:
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    return json.loads(match.group(1))


def test_profile_seed_researcher_shows_the_seed_page_values(client, eric):
    """The seed researcher's page carries the seed page's facts (with 5 close collaborators)."""

    response = client.get(eric.get_absolute_url())

    text = page_text(response)
    assert response.status_code == 200
    for expected in [
        "Researcher profile",
        "Trust 13 · Unverified",
        "Verification L1",
        "Unclaimed author",
        "2 works",
        "0 followers",
        "2 topics",
        "5 close collaborators",
        "Affiliation not imported",
        "Open to collaborate",
        "Decide how to stay connected",
        "Follow researcher 0",
        "How to connect with this researcher",
        "Claiming links this public author record to a researcher profile and unlocks direct "
        "collaboration workflows.",
        "Log in to claim",
        "Direct collaboration",
        "Open a focused conversation when the fit is right",
        "Claim this author entity first to unlock direct invitations.",
        "See the researcher in context",
        "Open full explorer",
        "Inspect adjacent work, topics, institutions and collaborators without jumping out to a "
        "separate graph page.",
        "Building this graph slice",
        "2 published item(s)",
        "preprint · 2021 · arXiv",
        "preprint · 2020 · arXiv",
        SHADOWSYNC,
        FEATURE_INTERACTION,
        "Works per year: 2020: 1 · 2021: 1",
    ]:
        assert expected in text, expected
    assert "Synthetic" not in text
    assert text.index(SHADOWSYNC) < text.index(FEATURE_INTERACTION)


def test_profile_sections_follow_the_seed_page_order(client, eric):
    """One h1, then an h2 per section in the seed page's order."""

    response = client.get(eric.get_absolute_url())

    assert headings(response) == SEED_SECTIONS


def test_profile_summary_is_built_from_the_data_when_bio_is_empty(client, eric):
    """Without a bio the header says how many works, which years and which topics."""

    response = client.get(eric.get_absolute_url())

    summary = (
        "Author of 2 works (2020–2021) on Machine Learning (cs.LG) and "
        "Information Retrieval (cs.IR)."
    )
    assert summary in page_text(response)
    assert f'<meta name="description" content="{summary}">' in response.content.decode()


def test_profile_shows_the_bio_when_set(client, eric):
    """A bio replaces the built summary."""
    eric.bio = "Eric Zhou contributes to research discovery and scholarly infrastructure."
    eric.save()

    response = client.get(eric.get_absolute_url())

    text = page_text(response)
    assert "Eric Zhou contributes to research discovery and scholarly infrastructure." in text
    assert "Author of 2 works" not in text


def test_profile_trust_breakdown_lists_each_part(client, eric):
    """The breakdown details each part's points and explanation, and the bar's numbers."""

    response = client.get(eric.get_absolute_url())

    text = page_text(response)
    assert "Verification 5.00 of 40 Level L1: L0 0, L1 5, L2 25, L3 40" in text
    assert "Works 6.34 of 20 min(20, 4 · log2(1 + 2 works))" in text
    assert (
        "Collaboration 2.58 of 25 min(15, log2(1 + 5 close collaborators))"
        " + min(10, 2 · 0 verified)" in text
    )
    assert "Community 0.00 of 10" in text
    assert "Trust 13 of 100 the sum, 13.92, rounded down" in text
    html = response.content.decode()
    assert (
        '<title id="trust-bar-title">Trust 13 of 100: verification 5.00, works 6.34,'
        " collaboration 2.58</title>" in html
    )
    assert (
        'class="trust-bar__segment trust-bar__segment--works" x="5.00" y="0" width="6.34"' in html
    )
    assert 'href="/trust/"' in html


def test_profile_provenance_line_names_source_and_date(client):
    """The header says where the record came from and when."""
    author = AuthorFactory(display_name="Ada Example")
    author.imported_at = author.imported_at.replace(year=2026, month=12, day=4)
    author.save()

    response = client.get(author.get_absolute_url())

    assert "Imported from OpenAlex on 4 Dec 2026" in page_text(response)


def test_profile_wrong_slug_redirects_permanently_to_the_canonical_url(client, eric):
    """An old or mistyped slug answers 301 to the canonical URL, keeping the query string."""

    response = client.get(f"/researchers/someone-else-{eric.pk}/?sort=title")

    assert response.status_code == 301
    assert response["Location"] == f"/researchers/eric-zhou-{eric.pk}/?sort=title"


def test_profile_suppressed_author_is_not_found(client, eric):
    """A suppressed record has no public page, and no list links to one."""
    eric.suppressed = True
    eric.save()

    response = client.get(eric.get_absolute_url())
    home = client.get("/").content.decode()

    assert response.status_code == 404
    assert "Eric Zhou" not in response.content.decode()
    assert eric.get_absolute_url() not in home


def test_profile_escapes_malicious_names_and_titles(client):
    """Names and titles are text: a <script> in them shows escaped, never runs."""
    author = AuthorFactory(display_name="<script>alert(1)</script> Mallory")
    make_work([author], title="<script>alert('title')</script>", abstract="<b>bold</b> & more")
    refresh_author_stats([author.pk])

    response = client.get(author.get_absolute_url())

    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Mallory" in html
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; more" in html


def test_profile_json_ld_escapes_markup_characters(client):
    """The JSON-LD block escapes <, > and & so a name cannot close the script element."""
    institution = Institution.objects.create(
        name="R&D <Lab>", source="openalex", imported_at="2026-12-04T00:00:00Z"
    )
    author = AuthorFactory(
        display_name="</script><b>Eve</b> & co",
        orcid="0000-0002-1825-0097",
        openalex_id="A5017898742",
        current_institution=institution,
    )

    response = client.get(author.get_absolute_url())

    html = response.content.decode()
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in raw and ">" not in raw and "&" not in raw
    assert "\\u003C/script\\u003E\\u003Cb\\u003EEve" in raw
    data = _json_ld(response)
    assert data["@type"] == "ProfilePage"
    assert data["mainEntity"]["@type"] == "Person"
    assert data["mainEntity"]["name"] == "</script><b>Eve</b> & co"
    assert data["mainEntity"]["affiliation"] == {"@type": "Organization", "name": "R&D <Lab>"}
    assert data["mainEntity"]["sameAs"] == [
        "https://orcid.org/0000-0002-1825-0097",
        "https://openalex.org/A5017898742",
    ]


def test_profile_head_has_title_canonical_and_open_graph(client, eric):
    """Title, canonical URL and OpenGraph tags name the researcher's canonical page."""

    response = client.get(eric.get_absolute_url())

    html = response.content.decode()
    url = f"http://127.0.0.1:8000/researchers/eric-zhou-{eric.pk}/"
    assert "<title>Eric Zhou · Researcher profile · BZPEER</title>" in html
    assert f'<link rel="canonical" href="{url}">' in html
    assert '<meta property="og:type" content="profile">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:title" content="Eric Zhou">' in html
    assert _json_ld(response)["mainEntity"]["url"] == url


def test_profile_sends_a_csp_without_unsafe_inline(client, eric):
    """The page carries the Content Security Policy, and the policy allows no inline code."""

    response = client.get(eric.get_absolute_url())

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert ' style="' not in response.content.decode()


def test_profile_claim_link_sends_anonymous_visitors_to_log_in_first(client, eric):
    """'Log in to claim' leads to the login page, then back to the claim page."""

    response = client.get(eric.get_absolute_url())

    claim = f"/researchers/eric-zhou-{eric.pk}/claim/"
    assert f'href="/accounts/login/?next={claim}"' in response.content.decode()


def test_profile_claim_link_for_a_logged_in_visitor(client, eric):
    """A logged-in visitor gets 'Claim this author' straight to the claim page."""
    user = get_user_model().objects.create_user("reader", password="a-long-password-1")
    client.force_login(user)

    response = client.get(eric.get_absolute_url())

    text = page_text(response)
    assert "Claim this author" in text
    assert "Log in to claim" not in text
    assert f'href="/researchers/eric-zhou-{eric.pk}/claim/"' in response.content.decode()


def _many_works(count: int, **fields):
    author = AuthorFactory(display_name="Prolific Person")
    venue = VenueFactory(name="Journal of Tests")
    topic = TopicFactory(name="Testing", slug="testing")
    for index in range(count):
        work = make_work(
            [author],
            title=f"Study {index:03d}",
            publication_year=2000 + index % 20,
            cited_by_count=index,
            venue=venue,
            **fields,
        )
        WorkTopicFactory(work=work, topic=topic)
    refresh_author_stats([author.pk])
    author.refresh_from_db()
    return author


def _titles(response) -> list[str]:
    return re.findall(
        r'<h3 class="work-item__title"><a href="/works/\d+/">(.*?)</a>', response.content.decode()
    )


def test_profile_works_paginate_twenty_a_page(client):
    """25 works make two pages: 20 then 5, with links between them."""
    author = _many_works(25)

    first = client.get(author.get_absolute_url())
    second = client.get(author.get_absolute_url() + "?page=2")

    assert len(_titles(first)) == 20
    assert len(_titles(second)) == 5
    assert "Page 1 of 2" in page_text(first)
    assert 'href="?page=2#published-work" hx-get="?page=2" rel="next"' in first.content.decode()
    assert 'href="?page=1#published-work" hx-get="?page=1" rel="prev"' in second.content.decode()


def test_profile_works_sort_by_title_and_by_citations(client):
    """sort=title orders A–Z; sort=citations puts the most cited first."""
    author = _many_works(3)

    by_title = client.get(author.get_absolute_url() + "?sort=title")
    by_citations = client.get(author.get_absolute_url() + "?sort=citations")
    newest = client.get(author.get_absolute_url())

    assert _titles(by_title) == ["Study 000", "Study 001", "Study 002"]
    assert _titles(by_citations) == ["Study 002", "Study 001", "Study 000"]
    assert _titles(newest) == ["Study 002", "Study 001", "Study 000"]
    assert '<option value="title" selected>Title A–Z</option>' in by_title.content.decode()


def test_profile_works_filter_by_type_and_topic_keeps_the_selection(client, eric):
    """type and topic filter the list, the form keeps the choices, and pages keep the filters."""
    make_work([eric], title="A dataset of clicks", type=Work.Type.DATASET, publication_year=2022)
    refresh_author_stats([eric.pk])

    by_type = client.get(eric.get_absolute_url() + "?type=dataset")
    by_topic = client.get(eric.get_absolute_url() + "?topic=information-retrieval-csir")
    unknown = client.get(eric.get_absolute_url() + "?topic=nope&type=bogus")

    assert _titles(by_type) == ["A dataset of clicks"]
    assert '<option value="dataset" selected>dataset (1)</option>' in by_type.content.decode()
    assert "1 of 3 match the filters." in page_text(by_type)
    assert _titles(by_topic) == [FEATURE_INTERACTION]
    assert (
        '<option value="information-retrieval-csir" selected>Information Retrieval (cs.IR) (1)'
        "</option>" in by_topic.content.decode()
    )
    assert len(_titles(unknown)) == 3


@pytest.mark.parametrize("works", [1, 200])
def test_profile_query_count_does_not_grow_with_works(client, django_assert_num_queries, works):
    """The profile runs the same 7 queries for 1 work and for 200 (budget: 10)."""
    author = _many_works(works)
    url = author.get_absolute_url()

    with django_assert_num_queries(7):
        response = client.get(url)

    assert response.status_code == 200
    assert f"{works} published item(s)" in page_text(response)


def test_profile_marks_synthetic_records(client):
    """A synthetic record says so in its header and on its works."""
    author = AuthorFactory(display_name="Synthetic Sam", synthetic=True)
    make_work([author], title="Generated result", synthetic=True)
    refresh_author_stats([author.pk])

    response = client.get(author.get_absolute_url())

    text = page_text(response)
    assert "Synthetic record" in text
    assert "article · 2020 Synthetic" in text


def test_profile_shows_a_known_affiliation(client):
    """A current institution replaces 'Affiliation not imported' and links to its page."""
    institution = Institution.objects.create(
        name="University of Pennsylvania", source="openalex", imported_at="2026-12-04T00:00:00Z"
    )
    author = AuthorFactory(display_name="Qinqing Zheng", current_institution=institution)

    response = client.get(author.get_absolute_url())

    assert "Affiliation not imported" not in page_text(response)
    assert (
        f'<a class="tag tag--grey" href="/institutions/{institution.pk}/">'
        "University of Pennsylvania</a>" in response.content.decode()
    )


def test_follow_requires_post(client, eric):
    """GET on the follow endpoint is not allowed."""

    response = client.get(reverse("profiles:follow", args=[eric.pk]))

    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_follow_sends_anonymous_visitors_to_log_in(client, eric):
    """An anonymous POST goes to the login page, which leads back to the profile."""

    response = client.post(reverse("profiles:follow", args=[eric.pk]))

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/researchers/eric-zhou-{eric.pk}/"


def test_follow_says_it_arrives_later_and_records_nothing(client, eric):
    """A logged-in POST returns to the profile with an honest message; the count stays 0."""
    user = get_user_model().objects.create_user("reader", password="a-long-password-1")
    client.force_login(user)

    response = client.post(reverse("profiles:follow", args=[eric.pk]), follow=True)

    assert response.redirect_chain == [(eric.get_absolute_url(), 302)]
    text = page_text(response)
    assert "Following arrives in a coming release; nothing was recorded for Eric Zhou." in text
    assert "0 followers" in text


def test_home_lists_researchers_with_most_works_first(client, eric):
    """The home page lists visible researchers, most works first, linking to their profiles."""
    hidden = AuthorFactory(display_name="Hidden Person", suppressed=True, works_count=99)

    response = client.get("/")

    html = response.content.decode()
    names = re.findall(r'<h3 class="researcher-item__name"><a href="[^"]+">(.*?)</a>', html)
    assert names[0] == "Eric Zhou"
    assert len(names) == 15
    assert hidden.display_name not in html
    assert f'href="/researchers/eric-zhou-{eric.pk}/"' in html
    assert "2 works · Trust 13" in page_text(response)
    assert 'action="/search/"' in html


def test_trust_page_publishes_the_formula(client):
    """/trust/ shows the points per level, every part of the formula and a worked example."""

    response = client.get("/trust/")

    text = page_text(response)
    assert response.status_code == 200
    assert "L1 Unverified 5" in text
    assert "L3 Verified 40" in text
    assert "works min(20, 4 · log2(1 + works))" in text
    assert "trust floor(sum), at most 100" in text
    assert "Trust 13 · Unverified" in text


def test_profile_htmx_request_for_the_works_list_gets_only_that_section(client):
    """HTMX aimed at #published-work gets the section alone, sorted, for an in-place swap."""
    author = _many_works(3)

    response = client.get(
        author.get_absolute_url() + "?sort=title",
        headers={"HX-Request": "true", "HX-Target": "published-work"},
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<section class="section" id="published-work"')
    assert "<html" not in html and "Trust snapshot" not in html
    assert _titles(response) == ["Study 000", "Study 001", "Study 002"]
    assert response["Vary"] == "HX-Request, HX-Target"
    assert html.rstrip().endswith(
        '<p id="works-status" class="visually-hidden" role="status" hx-swap-oob="true">'
        "Showing 3 works (Title A–Z).</p>"
    )


def test_profile_htmx_filter_and_page_are_announced_in_the_status_region(client):
    """A filtered, paginated in-place update says what the list now shows; a full page has the
    status region empty."""
    author = _many_works(25)

    response = client.get(
        author.get_absolute_url() + "?topic=testing&page=2",
        headers={"HX-Request": "true", "HX-Target": "published-work"},
    )
    full = client.get(author.get_absolute_url() + "?topic=testing&page=2")

    assert (
        'hx-swap-oob="true">Showing 25 of 25 works (Newest first), page 2 of 2.</p>'
        in response.content.decode()
    )
    assert '<p id="works-status" class="visually-hidden" role="status"></p>' in (
        full.content.decode()
    )
    assert "hx-swap-oob" not in full.content.decode()


@pytest.mark.parametrize("researchers", [1, 30])
def test_home_query_count_does_not_grow_with_researchers(
    client, django_assert_num_queries, researchers
):
    """The home page runs one query for 1 researcher and for 30 (institutions joined)."""
    lab = Institution.objects.create(
        name="Home Lab", source="openalex", imported_at="2026-12-04T00:00:00Z"
    )
    for index in range(researchers):
        AuthorFactory(display_name=f"Listed {index:02d}", current_institution=lab)

    with django_assert_num_queries(1):
        response = client.get("/")

    assert page_text(response).count("· Home Lab") == min(researchers, 20)


def test_follow_form_rejects_a_post_without_the_csrf_token(eric):
    """The follow form is CSRF-protected: a logged-in POST without the token answers 403."""
    user = get_user_model().objects.create_user("reader", password="a-long-password-1")
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(user)

    page = csrf_client.get(eric.get_absolute_url()).content.decode()
    response = csrf_client.post(reverse("profiles:follow", args=[eric.pk]))

    assert response.status_code == 403
    follow_form = re.search(
        r'<form method="post" action="/researchers/\d+/follow/".*?</form>', page, re.S
    )
    assert 'name="csrfmiddlewaretoken"' in follow_form.group(0)


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/researchers/x-1/claim/", "/researchers/x-1/claim/"),
        ("https://evil.example/steal", "/"),
        ("//evil.example/steal", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_login_follows_next_only_to_this_site(client, next_url, expected):
    """After logging in, next= is followed only to a path on this site (no open redirect)."""
    get_user_model().objects.create_user("reader", password="a-long-password-1")

    response = client.post(
        "/accounts/login/",
        {"username": "reader", "password": "a-long-password-1", "next": next_url},
    )

    assert response.status_code == 302
    assert response["Location"] == expected


def test_login_page_drops_an_offsite_next_from_its_form(client):
    """The login form carries a safe next= through, and leaves an off-site one out."""

    safe = client.get("/accounts/login/", {"next": "/trust/"}).content.decode()
    unsafe = client.get("/accounts/login/", {"next": "https://evil.example/"}).content.decode()

    assert '<input type="hidden" name="next" value="/trust/">' in safe
    assert '<input type="hidden" name="next" value="">' in unsafe
    assert "evil.example" not in unsafe.split("<main", 1)[1]


def test_login_page_header_has_no_link_to_itself(client):
    """The header's 'Log in' link (with next= this page) is left off the login page only."""

    login = client.get("/accounts/login/", {"next": "/trust/"}).content.decode()
    trust = client.get("/trust/").content.decode()

    assert 'aria-label="Account"' not in login
    assert '<a href="/accounts/login/?next=/trust/">Log in</a>' in trust
