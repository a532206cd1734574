"""`make loadtest`: 25 concurrent readers against `streamlit run dashboard.py` on loopback.

Each reader is a real browser context (Debian's chromium via Playwright): it opens the page,
waits for the timeline, searches, waits for the new count, and downloads the CSV. Reported:
successes, the p50/p95 time from a filter change to the updated page, and the server's
resident memory after one session and at its peak under all 25 (target: within 2x).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

import psutil  # type: ignore[import-untyped]
from playwright.async_api import Browser, async_playwright

from tests.browser_support import CHROMIUM, PROJECT_ROOT, streamlit_server

SEARCHES = ["korea", "pyongyang", "loan", "visit", "sanctions", "sihanouk", "embassy", "workers", "summit"]
SUMMARY = "text=/\\d+ of \\d+ events/"


async def one_reader(browser: Browser, url: str, number: int) -> dict[str, Any]:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = await context.new_page()
    try:
        started = time.perf_counter()
        await page.goto(url, wait_until="commit")
        await page.locator('[data-testid="stPlotlyChart"] .ytick text').first.wait_for(state="attached",
                                                                                      timeout=180_000)
        first_view = time.perf_counter() - started
        term = SEARCHES[number % len(SEARCHES)]
        search = page.get_by_role("textbox", name="Search")
        await search.fill(term)
        started = time.perf_counter()
        await search.press("Enter")
        await page.wait_for_function(
            f"() => document.body.innerText.includes('search: “{term}”')", timeout=180_000)
        rerun = time.perf_counter() - started
        async with page.expect_download(timeout=180_000) as download_info:
            await page.get_by_role("button", name="Download CSV").click()
        download = await download_info.value
        path = await download.path()
        payload = Path(path).read_bytes() if path else b""
        ok = payload.startswith(b"id,dyad,") and term in download.suggested_filename
        return {"ok": ok, "first_view_s": first_view, "rerun_s": rerun, "csv_bytes": len(payload)}
    except Exception as error:
        return {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}
    finally:
        await context.close()


class MemoryWatch:
    """Samples the server's RSS every 0.2 s in a thread; keeps the peak."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.2)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


async def run(readers: int) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k != "KHM_KOREA_EVENTS_DIR"}
    with streamlit_server(PROJECT_ROOT / "dashboard.py", env) as (url, server):
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            single = await one_reader(browser, url, 0)
            await asyncio.sleep(1)
            one_session_rss = psutil.Process(server.pid).memory_info().rss
            with MemoryWatch(server.pid) as watch:
                started = time.perf_counter()
                results = await asyncio.gather(*(one_reader(browser, url, n) for n in range(readers)))
                wall = time.perf_counter() - started
            await browser.close()
    good = [r for r in results if r["ok"]]
    reruns = sorted(r["rerun_s"] for r in good)
    p95 = reruns[max(0, round(0.95 * len(reruns)) - 1)] if reruns else float("nan")
    return {
        "readers": readers, "succeeded": len(good), "wall_s": wall, "single_session_ok": single["ok"],
        "rerun_p50_s": statistics.median(reruns) if reruns else float("nan"), "rerun_p95_s": p95,
        "first_view_p95_s": sorted(r["first_view_s"] for r in good)[max(0, round(0.95 * len(good)) - 1)]
        if good else float("nan"),
        "server_rss_one_session_mib": one_session_rss / 2**20, "server_rss_peak_mib": watch.peak / 2**20,
        "memory_ratio": watch.peak / one_session_rss,
        "errors": [r["error"] for r in results if not r["ok"] and "error" in r],
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--readers", type=int, default=25)
    parser.add_argument("--out", default=str(PROJECT_ROOT / "benchmarks" / "loadtest.json"))
    args = parser.parse_args()
    result = asyncio.run(run(args.readers))
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    passed = result["succeeded"] == args.readers and result["memory_ratio"] <= 2.0
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
