"""Shared fixtures: tiny inline datasets written to a temporary events directory."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from streamlit.testing.v1 import AppTest

from pipeline.loading import Dataset, load_dataset
from pipeline.schema import EVENTS_DIR_ENV

# Under mutation testing (mutmut sets MUTANT_UNDER_TEST) each mutant reruns the tests: fewer examples.
settings.register_profile("mutation", max_examples=15, deadline=None)
if os.environ.get("MUTANT_UNDER_TEST"):
    settings.load_profile("mutation")


@pytest.fixture(autouse=True)
def _fresh_date_cache() -> None:
    """parse_span memoizes; a result cached by an earlier test (or, under mutation testing, by the
    process a mutant's run was forked from) must not hide what the code under test does now."""
    from pipeline.dates import parse_span

    parse_span.cache_clear()


def examples(count: int) -> int:
    """A test's Hypothesis example count, cut down under mutation testing."""
    return min(count, 15) if os.environ.get("MUTANT_UNDER_TEST") else count


PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHIPPED_EVENTS = PROJECT_ROOT / "events"

SOURCES = """\
sources:
  - id: src-one
    title: First source
    publisher: Example News
    published: 2020-05
    url: https://example.org/one
    kind: news_report
    access: original
    language: en
  - id: src-two
    title: Second source
    publisher: Example Archive
    published: "1999"
    url: https://example.org/two
    kind: archival_document
    access: original
    language: en
"""

HOSTS = """\
hosts:
  - {host: example.org, role: original, note: an example publisher}
  - {host: reposts.example.net, role: repost}
  - {host: web.archive.org, role: mirror}
  - {host: blog.example.com, role: weak, note: a personal blog}
  - {host: wiki.example.com, role: reference}
"""

NAMES = """\
names:
  - {name: Kim Il Sung, kind: person, aliases: [Kim Il-sung]}
  - {name: Norodom Sihanouk, kind: person, aliases: [Sihanouk]}
  - {name: Phnom Penh, kind: place, aliases: []}
  - {name: Seoul, kind: place, aliases: []}
"""

EVENTS = """\
events:
  - id: khm-prk-1965-visit
    dyad: KHM-PRK
    date: "1965"
    category: visits_meetings
    quad: verbal_cooperation
    title: Sihanouk visits Pyongyang
    summary: The prince meets the leader.
    actors: [Norodom Sihanouk, Kim Il Sung]
    places: []
    sources:
      - id: src-two
        quote: "He went in 1965."
  - id: khm-kor-1997-10-30-ties
    dyad: KHM-KOR
    date: 1997-10-30
    category: diplomatic_status
    quad: verbal_cooperation
    title: Ties restored
    summary: Relations resume.
    places: [Seoul, Phnom Penh]
    sources:
      - id: src-one
        quote: "On October 30, 1997, relations resumed."
    related: [khm-prk-1965-visit]
  - id: ctx-1975-approx
    dyad: context
    date: 1975~
    category: multilateral
    quad: neutral
    title: "=HYPERLINK(\\"http://evil\\")"
    summary: "<b>bold</b> [link](javascript:alert(1))"
    sources:
      - id: src-one
        quote: "About 1975."
      - id: src-two
        quote: "Circa 1975."
    note: Sources differ.
"""

PERIODS = """\
periods:
  - id: khm-kor-status-1997
    lane: KHM-KOR
    kind: status
    status: restored
    label: Relations restored
    date: 1997-10-30/..
    sources:
      - id: src-one
        quote: "resumed"
"""

VALID_FILES = {
    "sources.yaml": SOURCES,
    "hosts.yaml": HOSTS,
    "names.yaml": NAMES,
    "timeline/events.yaml": EVENTS,
    "periods.yaml": PERIODS,
}

DatasetWriter = Callable[..., Path]


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


@pytest.fixture
def make_dataset(tmp_path: Path) -> DatasetWriter:
    """make_dataset(**replacements) -> an events dir with the valid files, some replaced or added."""

    def build(files: dict[str, str | bytes] | None = None, *, drop: tuple[str, ...] = ()) -> Path:
        chosen: dict[str, str | bytes] = {k: v for k, v in VALID_FILES.items() if k not in drop}
        chosen.update(files or {})
        return write_files(tmp_path / "events", chosen)

    return build


APP = str(PROJECT_ROOT / "dashboard.py")


def run_app(query: dict[str, str] | None = None) -> AppTest:
    """The dashboard run once through AppTest with these link parameters; it must not raise."""
    app = AppTest.from_file(APP, default_timeout=90)
    for key, value in (query or {}).items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


# The page's summary line, "**12 of 351 events**".
SUMMARY_COUNT = re.compile(r"\*\*(\d+) of (\d+) events\*\*")


def shown_count(app: AppTest) -> tuple[int, int]:
    """(shown, total) from the page's summary line."""
    for markdown in app.markdown:
        found = SUMMARY_COUNT.search(markdown.value)
        if found:
            return int(found.group(1)), int(found.group(2))
    raise AssertionError("no summary line")


@pytest.fixture(scope="module")
def shipped() -> Dataset:
    return load_dataset(SHIPPED_EVENTS)


@pytest.fixture
def shipped_events_dir(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The app reads the shipped events (a test may still point it elsewhere with setenv)."""
    monkeypatch.delenv(EVENTS_DIR_ENV, raising=False)
    yield


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess[bytes]:
    """`python -m pipeline ARGS` in a child process, with the events env var cleared unless given."""
    full_env = {k: v for k, v in os.environ.items() if k != "KHM_KOREA_EVENTS_DIR"}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        capture_output=True,
        cwd=PROJECT_ROOT,
        env=full_env,
        timeout=timeout,
        check=False,
    )
