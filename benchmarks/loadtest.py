"""`make loadtest`: 25 concurrent sessions against `streamlit run dashboard.py` on loopback.

Each reader is a websocket client speaking Streamlit's own protocol (the messages its
frontend sends): it opens a session, changes the search filter, then the lanes filter, and
takes the "Download CSV" / "Download JSON" links the page now carries. Then all readers wait
for each other, and each fetches its two files *while the others rerun*: between its own
fetches a reader reruns a second session with other filters, so every download is
interleaved with dozens of reruns elsewhere (a rerun's end is when Streamlit deletes files
no session references; a deferred download was such a file, and vanished: HTTP 404).
Both files must equal the pipeline's export for those filters, byte for byte. Reported: successes,
p50/p95 rerun time (filter change sent -> script finished, over loopback), and the server's
resident memory after one session and at its peak under all sessions (target: within 2x).
Browser contexts would measure 25 Chromium renderers on two cores instead of the server.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psutil  # type: ignore[import-untyped]
import websocket
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from pipeline.export import to_csv_bytes, to_json_bytes
from pipeline.filters import filter_events, make_filter
from pipeline.loading import DEFAULT_EVENTS_DIR, load_dataset
from tests.browser_support import PROJECT_ROOT, streamlit_server

SEARCHES = ["korea", "pyongyang", "loan", "visit", "sanctions", "sihanouk", "embassy", "workers", "summit"]
LANES = [["KHM-PRK"], ["KHM-KOR"], ["KHM-PRK", "context"]]


class Session:
    """One reader's websocket session."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.socket = websocket.create_connection(base_url.replace("http", "ws", 1) + "/_stcore/stream", timeout=300)
        self.session_id = ""
        self.page_script_hash = ""
        self.widgets: dict[str, str] = {}  # key suffix -> widget id
        self.downloads: dict[str, str] = {}  # "csv" / "json" -> the download's media URL

    def _receive_until(self, wanted: str) -> ForwardMsg:
        while True:
            message = ForwardMsg()
            message.ParseFromString(self.socket.recv())
            kind = message.WhichOneof("type")
            if kind == "new_session":
                self.session_id = message.new_session.initialize.session_id or self.session_id
                # The page that ran (st.navigation): reruns name it, as the browser does, or Streamlit
                # takes them for a change of page and drops the other widgets' state.
                self.page_script_hash = message.new_session.page_script_hash or self.page_script_hash
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                element = message.delta.new_element
                which = element.WhichOneof("type")
                if which in ("text_input", "multiselect", "download_button"):
                    widget = getattr(element, which)
                    key = widget.id.rsplit("-", 1)[-1]  # "$$ID-<hash>-search" -> "search"; "…-download-csv" -> "csv"
                    self.widgets[key] = widget.id
                    if which == "download_button":
                        self.downloads[key] = widget.url
            elif kind == "session_event" and message.session_event.WhichOneof("type") == "script_compilation_exception":
                raise RuntimeError("script error")
            if kind == wanted:
                return message

    def run(self, query: str = "", states: list[tuple[str, str, Any]] | None = None) -> float:
        request = BackMsg()
        request.rerun_script.query_string = query
        request.rerun_script.page_script_hash = self.page_script_hash
        for key, kind, value in states or []:
            state = request.rerun_script.widget_states.widgets.add()
            state.id = self.widgets[key]
            if kind == "string":
                state.string_value = value
            else:
                state.string_array_value.data.extend(value)
        started = time.perf_counter()
        self.socket.send_binary(request.SerializeToString())
        self._receive_until("script_finished")
        return time.perf_counter() - started

    def fetch(self, kind: str) -> bytes:
        """GET the download link the page carries, as the browser does on a click."""
        with urllib.request.urlopen(self.base_url + self.downloads[kind], timeout=300) as reply:
            return bytes(reply.read())

    def close(self) -> None:
        self.socket.close()


Expected = dict[tuple[str, tuple[str, ...]], tuple[bytes, bytes]]


