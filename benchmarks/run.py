"""`make bench`: first view, interaction and scale, each beside a baseline measured in the same run.

    python -m benchmarks.run [--sizes 1000,10000,100000] [--repeats 5] [--out benchmarks/results.json]

Writes the numbers as JSON and prints the tables that benchmarks/README.md reports.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = ROOT / "dashboard.py"
BARE_APP = ROOT / "benchmarks" / "bare_app.py"
ENV_KEY = "KHM_KOREA_EVENTS_DIR"


def _median(values: list[float]) -> float:
    return float(statistics.median(values))


# --------------------------------------------------------------------------- first view (browser)
def first_view(repeats: int) -> dict[str, Any]:
    """Page request -> timeline drawn, headless Chromium, dashboard and bare app served side by side
    and measured alternately; each visit in a fresh browser context (no HTTP cache)."""
    from playwright.sync_api import sync_playwright

    from tests.browser_support import CHROMIUM, streamlit_server

    env = {k: v for k, v in os.environ.items() if k != ENV_KEY}
    times: dict[str, list[float]] = {"dashboard": [], "bare": []}
    with (
        streamlit_server(DASHBOARD, env) as (dash_url, _d),
        streamlit_server(BARE_APP, env) as (bare_url, _b),
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])

        def visit(url: str, ready: str) -> float:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            started = time.perf_counter()
            page.goto(url, wait_until="commit")
            page.locator(ready).first.wait_for(state="attached", timeout=120_000)
            elapsed = time.perf_counter() - started
            context.close()
            return elapsed

        dash_ready = ".st-key-timeline .shape-label-text"  # the lane names: drawn once the timeline is
        bare_ready = '[data-testid="stPlotlyChart"] .main-svg .scatterlayer'
        visit(dash_url, dash_ready)  # warm both servers: a reader meets a running server
        visit(bare_url, bare_ready)
        for _ in range(repeats):
            times["dashboard"].append(visit(dash_url, dash_ready))
            times["bare"].append(visit(bare_url, bare_ready))
        browser.close()
    dashboard, bare = _median(times["dashboard"]), _median(times["bare"])
    return {"dashboard_s": dashboard, "bare_s": bare, "ratio": dashboard / bare, "samples": times}


# --------------------------------------------------------------------------- interaction (server side)
def _rerun_times(script: Path, change: Any, repeats: int) -> list[float]:
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(script), default_timeout=300)
    app.run()
    samples = []
    for index in range(repeats):
        change(app, index)
        started = time.perf_counter()
        app.run()
        samples.append(time.perf_counter() - started)
        assert not app.exception, [e.value for e in app.exception]
    return samples


SEARCH_WORDS = (
    "korea",
    "visit",
    "loan",
    "embassy",
    "sanctions",
    "workers",
    "summit",
    "aid",
    "trade",
    "king",
    "minister",
    "agreement",
    "museum",
    "restaurant",
    "condolences",
    "missile",
    "flight",
    "grant",
    "court",
    "festival",
    "treaty",
    "police",
    "scam",
    "bridge",
    "road",
)


def _toggle_search(app: Any, index: int) -> None:
    """A different search each time: every rerun misses the figure cache (the honest case)."""
    app.text_input(key="search").set_value(SEARCH_WORDS[index % len(SEARCH_WORDS)] + str(index // 25 or ""))


def _toggle_lane(app: Any, index: int) -> None:
    """A different year range each time, alternating the lanes: again no cached figure to reuse."""
    app.multiselect(key="lanes").set_value(["KHM-PRK"] if index % 2 == 0 else ["KHM-PRK", "KHM-KOR", "context"])
    app.slider(key="years").set_range(1964 + index + 1, 2026)


def _select_event(app: Any, index: int) -> None:
    """A different event each time, as a click on a mark does: the card, Previous/Next, "Around this
    event" and the timeline's rule and window (a new figure: no cache to reuse)."""
    from pipeline.loading import events_dir_from_env, load_dataset

    ids = _select_event.__dict__.setdefault("ids", list(load_dataset(events_dir_from_env()).events["id"]))
    app.session_state["event"] = ids[(index * 37) % len(ids)]


def interaction(repeats: int) -> dict[str, Any]:
    os.environ.pop(ENV_KEY, None)
    dash_search = _rerun_times(DASHBOARD, _toggle_search, repeats)
    bare = _rerun_times(BARE_APP, _toggle_search, repeats)
    dash_lane = _rerun_times(DASHBOARD, _toggle_lane, repeats)
    dash_select = _rerun_times(DASHBOARD, _select_event, repeats)
    return {
        "dashboard_search_ms": 1000 * _median(dash_search),
        "dashboard_lane_ms": 1000 * _median(dash_lane),
        "dashboard_select_ms": 1000 * _median(dash_select),
        "bare_ms": 1000 * _median(bare),
        "ratio": _median(dash_search + dash_lane) / _median(bare),
    }


