"""The seed researcher's page as `load_demo` writes it: the seed page's facts, exactly."""

import io

import pytest
from django.core.management import call_command

from tests.profiles.helpers import FEATURE_INTERACTION, SHADOWSYNC, headings, page_text
from works.models import Author

pytestmark = pytest.mark.django_db


def test_demo_profile_shows_the_seed_page_values(client):
    """After load_demo the seed researcher's page carries every count and label of the seed page."""
    call_command("load_demo", stdout=io.StringIO())
    eric = Author.objects.get(display_name="Eric Zhou")

    response = client.get(eric.get_absolute_url())

    text = page_text(response)
    for expected in [
        "Trust 13 · Unverified",
        "Verification L1",
        "Unclaimed author",
        "2 works",
        "0 followers",
        "2 topics",
        "5 close collaborators",
        "Affiliation not imported",
        "Open to collaborate",
        "Follow researcher 0",
        "2 published item(s)",
        "preprint · 2021 · arXiv",
        "preprint · 2020 · arXiv",
        SHADOWSYNC,
        FEATURE_INTERACTION,
    ]:
        assert expected in text, expected
    assert [title for _tag, title in headings(response)] == [
        "Eric Zhou",
        "Trust snapshot",
        "Actions",
        "Identity and collaboration",
        "Research graph",
        "Published work",
    ]
    assert "Synthetic" not in text
