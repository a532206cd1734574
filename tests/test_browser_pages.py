"""A real browser between the two pages: the Methods page opens from the navigation, and going back
to the timeline keeps the reader's filters and link (the timeline restores dropped widget state)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser_support import CHROMIUM, PROJECT_ROOT, streamlit_server

pytestmark = pytest.mark.browser

sync_api = pytest.importorskip("playwright.sync_api")
SUMMARY = "text=/\\d+ of \\d+ events/"


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="run `make chromium` (make test does)")
def test_methods_page_and_back_keeps_the_view() -> None:
    env = {k: v for k, v in os.environ.items() if k != "KHM_KOREA_EVENTS_DIR"}
    with streamlit_server(PROJECT_ROOT / "dashboard.py", env=env) as (url, _process), sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url + "/?lane=KHM-PRK&from=2016", wait_until="domcontentloaded")
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
        finally:
            browser.close()
