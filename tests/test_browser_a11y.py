"""Accessibility in a real browser: axe-core (WCAG 2.1 A and AA rules, the npm package pinned in
tests/axe and installed by `make axe`) finds no critical or serious violation on the timeline page,
by default and with an event selected, on a desktop window (1400×1000) and on a phone (390×844); the
no-results help and the Methods page on the desktop; and the desktop in the dark theme.

axe measures colour contrast only for what is on screen, and Streamlit's page scrolls inside its main
container (the event details, beside the timeline, inside their own): after the whole check, every
scrolling region is stepped through a screen at a time and the contrast rule run again at each step."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.loading import load_dataset
from tests.browser_support import CHROMIUM, PROJECT_ROOT, streamlit_server

pytestmark = pytest.mark.browser

sync_api = pytest.importorskip("playwright.sync_api")

AXE_SCRIPT = PROJECT_ROOT / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"critical", "serious"}
VIEWPORTS = {"desktop": (1400, 1000), "phone": (390, 844)}
NODES_SHOWN = 5  # per violation in the failure message

# The app has run when the timeline is drawn and Streamlit's status widget ("Running…") is gone;
# stale elements are faded while a run is under way, which would change the colours axe measures.
IDLE = """() => document.querySelector('.st-key-timeline .main-svg') !== null
  && document.querySelector('[data-testid="stStatusWidget"]') === null
  && document.querySelector('[data-stale="true"]') === null"""
IDLE_WITHOUT_CHART = IDLE.replace("document.querySelector('.st-key-timeline .main-svg') !== null", "true")
RUN_AXE = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"""
RUN_CONTRAST = """() => axe.run(document,
  {runOnly: {type: 'rule', values: ['color-contrast']}, resultTypes: ['violations']})"""
# The page's scrolling regions, outermost first: the main column, the sidebar and the event details.
SCROLLERS = ['[data-testid="stMain"]', '[data-testid="stSidebarContent"]', ".st-key-detail-panel"]
# Scroll `selector` to `top` when it scrolls and is on screen (the phone's sidebar is collapsed off its
# left edge): its new scrollTop, whether more is below and its height; else null.
SCROLL_TO = """([selector, top]) => { const region = document.querySelector(selector);
  if (!region || region.scrollHeight <= region.clientHeight + 1) return null;
  const box = region.getBoundingClientRect();
  if (box.width === 0 || box.right <= 0 || box.left >= window.innerWidth) return null;
  region.scrollTop = top;
  return [region.scrollTop, region.scrollTop + region.clientHeight < region.scrollHeight - 1, region.clientHeight]; }"""


def shipped_event_id() -> str:
    """A shipped event whose card has the most parts: related events, a note and a provenance note."""
    events = load_dataset(PROJECT_ROOT / "events").events
    rich = events[
        (events["related"].map(len) > 0) & events["note"].astype(bool) & events["provenance_note"].astype(bool)
    ]
    return str((rich if not rich.empty else events)["id"].iloc[0])


@pytest.fixture(scope="module")
def axe_script() -> Path:
    if not AXE_SCRIPT.exists():
        pytest.fail(f"axe-core is not installed ({AXE_SCRIPT.relative_to(PROJECT_ROOT)} is missing): run `make axe`")
    return AXE_SCRIPT


@pytest.fixture(scope="module")
def event_id() -> str:
    return shipped_event_id()


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    env = {k: v for k, v in os.environ.items() if k != "KHM_KOREA_EVENTS_DIR"}
    with streamlit_server(PROJECT_ROOT / "dashboard.py", env=env) as (url, _process):
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("run `make chromium` (make test does)")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield launched
        finally:
            launched.close()


