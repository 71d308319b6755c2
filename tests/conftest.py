"""Shared fixtures: the real data folder, a live server and Debian's Chromium through Playwright."""

import os
from pathlib import Path

import pytest

DATA_DIR = Path(
    os.environ.get("BZPEER_DATA_DIR", Path(__file__).resolve().parents[2] / "shared" / "data")
)
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def data_dir() -> Path:
    if not DATA_DIR.is_dir():
        pytest.fail(f"The shared data folder {DATA_DIR} is missing; set BZPEER_DATA_DIR.")
    return DATA_DIR


@pytest.fixture(scope="session", autouse=True)
def _empty_test_broker():
    """Start from an empty Redis test database: no stale build messages from an earlier run."""
    from django.conf import settings

    if settings.REDIS_URL:
        import redis

        redis.Redis.from_url(settings.REDIS_URL).flushdb()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (Debian's package, never a downloaded build)."""
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()