# --------------------------------------------------------------------------- scale (one child per size)
def scale_child(size: int, events_dir: Path, repeats: int) -> dict[str, Any]:
    """Runs in its own process, pinned to one core; prints one JSON object."""
    import psutil  # type: ignore[import-untyped]

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    from pipeline import loading

    phases: dict[str, float] = {"read": 0.0, "validate": 0.0, "table": 0.0}

    def timed(name: str, function: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                phases[name] += time.perf_counter() - started

        return wrapper

    for name, phase in (
        ("read_file", "read"),
        ("collect_records", "validate"),
        ("check_dataset", "validate"),
        ("events_table", "table"),
    ):
        setattr(loading, name, timed(phase, vars(loading)[name]))
    phases["build"] = 0.0
    setattr(loading, "load_dataset", timed("build", vars(loading)["load_dataset"]))  # noqa: B010

    from streamlit.testing.v1 import AppTest

    # The process plays the server: the app's first run loads the data cold (timed by phase),
    # later sessions find it cached.
    os.environ[ENV_KEY] = str(events_dir)
    started = time.perf_counter()
    first = AppTest.from_file(str(DASHBOARD), default_timeout=600).run()
    first_run_s = time.perf_counter() - started
    assert not first.exception, [e.value for e in first.exception]
    build_phases = dict(phases)
    reloads = []
    for _ in range(3):
        started = time.perf_counter()
        again = AppTest.from_file(str(DASHBOARD), default_timeout=600).run()
        reloads.append(time.perf_counter() - started)
        assert not again.exception
    reruns = []
    for index in range(repeats):  # a new year range each time: the figures are rebuilt, not cached
        again.slider(key="years").set_range(1964 + index + 1, 2026 - index)
        started = time.perf_counter()
        again.run()
        reruns.append(time.perf_counter() - started)
        assert not again.exception
    gc.collect()
    rss = psutil.Process().memory_info().rss

    from figures.timeline import TimelineOptions, counts_figure, timeline_figure

    dataset = loading.load_dataset(events_dir)  # after the memory reading: a second copy
    started = time.perf_counter()
    lanes = ("KHM-PRK", "KHM-KOR", "context")
    timeline = timeline_figure(dataset.events, dataset.periods, TimelineOptions())
    counts = counts_figure(dataset.events, lanes, TimelineOptions().x_range)
    figures_s = time.perf_counter() - started
    payload = len(timeline.to_json()) + len(counts.to_json())
    marks = sum(len(trace.x) for trace in timeline.data if trace.type == "scatter" and trace.x is not None)
    build_s = build_phases.pop("build")
    return {
        "size": size,
        "build_s": build_s,
        "phases_s": build_phases,
        "figures_s": figures_s,
        "figure_payload_bytes": payload,
        "app_first_run_s": first_run_s,
        "cached_reload_s": _median(reloads),
        "filter_rerun_s": _median(reruns),
        "rss_bytes": rss,
        "marks_drawn": marks,
    }


def scale(sizes: list[int], repeats: int) -> list[dict[str, Any]]:
    from benchmarks.generate import generate

    results = []
    with tempfile.TemporaryDirectory(prefix="khm-bench-") as scratch:
        for size in sizes:
            events_dir = generate(size, Path(scratch) / f"events-{size}")
            output = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "benchmarks.run",
                    "--scale-child",
                    str(size),
                    str(events_dir),
                    "--repeats",
                    str(repeats),
                ],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
                timeout=1800,
            )
            results.append(json.loads(output.stdout.strip().splitlines()[-1]))
    return results


# --------------------------------------------------------------------------- report
def dominant(row: dict[str, Any]) -> str:
    costs = {**{f"{k} (build)": v for k, v in row["phases_s"].items()}, "figures": row["figures_s"]}
    name = max(costs, key=lambda key: costs[key])
    return f"{name}: {costs[name]:.2f} s"


def report(results: dict[str, Any]) -> str:
    lines = [f"Machine: {results['machine']}; {results['date']}", ""]
    view = results.get("first_view")
    if view:
        samples = len(view["samples"]["bare"])
        lines += [
            f"| first view (median of {samples}) | dashboard | bare app | ratio | target |",
            "|---|---|---|---|---|",
            f"| request → timeline drawn | {view['dashboard_s']:.2f} s | {view['bare_s']:.2f} s | "
            f"{view['ratio']:.2f}× | ≤ 1.3× |",
            "",
        ]
    act = results.get("interaction")
    if act:
        lines += [
            "| rerun after a filter change (shipped data) | dashboard | bare app | ratio | target |",
            "|---|---|---|---|---|",
            f"| search / lane | {act['dashboard_search_ms']:.0f} / {act['dashboard_lane_ms']:.0f} ms | "
            f"{act['bare_ms']:.0f} ms | {act['ratio']:.2f}× | ≤ 100 ms, ≤ 2× |",
            f"| select an event (card, around, rule) | {act.get('dashboard_select_ms', float('nan')):.0f} ms | "
            f"{act['bare_ms']:.0f} ms | {act.get('dashboard_select_ms', float('nan')) / act['bare_ms']:.1f}× | "
            "≤ 300 ms |",
            "",
        ]
    rows = results.get("scale") or []
    if rows:
        lines += [
            "| events | cold build (1 core) | cached reload | filter rerun | figure payload | marks | RSS | "
            "dominant cost |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for row in rows:
            lines.append(
                f"| {row['size']:,} | {row['build_s']:.2f} s | {row['cached_reload_s']:.2f} s | "
                f"{1000 * row['filter_rerun_s']:.0f} ms | {row['figure_payload_bytes'] / 1e6:.2f} MB | "
                f"{row['marks_drawn']:,} | {row['rss_bytes'] / 2**20:.0f} MiB | {dominant(row)} |"
            )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results.json"))
    parser.add_argument("--skip", default="", help="comma list of: first_view, interaction, scale")
    parser.add_argument("--scale-child", nargs=2, metavar=("SIZE", "DIR"))
    args = parser.parse_args()
    if args.scale_child:
        print(json.dumps(scale_child(int(args.scale_child[0]), Path(args.scale_child[1]), args.repeats)))
        return 0
    skip = set(args.skip.split(","))
    results: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    if "interaction" not in skip:
        results["interaction"] = interaction(max(args.repeats * 2 + 1, 11))
    if "first_view" not in skip:
        results["first_view"] = first_view(args.repeats)
    if "scale" not in skip:
        results["scale"] = scale([int(s) for s in args.sizes.split(",")], args.repeats)
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