def reader(base_url: str, number: int, expected: Expected, barrier: threading.Barrier | None) -> dict[str, Any]:
    term, lanes = SEARCHES[number % len(SEARCHES)], LANES[number % len(LANES)]
    other_term = SEARCHES[(number + 4) % len(SEARCHES)]
    try:
        session = Session(base_url)
        first = session.run()
        reruns = [
            session.run(states=[("search", "string", term)]),
            session.run(states=[("search", "string", term), ("lanes", "array", lanes)]),
        ]
        elsewhere = Session(base_url)  # the same reader in another tab: its reruns interleave with the fetches
        elsewhere.run()
        if barrier is not None:
            barrier.wait(timeout=600)  # every reader holds its links; now all rerun and fetch at once
        reruns.append(elsewhere.run(states=[("search", "string", other_term)]))
        csv = session.fetch("csv")
        reruns.append(elsewhere.run(states=[("search", "string", term + " " + other_term)]))
        json_payload = session.fetch("json")
        reruns.append(elsewhere.run(states=[("search", "string", "")]))
        session.close()
        elsewhere.close()
        wanted_csv, wanted_json = expected[(term, tuple(lanes))]
        return {
            "ok": csv == wanted_csv and same_events(json_payload, wanted_json),
            "first_run_s": first,
            "reruns_s": reruns,
            "csv_bytes": len(csv),
            "json_bytes": len(json_payload),
        }
    except Exception as error:
        if barrier is not None:
            barrier.abort()
        return {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}


class MemoryWatch:
    """Samples a process's RSS every 0.1 s in a thread; keeps the peak."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.1)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def same_events(payload: bytes, wanted: bytes) -> bool:
    """The JSON download is byte for byte the export of the same view (an array of events, each
    naming its data version; nothing in it depends on the address the reader used)."""
    return payload == wanted


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(share * len(ordered)) - 1)] if ordered else float("nan")


def run(readers: int) -> dict[str, Any]:
    dataset = load_dataset(DEFAULT_EVENTS_DIR)
    expected: Expected = {}
    for term in SEARCHES:
        for lanes in LANES:
            shown = filter_events(dataset.events, make_filter(dyads=lanes, search=term, names=dataset.names))
            metadata = {"version": dataset.version.label}
            expected[(term, tuple(lanes))] = (to_csv_bytes(shown), to_json_bytes(shown, metadata))
    env = {k: v for k, v in os.environ.items() if k != "KHM_KOREA_EVENTS_DIR"}
    with streamlit_server(PROJECT_ROOT / "dashboard.py", env) as (url, server):
        single = reader(url, 0, expected, None)
        time.sleep(1)
        one_session_rss = psutil.Process(server.pid).memory_info().rss
        with MemoryWatch(server.pid) as watch, ThreadPoolExecutor(max_workers=readers) as pool:
            started = time.perf_counter()
            barrier = threading.Barrier(readers)
            results = list(pool.map(lambda n: reader(url, n, expected, barrier), range(readers)))
            wall = time.perf_counter() - started
    good = [r for r in results if r["ok"]]
    reruns = [t for r in good for t in r["reruns_s"]]
    return {
        "readers": readers,
        "succeeded": len(good),
        "byte_identical_downloads": f"{len(good)}/{readers}",
        "reruns_interleaved_with_downloads": True,
        "single_session_ok": single["ok"],
        "wall_s": wall,
        "rerun_p50_ms": 1000 * statistics.median(reruns) if reruns else float("nan"),
        "rerun_p95_ms": 1000 * percentile(reruns, 0.95),
        "first_run_p95_ms": 1000 * percentile([r["first_run_s"] for r in good], 0.95),
        "single_session_rerun_ms": [round(1000 * t) for t in single.get("reruns_s", [])],
        "server_rss_one_session_mib": round(one_session_rss / 2**20, 1),
        "server_rss_peak_mib": round(watch.peak / 2**20, 1),
        "memory_ratio": round(watch.peak / one_session_rss, 3),
        "errors": [r["error"] for r in results if not r["ok"] and "error" in r][:5],
        "mismatched_downloads": sum(1 for r in results if not r["ok"] and "error" not in r),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--readers", type=int, default=25)
    parser.add_argument("--out", default=str(PROJECT_ROOT / "benchmarks" / "loadtest.json"))
    args = parser.parse_args()
    result = run(args.readers)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    passed = result["succeeded"] == args.readers and result["memory_ratio"] <= 2.0
    print(
        f"{result['byte_identical_downloads']} readers got byte-identical CSV and JSON downloads, "
        "fetched while the others reran"
    )
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
