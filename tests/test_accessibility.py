"""Automated WCAG 2.2 A/AA checks (axe-core) and keyboard paths on the public pages, in Chromium."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.core.management import call_command

from works.models import Author, Institution, Topic, Work

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    "resultTypes": ["violations"],
}
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SCHEMES = ["light", "dark"]
# Every public page but the profile, which has its own test over both schemes and widths.
PAGES = [
    "home",
    "work",
    "topic",
    "institution",
    "search",
    "search-empty",
    "search-too-long",
    "trust",
    "login",
    "profile-filtered",
]


@pytest.fixture
def demo():
    """The demo world of `load_demo`: the seed researcher, a work, a topic and an institution."""
    call_command("load_demo", stdout=io.StringIO())
    eric = Author.objects.get(display_name="Eric Zhou")
    work = Work.objects.filter(authorships__author=eric).order_by("publication_year", "pk").first()
    topic = Topic.objects.filter(work_topics__work=work).order_by("pk").first()
    institution = (
        Institution.objects.filter(authorships__author=eric).order_by("pk").distinct().first()
    )
    return {
        "home": "/",
        "profile": eric.get_absolute_url(),
        "work": work.get_absolute_url(),
        "topic": topic.get_absolute_url(),
        "institution": institution.get_absolute_url(),
        "search": "/search/?q=zhou",
        "trust": "/trust/",
        "login": "/accounts/login/?next=/",
        "profile-filtered": eric.get_absolute_url() + "?sort=title&type=preprint",
        "search-empty": "/search/",
        "search-too-long": "/search/?q=" + "x" * 201,
    }


@pytest.fixture(scope="session")
def axe():
    return Axe()


def _violations_report(results) -> str:
    lines = []
    for violation in results.response["violations"]:
        targets = [", ".join(node["target"]) for node in violation["nodes"]]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines += [f"    {target}" for target in targets[:8]]
    return "\n".join(lines)


def _check(page, axe, viewport: dict) -> str:
    """axe's WCAG A/AA violations on the page as it stands, and any sideways overflow ("" if
    none)."""
    report = _violations_report(axe.run(page, options=AXE_OPTIONS))
    overflow = page.evaluate("document.documentElement.scrollWidth") - viewport["width"]
    if overflow > 0:  # WCAG 1.4.10 Reflow: no sideways scrolling of the page
        report += f"\nreflow: the page is {overflow}px wider than the viewport"
    return report.strip()


def _scan(browser, axe, url: str, *, viewport: dict, scheme: str) -> str:
    """Open url in a fresh context and _check it."""
    context = browser.new_context(
        viewport=viewport, is_mobile=viewport is PHONE, color_scheme=scheme, bypass_csp=True
    )
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_load_state("networkidle")
        return _check(page, axe, viewport)
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("name", PAGES)
def test_public_page_has_no_wcag_violations(live_server, browser, axe, demo, name, viewport):
    """Each public page passes axe-core's WCAG 2.0/2.1/2.2 A and AA rules, on desktop and phone."""
    url = live_server.url + demo[name]

    report = _scan(browser, axe, url, viewport=viewport, scheme="light")

    assert report == "", f"{name} at {viewport['width']}px:\n{report}"


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_profile_has_no_wcag_violations_in_either_colour_scheme(
    live_server, browser, axe, demo, viewport, scheme
):
    """The seed researcher's profile passes axe's WCAG A/AA rules in light and dark, both widths."""
    url = live_server.url + demo["profile"]

    report = _scan(browser, axe, url, viewport=viewport, scheme=scheme)

    assert report == "", f"profile, {scheme}, {viewport['width']}px:\n{report}"


@pytest.mark.parametrize("name", PAGES)
def test_public_page_in_dark_scheme_has_no_wcag_violations(live_server, browser, axe, demo, name):
    """The other pages pass axe's WCAG A/AA rules (contrast above all) in the dark scheme too."""
    url = live_server.url + demo[name]

    report = _scan(browser, axe, url, viewport=DESKTOP, scheme="dark")

    assert report == "", f"{name}, dark:\n{report}"


# WCAG 1.4.12 Text Spacing: the overrides a reader's style sheet may apply.
TEXT_SPACING = (
    "* { line-height: 1.5 !important; letter-spacing: 0.12em !important;"
    " word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }"
)