def axe_violations(page: Any, script: Path) -> list[dict[str, Any]]:
    """Inject axe-core into the page, run the WCAG 2.1 A/AA rules on the whole document, then the
    contrast rule at each screenful of every scrolling region; each (rule, element) listed once."""
    page.add_script_tag(path=str(script))
    found: dict[str, dict[str, Any]] = {}
    seen: set[tuple[str, str]] = set()

    def collect(results: dict[str, Any], where: str) -> None:
        for violation in results["violations"]:
            nodes = [n for n in violation["nodes"] if (violation["id"], str(n["target"])) not in seen]
            seen.update((violation["id"], str(n["target"])) for n in nodes)
            if nodes:
                entry = found.setdefault(violation["id"], {**violation, "nodes": []})
                entry["nodes"].extend({**n, "where": where} for n in nodes)

    collect(page.evaluate(RUN_AXE, WCAG_TAGS), "as loaded")
    for selector in SCROLLERS:
        top, last = 0, -1.0
        while (scrolled := page.evaluate(SCROLL_TO, [selector, top])) is not None:
            position, more, screen = scrolled
            if position <= last:  # it did not move: as far as it goes
                break
            page.wait_for_timeout(150)  # scrolling may redraw sticky headers and lazy parts
            collect(page.evaluate(RUN_CONTRAST), f"{selector} scrolled to {round(position)}px")
            if not more:
                break
            top, last = int(position + screen * 0.8), position
        page.evaluate(SCROLL_TO, [selector, 0])
    return list(found.values())


def describe(violation: dict[str, Any]) -> str:
    nodes = violation["nodes"]
    lines = [f"{violation['id']} ({violation['impact']}): {violation['help']} — {len(nodes)} element(s)"]
    for node in nodes[:NODES_SHOWN]:
        html = " ".join(str(node["html"]).split())
        lines.append(f"    {node['target']} ({node['where']}): {html[:200]}")
        summary = " ".join(str(node.get("failureSummary") or "").split())
        if summary:
            lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


# (viewport, view, colour scheme): every view at both sizes in the light theme, and the desktop in the dark
# theme (Streamlit follows the system's), with the no-results help and the Methods page too.
VIEWS = {
    "default": "/",
    "event-selected": "/?event={event}",
    "no-results": "/?q=zzzqqqx&category=agreements",
    "methods": "/methods",
}
CASES = [
    *((viewport, view, "light") for viewport in VIEWPORTS for view in ("default", "event-selected")),
    ("desktop", "no-results", "light"),
    ("desktop", "methods", "light"),
    ("desktop", "default", "dark"),
    ("desktop", "event-selected", "dark"),
]


@pytest.mark.parametrize("case", CASES, ids=["-".join(case) for case in CASES])
def test_no_serious_or_critical_wcag_violations(
    axe_script: Path, app_url: str, browser: Any, event_id: str, case: tuple[str, str, str]
) -> None:
    viewport, view, scheme = case
    width, height = VIEWPORTS[viewport]
    event = event_id if view == "event-selected" else None
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(app_url + VIEWS[view].format(event=event), wait_until="domcontentloaded")
        if view == "methods":
            page.locator("h1:has-text('Methods and codebook')").wait_for(timeout=60_000)
        else:
            page.locator(".st-key-timeline .main-svg").first.wait_for(state="visible", timeout=60_000)
        if event:
            page.locator(".st-key-detail-panel h3").first.wait_for(timeout=30_000)
            page.wait_for_function(f"() => location.search.includes('event={event}')", timeout=30_000)
        idle = IDLE if view != "methods" else IDLE_WITHOUT_CHART
        page.wait_for_function(idle, timeout=30_000)
        page.wait_for_timeout(500)  # let transitions (fade-in of elements, chart resize) finish
        page.wait_for_function(idle, timeout=30_000)
        failing = [v for v in axe_violations(page, axe_script) if v["impact"] in FAILING_IMPACTS]
        assert not failing, f"axe-core at {width}×{height}, {view}, {scheme}:\n" + "\n".join(
            describe(v) for v in failing
        )
    finally:
        context.close()
