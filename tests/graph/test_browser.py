"""Chromium (Debian's, through Playwright) with a real Celery worker: the panel loads in place
and stops polling; the explorer's filters change the graph and the address."""

import re

import pytest
from playwright.sync_api import expect

from bzpeer.celery import app as celery_app
from tests.graph.conftest import reset_broker_pools
from tests.profiles.helpers import build_seed_world

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PATIENCE_MS = 60_000  # how long we are willing to wait for the worker, not a timing assertion


def test_profile_graph_appears_without_reload_and_polling_stops(
    live_server, celery_worker, page, tmp_path
):
    """The seed researcher's graph swaps into the panel; once ready, no more requests go out."""
    eric = build_seed_world()
    fragment_requests: list[str] = []
    page.on("request", lambda r: fragment_requests.append(r.url) if "/graph/" in r.url else None)
    navigations: list[str] = []
    page.on(
        "framenavigated",
        lambda frame: navigations.append(frame.url) if frame == page.main_frame else None,
    )

    page.goto(live_server.url + eric.get_absolute_url())
    page.locator("#graph-panel svg.graph__svg").wait_for(timeout=PATIENCE_MS)
    requests_when_ready = len(fragment_requests)
    page.wait_for_timeout(3000)  # an observation window: polling must have stopped

    assert navigations == [live_server.url + eric.get_absolute_url()]
    assert len(fragment_requests) == requests_when_ready
    assert requests_when_ready >= 1
    panel = page.locator("#graph-panel")
    assert panel.get_attribute("aria-live") == "polite"
    assert panel.get_by_role("link", name="Qinqing Zheng").first.is_visible()
    assert panel.locator(".graph-node--author").count() == 15
    page.screenshot(path=tmp_path / "graph-panel.png", full_page=True)


def test_explorer_filter_changes_the_graph_and_the_address(
    live_server, celery_worker, page, tmp_path
):
    """Unticking Works re-renders the graph without works and puts the filters in the URL."""
    eric = build_seed_world()
    explorer = f"{live_server.url}/researchers/{eric.slug}-{eric.pk}/explorer/"

    page.goto(explorer)
    page.locator("#graph-results svg.graph__svg").wait_for(timeout=PATIENCE_MS)
    works_before = page.locator("#graph-results .graph-node--work").count()
    page.get_by_label("Works", exact=True).uncheck()
    page.wait_for_url(re.compile(r"types=author"), timeout=PATIENCE_MS)
    expect(page.locator("#graph-results .graph-node--work")).to_have_count(0, timeout=PATIENCE_MS)
    page.locator("#graph-results svg.graph__svg").wait_for(timeout=PATIENCE_MS)

    assert works_before == 2
    assert "types=work" not in page.url
    assert page.url.startswith(explorer + "?")
    assert page.locator("#graph-results .graph-node--author").count() == 15
    page.screenshot(path=tmp_path / "graph-explorer.png", full_page=True)
    page.go_back()
    page.wait_for_url(explorer, timeout=PATIENCE_MS)
    assert page.get_by_label("Works", exact=True).is_checked()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_ready_graph_pages_have_no_wcag_violations(
    live_server, celery_worker, browser, scheme, width
):
    """The profile with its ready graph and the explorer pass axe's WCAG A/AA rules."""
    from axe_playwright_python.sync_playwright import Axe

    eric = build_seed_world()
    context = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme=scheme, bypass_csp=True
    )
    page = context.new_page()
    reports = {}
    for name, path in (
        ("profile", eric.get_absolute_url()),
        ("explorer", f"/researchers/{eric.slug}-{eric.pk}/explorer/"),
    ):
        page.goto(live_server.url + path)
        page.locator("svg.graph__svg").wait_for(timeout=PATIENCE_MS)
        results = Axe().run(
            page,
            options={
                "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]},
                "resultTypes": ["violations"],
            },
        )
        reports[name] = [
            (v["id"], [", ".join(node["target"]) for node in v["nodes"]][:5])
            for v in results.response["violations"]
        ]
        reports[name + " overflow"] = page.evaluate("document.documentElement.scrollWidth") > width
    context.close()

    assert reports == {
        "profile": [],
        "profile overflow": False,
        "explorer": [],
        "explorer overflow": False,
    }


def test_retry_button_recovers_once_the_broker_is_back(
    live_server, celery_worker, dead_broker, page, settings
):
    """With the broker down the panel offers Retry; after it returns, Retry (an htmx POST with
    the CSRF header from <body>) builds the graph in place."""
    eric = build_seed_world()
    page.goto(live_server.url + eric.get_absolute_url())
    retry = page.locator("#graph-panel").get_by_role("button", name="Retry")
    retry.wait_for(timeout=PATIENCE_MS)
    message = page.locator("#graph-panel .graph-unavailable").inner_text()

    celery_app.conf.broker_url = settings.CELERY_BROKER_URL
    reset_broker_pools()
    retry.click()
    page.locator("#graph-panel svg.graph__svg").wait_for(timeout=PATIENCE_MS)

    assert "Graph unavailable" in message
    assert "the graph worker could not be reached" in message
    assert page.url == live_server.url + eric.get_absolute_url()
    assert page.locator("#graph-panel .graph-node--author").count() == 15
