"""A real browser (Debian's chromium driven by Playwright) against `streamlit run`:
the chart draws with both lanes, a filter changes, the CSV download equals the CLI export,
the footer names the data version, and the data package downloads and validates."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pipeline.loading import load_dataset
from tests.browser_support import CHROMIUM, PROJECT_ROOT, streamlit_server

pytestmark = pytest.mark.browser

sync_api = pytest.importorskip("playwright.sync_api")


def cli_export(*args: str) -> bytes:
    env = {k: v for k, v in os.environ.items() if k != "KHM_KOREA_EVENTS_DIR"}
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "export", "--format", "csv", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="run `make chromium` (make test does)")
def test_load_filter_and_download_csv(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "KHM_KOREA_EVENTS_DIR"}
    with streamlit_server(PROJECT_ROOT / "dashboard.py", env=env) as (url, _process), sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
            page = context.new_page()
            page.goto(url, wait_until="domcontentloaded")
            chart = page.locator('[data-testid="stPlotlyChart"] .main-svg').first
            chart.wait_for(state="visible", timeout=60_000)
            # the lane names are shape labels, drawn once the timeline is (the sidebar's chips say them too)
            page.wait_for_function(
                "() => [...document.querySelectorAll('.st-key-timeline .shape-label-text')]"
                ".some(t => t.textContent === 'Cambodia–South Korea')",
                timeout=60_000,
            )
            names = page.locator(".st-key-timeline .shape-label-text").evaluate_all(
                "els => els.map(e => e.textContent)"
            )
            assert "Cambodia–North Korea" in names and "Cambodia–South Korea" in names
            summary = page.locator("text=/\\d+ of \\d+ events/").first
            total = int(re.search(r"(\d+) of (\d+)", summary.inner_text()).group(2))  # type: ignore[union-attr]

            search = page.get_by_role("textbox", name="Search")
            search.fill("restaurant")
            search.press("Enter")
            page.wait_for_function(
                "() => /filtered by/.test(document.body.innerText) && /restaurant/.test(location.search)",
                timeout=30_000,
            )
            shown = page.locator("text=/\\d+ of \\d+ events/").first.inner_text()
            count = int(re.search(r"(\d+) of", shown).group(1))  # type: ignore[union-attr]
            assert 0 < count < total

            with page.expect_download(timeout=30_000) as download_info:
                page.get_by_role("button", name="Download CSV").click()
            download = download_info.value
            version = load_dataset(PROJECT_ROOT / "events").version
            assert download.suggested_filename == f"khm-korea-events_{version.slug()}_search-restaurant.csv"
            saved = tmp_path / download.suggested_filename
            download.save_as(saved)
            payload = saved.read_bytes()
            assert payload == cli_export("--search", "restaurant")
            assert payload.count(b"\r\n") == count + 1
            footer = page.locator('[data-testid="stCaptionContainer"]').filter(has_text=f"Data version {version.label}")
            footer.first.wait_for(timeout=30_000)

            with page.expect_download(timeout=30_000) as download_info:
                page.get_by_role("button", name="Download data package").click()
            package = download_info.value
            assert package.suggested_filename == f"khm-korea-events_{version.slug()}_search-restaurant.zip"
            package.save_as(tmp_path / "package.zip")
            frictionless = pytest.importorskip("frictionless")
            with zipfile.ZipFile(tmp_path / "package.zip") as archive:
                archive.extractall(tmp_path / "package")
            report = frictionless.validate(str(tmp_path / "package" / "datapackage.json"))
            assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])

            # Copy link: the permalink's copy button puts the view's link, pinned to the version, on the clipboard.
            page.get_by_text("Link to this view · Cite this view").click()
            link_box = page.locator('[data-testid="stCode"]').filter(has_text="v=").first
            link_box.wait_for(timeout=30_000)
            page.wait_for_timeout(600)  # the expander's opening animation moves what is inside it
            link_box.hover()
            copy = link_box.get_by_role("button", name="Copy to clipboard")
            copy.wait_for(timeout=30_000)
            page.wait_for_timeout(300)  # the button fades in on hover
            copy.click(timeout=60_000)
            copied = page.evaluate("() => navigator.clipboard.readText()")
            assert copied.startswith(url) and copied.endswith(f"?q=restaurant&v={version.label}"), copied
            page.screenshot(path=str(tmp_path / "page.png"), full_page=False)
        finally:
            browser.close()


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="run `make chromium` (make test does)")
def test_clicking_a_mark_shows_its_card_beside_the_chart_without_scrolling(tmp_path: Path) -> None:
    from tests.synthetic import write_synthetic

    events_dir = write_synthetic(tmp_path / "events")
    env = {**os.environ, "KHM_KOREA_EVENTS_DIR": str(events_dir)}
    with streamlit_server(PROJECT_ROOT / "dashboard.py", env=env) as (url, _process), sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
            page.goto(url, wait_until="domcontentloaded")
            chart = page.locator(".st-key-timeline .main-svg").first
            chart.wait_for(state="visible", timeout=60_000)
            page.get_by_text("Select an event in the timeline").wait_for(timeout=30_000)
            # Hovering a band (the regime strip above the lanes) names it, with its dates and sources.
            plot_area = page.locator(".st-key-timeline .nsewdrag").first.bounding_box()
            assert plot_area is not None
            page.mouse.move(plot_area["x"] + plot_area["width"] * 0.35, plot_area["y"] + plot_area["height"] * 0.05)
            page.wait_for_function(
                "() => /Cambodia's regime/.test(document.querySelector('.st-key-timeline .hoverlayer').textContent)",
                timeout=10_000,
            )
            assert "Sources:" in (page.locator(".st-key-timeline .hoverlayer").text_content() or "")
            shapes_before = page.locator(".st-key-timeline .shapelayer path").count()  # lane names, separators
            # A mark: click where it is drawn.
            point = page.locator(".st-key-timeline .scatterlayer .trace .points path").nth(20)
            point.wait_for(timeout=30_000)
            box = point.bounding_box()
            assert box is not None
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.wait_for_function("() => /event=syn-/.test(location.search)", timeout=30_000)
            heading = page.locator(".st-key-detail-panel h3").first
            heading.wait_for(timeout=30_000)
            assert heading.inner_text().startswith("Synthetic")
            card, plot = heading.bounding_box(), chart.bounding_box()
            assert card is not None and plot is not None
            assert card["y"] >= 0 and card["y"] + card["height"] <= 1000  # in view, no scrolling
            assert card["x"] >= plot["x"] + plot["width"] - 5  # beside the chart, to its right
            assert page.get_by_role("button", name="Next any lane ▶").is_visible()
            page.wait_for_function(
                f"() => document.querySelectorAll('.st-key-timeline .shapelayer path').length > {shapes_before}",
                timeout=30_000,
            )  # the selected event's rule and "around" window
            page.screenshot(path=str(tmp_path / "selected-1400.png"))
            # The slide image download: a 1600 px PNG made by kaleido in the server.
            page.get_by_role("button", name="Make slide images (PNG and SVG)").click()
            with page.expect_download(timeout=120_000) as download_info:
                page.get_by_role("button", name="Image for slides (PNG)").click(timeout=120_000)
            image = tmp_path / download_info.value.suggested_filename
            download_info.value.save_as(image)
            payload = image.read_bytes()
            assert payload[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(payload[16:20], "big") >= 1600
        finally:
            browser.close()


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="run `make chromium` (make test does)")
def test_zooming_with_the_years_filter_lays_the_band_labels_out_again_and_the_chart_has_no_client_zoom() -> None:
    env = {k: v for k, v in os.environ.items() if k != "KHM_KOREA_EVENTS_DIR"}
    with streamlit_server(PROJECT_ROOT / "dashboard.py", env=env) as (url, _process), sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url, wait_until="domcontentloaded")
            labels = page.locator(".st-key-timeline .infolayer .annotation-text")
            labels.first.wait_for(timeout=60_000)
            assert "UNTAC" not in labels.all_text_contents()  # 1992–93 is too narrow to label at 1964–2026
            ticks_before = page.locator(".st-key-timeline .xtick text").all_text_contents()
            area = page.locator(".st-key-timeline .nsewdrag").first.bounding_box()
            assert area is not None
            y = area["y"] + area["height"] * 0.55  # a drag across the lanes changes nothing
            page.mouse.move(area["x"] + area["width"] * 0.4, y)
            page.mouse.down()
            page.mouse.move(area["x"] + area["width"] * 0.6, y, steps=10)
            page.mouse.up()
            page.wait_for_timeout(1000)
            assert page.locator(".st-key-timeline .xtick text").all_text_contents() == ticks_before
            # The Years filter (here from the link) zooms, and the labels are laid out for its years.
            page.goto(url + "/?from=1988&to=1999", wait_until="domcontentloaded")
            page.wait_for_function(
                "() => [...document.querySelectorAll('.st-key-timeline .infolayer .annotation-text')]"
                ".some(t => t.textContent === 'UNTAC')",
                timeout=60_000,
            )
            assert page.get_by_text("filtered by dates: 1988 to 1999").first.is_visible()
        finally:
            browser.close()
