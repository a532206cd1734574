"""A real browser in the reader's colour scheme and on a phone: the plots follow a dark theme, the lane
names stay above the lanes where the phone CSS hides the band labels, and on a touch screen the modebar
never covers a chart's title."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from figures.style import DARK, LIGHT
from tests.browser_support import CHROMIUM, PROJECT_ROOT, streamlit_server

pytestmark = pytest.mark.browser

sync_api = pytest.importorskip("playwright.sync_api")
LANES = ["Cambodia–North Korea", "Cambodia–South Korea", "Context (both Koreas)"]
STATE = """() => {
  const chart = document.querySelector('.st-key-timeline');
  const plot = chart.querySelector('.nsewdrag').getBoundingClientRect();
  return {
    plot: [plot.left, plot.top, plot.right, plot.bottom],
    background: chart.querySelector('.bg').style.fill,
    bands: [...chart.querySelectorAll('.infolayer .annotation')].map(a => getComputedStyle(a).display),
    lanes: [...chart.querySelectorAll('.shape-label-text')].filter(t => t.textContent.startsWith('C')).map(t => {
      const box = t.getBoundingClientRect();
      return [t.textContent, getComputedStyle(t).display, box.left, box.top, box.bottom, box.width];
    }),
    modebars: [...document.querySelectorAll('[data-testid="stPlotlyChart"] .modebar-container')].map(
      m => getComputedStyle(m).display),
  };
}"""


def rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def _open(browser: Any, url: str, *, scheme: str, width: int, height: int, phone: bool) -> Any:
    context = browser.new_context(
        viewport={"width": width, "height": height}, color_scheme=scheme, is_mobile=phone, has_touch=phone
    )
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    page.locator(".st-key-timeline .shape-label-text").first.wait_for(timeout=90_000)
    page.locator(".st-key-counts .main-svg").first.wait_for(timeout=60_000)
    return page


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="run `make chromium` (make test does)")
def test_dark_phone_and_light_desktop() -> None:
    env = {k: v for k, v in os.environ.items() if k != "KHM_KOREA_EVENTS_DIR"}
    with streamlit_server(PROJECT_ROOT / "dashboard.py", env=env) as (url, _process), sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            phone = _open(browser, url, scheme="dark", width=390, height=844, phone=True)
            state = phone.evaluate(STATE)
            assert state["background"] == rgb(DARK.plot)
            assert state["bands"] and set(state["bands"]) == {"none"}  # band labels hidden on a phone
            assert [lane[0] for lane in state["lanes"]] == LANES  # lane names are not
            left, top, right, bottom = state["plot"]
            previous_bottom = top
            for name, display, x, name_top, name_bottom, name_width in state["lanes"]:
                assert display != "none" and name_width > 0, name
                assert abs(x - left) < 8 and x + name_width < right, name  # at the plot's left edge, inside
                assert previous_bottom <= name_top and name_bottom < bottom, name  # top to bottom, no overlap
                previous_bottom = name_bottom
            # A tap on a chart shows no modebar over its title.
            counts = phone.locator(".st-key-counts")
            counts.scroll_into_view_if_needed()
            counts.tap()
            phone.wait_for_timeout(500)
            assert set(phone.evaluate(STATE)["modebars"]) == {"none"}
            covered = phone.evaluate(
                """() => {
                  const title = document.querySelector('.st-key-counts .gtitle').getBoundingClientRect();
                  const hit = document.elementFromPoint(title.left + title.width / 2, title.top + title.height / 2);
                  const own = hit.closest('.st-key-counts .svg-container') && !hit.closest('.modebar-container');
                  return own ? '' : hit.outerHTML.slice(0, 200);
                }"""
            )
            assert covered == ""
            phone.context.close()

            desktop = _open(browser, url, scheme="light", width=1400, height=1000, phone=False)
            state = desktop.evaluate(STATE)
            assert state["background"] == rgb(LIGHT.plot)
            assert state["bands"] and "none" not in state["bands"]  # band labels shown on a wide screen
            assert [lane[0] for lane in state["lanes"]] == LANES
            desktop.context.close()
        finally:
            browser.close()