def test_every_page_reflows_at_320px_with_wider_text_spacing(live_server, browser, demo):
    """At 320 CSS px with WCAG's text-spacing overrides no page scrolls sideways (1.4.10, 1.4.12);
    only the trust formula and table scroll inside their own focusable regions."""
    context = browser.new_context(viewport={"width": 320, "height": 700}, bypass_csp=True)
    page = context.new_page()

    widths = {}
    for name in ["profile", *PAGES]:
        page.goto(live_server.url + demo[name])
        page.add_style_tag(content=TEXT_SPACING)
        widths[name] = page.evaluate("document.documentElement.scrollWidth")
    context.close()

    assert widths == dict.fromkeys(["profile", *PAGES], 320)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_login_error_and_follow_banner_have_no_wcag_violations(
    live_server, browser, axe, demo, scheme
):
    """A failed login's error, then a logged-in profile with the follow banner, pass axe."""
    get_user_model().objects.create_user("reader", password="a-long-password-1")
    context = browser.new_context(viewport=DESKTOP, color_scheme=scheme, bypass_csp=True)
    page = context.new_page()
    page.goto(live_server.url + demo["login"])

    page.get_by_label("Username").fill("reader")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("networkidle")
    error = page.get_by_role("alert").inner_text()
    login_report = _check(page, axe, DESKTOP)
    page.get_by_label("Password").fill("a-long-password-1")
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + demo["profile"])
    page.get_by_role("button", name="Follow researcher").click()
    page.wait_for_load_state("networkidle")
    banner = page.locator(".banner[role=status]").inner_text()
    profile_report = _check(page, axe, DESKTOP)
    context.close()

    assert error == "Your username and password didn't match. Please try again."
    assert login_report == "", f"login with an error, {scheme}:\n{login_report}"
    assert banner == "Following arrives in a coming release; nothing was recorded for Eric Zhou."
    assert profile_report == "", f"profile with a banner, {scheme}:\n{profile_report}"


def test_profile_first_tab_reaches_the_skip_link_which_moves_focus_to_main(live_server, page, demo):
    """From the top of the profile, Tab focuses the skip link; following it focuses <main>."""
    page.goto(live_server.url + demo["profile"])

    page.keyboard.press("Tab")
    first = page.evaluate("[document.activeElement.className, document.activeElement.textContent]")
    shown = page.locator(".skip-link").bounding_box()
    page.keyboard.press("Enter")
    focused = page.evaluate("document.activeElement.id")

    assert first == ["skip-link", "Skip to main content"]
    assert shown["y"] >= 0 and shown["height"] >= 24
    assert focused == "main"
    assert page.url.endswith("#main")


def _tab_until(page, predicate: str, *, limit: int = 80) -> int:
    """Press Tab until the JS predicate on document.activeElement holds; return the presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => Boolean({predicate}))(document.activeElement)"):
            return presses
    return 0


def test_profile_follow_button_and_sort_form_are_reachable_by_keyboard(live_server, page, demo):
    """Tab reaches the Follow button, then the sort select; a keyboard choice re-sorts the list."""
    page.goto(live_server.url + demo["profile"])

    to_follow = _tab_until(page, "el.matches('.follow-form button')")
    follow_name = page.evaluate("document.activeElement.textContent.trim()")
    page.goto(live_server.url + demo["profile"])
    to_sort = _tab_until(page, "el.id === 'id_sort'")
    page.keyboard.press("End")
    page.wait_for_url("**sort=title**")
    titles = page.locator(".work-item__title").all_inner_texts()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'id_sort'")
    status = page.locator("#works-status").inner_text()

    assert to_follow > 0
    assert " ".join(follow_name.split()) == "Follow researcher 0 followers"
    assert to_sort > to_follow
    assert titles[0].startswith("Feature Interaction Interpretability")
    assert status == "Showing 2 works (Title A–Z)."


# The focused element's text colour against its effective background, and its focus indicator.
FOCUS_PROBE = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const rgba = c => (c.match(/[\\d.]+/g) || []).map(Number);
  let node = el, bg = [255, 255, 255];
  while (node) {
    const c = rgba(getComputedStyle(node).backgroundColor);
    if (c.length === 3 || c[3] > 0) { bg = c; break; }
    node = node.parentElement;
  }
  const lum = c => {
    const [r, g, b] = c.slice(0, 3).map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const look = () => {
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
      && rgba(style.outlineColor)[3] !== 0;
    return {
      color: style.color,
      outline: outline ? `${style.outlineWidth} ${style.outlineColor}` : "",
      shadow: style.boxShadow,
      background: style.backgroundColor,
    };
  };
  const focused = look();
  el.blur();
  const resting = look();
  el.focus();  // Tab goes on from here
  const [hi, lo] = [lum(rgba(focused.color)), lum(bg)].sort((a, b) => b - a);
  return {
    name: `${el.tagName.toLowerCase()} "${(el.textContent || el.value || "").trim().slice(0, 30)}"`,
    contrast: (hi + 0.05) / (lo + 0.05),
    indicator: (focused.outline !== "" && focused.outline !== resting.outline)
      || (focused.shadow !== "none" && focused.shadow !== resting.shadow)
      || focused.background !== resting.background,
  };
}
"""


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", ["home", "profile", "work"])
def test_focused_controls_keep_readable_text_and_a_visible_indicator(
    live_server, browser, demo, name, scheme
):
    """Every Tab stop looks different when focused (outline, ring or background) and keeps its
    text at 4.5:1 or more while focused."""
    context = browser.new_context(viewport=DESKTOP, color_scheme=scheme)
    page = context.new_page()
    page.goto(live_server.url + demo[name])
    page.wait_for_load_state("networkidle")

    stops = []
    for _ in range(150):
        page.keyboard.press("Tab")
        probe = page.evaluate(FOCUS_PROBE)
        if probe is None:
            break
        stops.append(probe)
    context.close()

    unreadable = [f"{s['name']} {s['contrast']:.2f}:1" for s in stops if s["contrast"] < 4.5]
    invisible = [s["name"] for s in stops if not s["indicator"]]
    assert len(stops) > 5
    assert unreadable == []
    assert invisible == []
