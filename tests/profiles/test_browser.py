"""The seed researcher's page in Debian's Chromium: every section, no sideways scroll."""

import tempfile
from pathlib import Path

import pytest

from tests.profiles.helpers import build_seed_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(tempfile.gettempdir())
SECTION_HEADINGS = [
    "Trust snapshot",
    "Actions",
    "Identity and collaboration",
    "Research graph",
    "Published work",
]


def test_profile_in_chromium_shows_every_section(live_server, page):
    """Chromium renders the seed researcher's h1 and every section heading, in order."""
    eric = build_seed_world()

    page.goto(live_server.url + eric.get_absolute_url())

    assert page.get_by_role("heading", level=1).inner_text() == "Eric Zhou"
    assert page.locator("h2").all_inner_texts() == SECTION_HEADINGS
    for name in SECTION_HEADINGS:
        assert page.get_by_role("heading", name=name, exact=True).is_visible()
    assert page.get_by_text("Trust 13 · Unverified").is_visible()
    assert page.get_by_role("link", name="Log in to claim").is_visible()
    assert page.get_by_role("button", name="Follow researcher 0 followers").is_visible()
    page.screenshot(path=SCREENSHOTS / "bzpeer-profile-desktop.png", full_page=True)


def test_profile_on_a_phone_does_not_overflow_sideways(live_server, browser):
    """At 390 px wide the page is one column and nothing scrolls horizontally."""
    eric = build_seed_world()
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()

    phone.goto(live_server.url + eric.get_absolute_url())

    width = phone.evaluate("document.documentElement.scrollWidth")
    trust = phone.locator("#trust-snapshot").bounding_box()
    identity = phone.locator("#identity").bounding_box()
    phone.screenshot(path=SCREENSHOTS / "bzpeer-profile-phone.png", full_page=True)
    context.close()
    assert width <= 390
    assert trust["x"] == identity["x"]
    assert trust["y"] < identity["y"]


def test_profile_on_a_wide_screen_puts_trust_beside_the_main_column(live_server, page):
    """At 1280 px the trust snapshot sits to the right of the main column."""
    eric = build_seed_world()

    page.goto(live_server.url + eric.get_absolute_url())

    trust = page.locator("#trust-snapshot").bounding_box()
    identity = page.locator("#identity").bounding_box()
    assert trust["x"] > identity["x"] + identity["width"]


def test_profile_sorting_works_swaps_the_list_in_place_and_keeps_the_url(live_server, page):
    """Choosing 'Title A–Z' re-renders the works list through HTMX and puts it in the URL."""
    eric = build_seed_world()
    page.goto(live_server.url + eric.get_absolute_url())
    page.evaluate("window.bzpeerMarker = 'same page'")

    page.get_by_label("Sort by").select_option("title")
    page.wait_for_url("**sort=title**")

    titles = page.locator(".work-item__title").all_inner_texts()
    assert titles[0].startswith("Feature Interaction Interpretability")
    assert page.evaluate("window.bzpeerMarker") == "same page"


@pytest.mark.parametrize("path", ["profile", "/", "/trust/", "/search/?q=shadowsync"])
def test_pages_load_without_console_errors_or_failed_requests(live_server, page, path):
    """No CSP violation, script error or missing file (favicon included) on the main pages."""
    eric = build_seed_world()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "response",
        lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )

    page.goto(live_server.url + (eric.get_absolute_url() if path == "profile" else path))
    page.wait_for_load_state("networkidle")

    assert errors == []
