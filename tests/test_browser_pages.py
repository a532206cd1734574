"""A real browser between pages and history entries: the Methods page opens from the navigation, and
going back to the timeline keeps the reader's filters and link (the timeline restores dropped widget
state); Back and Forward after a filter change bring the view back to what the URL says; an event can
be opened with the keyboard alone."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser_support import CHROMIUM, PROJECT_ROOT, streamlit_server

pytestmark = pytest.mark.browser

sync_api = pytest.importorskip("playwright.sync_api")
SUMMARY = "text=/\\d+ of \\d+ events/"


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    """One server on the shipped data for this module's tests (each opens its own session)."""
    env = {k: v for k, v in os.environ.items() if k != "KHM_KOREA_EVENTS_DIR"}
    with streamlit_server(PROJECT_ROOT / "dashboard.py", env=env) as (url, _process):
        yield url


@pytest.fixture
def page() -> Iterator[Any]:
    """A fresh 1400×1000 page in Debian's Chromium."""
    if not Path(CHROMIUM).exists():
        pytest.skip("run `make chromium` (make test does)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield browser.new_page(viewport={"width": 1400, "height": 1000})
        finally:
            browser.close()


def test_methods_page_and_back_keeps_the_view(app_url: str, page: Any) -> None:
    page.goto(app_url + "/?lane=KHM-PRK&from=2016", wait_until="domcontentloaded")
    page.locator(SUMMARY).first.wait_for(timeout=60_000)
    before = page.locator(SUMMARY).first.inner_text()
    page.get_by_role("link", name="Methods and codebook").first.click()
    page.locator("h1:has-text('Methods and codebook')").wait_for(timeout=30_000)
    page.locator("h2:has-text('Quad classes (PLOVER)')").wait_for(timeout=30_000)
    page.get_by_role("link", name="Timeline").first.click()
    page.locator(SUMMARY).first.wait_for(timeout=30_000)
    page.wait_for_function("() => /lane=KHM-PRK/.test(location.search)", timeout=30_000)
    assert page.locator(SUMMARY).first.inner_text() == before
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "from=2016" in page.url and "v=" in page.url


def test_back_and_forward_after_a_filter_change_restore_the_view_the_url_describes(app_url: str, page: Any) -> None:
    page.goto(app_url + "/?lane=KHM-PRK&from=2016", wait_until="domcontentloaded")
    page.locator(SUMMARY).first.wait_for(timeout=60_000)
    page.wait_for_function("() => /v=/.test(location.search)", timeout=30_000)
    before = page.locator(SUMMARY).first.inner_text()
    search = page.get_by_role("textbox", name="Search")
    search.fill("sanctions")
    search.press("Enter")
    page.wait_for_function("() => /q=sanctions/.test(location.search)", timeout=30_000)
    page.wait_for_function(f"() => !document.body.innerText.includes({before!r})", timeout=30_000)
    after = page.locator(SUMMARY).first.inner_text()

    page.go_back()
    page.wait_for_function("() => !/q=/.test(location.search)", timeout=30_000)
    page.wait_for_function(f"() => document.body.innerText.includes({before!r})", timeout=30_000)
    # the widget follows the URL too (its value arrives with the rerun's last messages)
    sync_api.expect(page.get_by_role("textbox", name="Search")).to_have_value("", timeout=30_000)
    assert "lane=KHM-PRK" in page.url and "from=2016" in page.url

    page.go_forward()
    page.wait_for_function("() => /q=sanctions/.test(location.search)", timeout=30_000)
    page.wait_for_function(f"() => document.body.innerText.includes({after!r})", timeout=30_000)
    sync_api.expect(page.get_by_role("textbox", name="Search")).to_have_value("sanctions", timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0


def test_an_event_opens_with_the_keyboard_alone(app_url: str, page: Any) -> None:
    page.goto(app_url + "/?lane=KHM-KOR", wait_until="domcontentloaded")
    page.locator(SUMMARY).first.wait_for(timeout=60_000)
    picker = page.get_by_label("Select event")
    picker.focus()
    page.keyboard.type("restore diplomatic relations")
    page.keyboard.press("Enter")
    page.wait_for_function("() => /event=khm-kor-1997-10-30/.test(location.search)", timeout=30_000)
    card = page.locator(".st-key-detail-panel")
    card.get_by_text("restore diplomatic relations").first.wait_for(timeout=30_000)
    # Previous/Next are reachable with Tab and work with Enter
    next_button = page.get_by_role("button", name="Next in lane ▶")
    next_button.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => !/event=khm-kor-1997-10-30/.test(location.search)", timeout=30_000)
    assert "event=khm-kor-" in page.url
