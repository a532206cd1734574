"""Slide-ready images of the timeline: the words around the figure (title, filters, the
open/filled note, the credit line) and rendering through kaleido with the system's Chromium.

The texts are pure functions; `render_image` is the one place that starts a browser.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote, urlencode

import plotly.graph_objects as go

from pipeline.filters import EventFilter, describe_filter
from pipeline.query import ViewState, to_query

TITLE: Final = "Cambodia and the two Koreas: events by lane"
MARK_NOTE: Final = (
    "Filled mark: dated to the day. Open mark with a bar: the date is a month, a year, a range, "
    "approximate or uncertain; the bar is the whole span it may fall in."
)
PROJECT_CREDIT: Final = "Source: Cambodia–Korea relations timeline (this project)"
SITE_URL_ENV: Final = "KHM_KOREA_SITE_URL"
DEFAULT_SITE_URL: Final = "http://localhost:8501/"
FORMATS: Final = ("svg", "png")
DEFAULT_WIDTH, DEFAULT_HEIGHT, DEFAULT_SCALE = 1600, 900, 1.0
SYSTEM_CHROMIUM: Final = "/usr/bin/chromium"


@dataclass(frozen=True)
class SlideText:
    title: str
    subtitle: str  # the filters in words
    note: str  # what open and filled marks mean
    credit: str  # source, data version, date, permalink


def site_url() -> str:
    url = os.environ.get(SITE_URL_ENV, "").strip() or DEFAULT_SITE_URL
    return url if url.endswith("/") else url + "/"


def permalink(state: ViewState, base_url: str | None = None) -> str:
    """The dashboard link that reopens this view."""
    query = to_query(state)
    base = (base_url or site_url()).split("?", 1)[0].split("#", 1)[0]
    return base + ("?" + urlencode(query, quote_via=quote, safe=",") if query else "")


def view_for(flt: EventFilter, event: str | None = None) -> ViewState:
    """The dashboard view nearest to a filter (the dashboard's date filter is by whole years)."""
    return ViewState(
        flt=flt,
        year_from=flt.date_from.year if flt.date_from else None,
        year_to=flt.date_to.year if flt.date_to else None,
        event=event,
    )


def content_digest(events_dir: Path) -> str:
    """A short hash of every events file's path and bytes: names the data when it has no version."""
    digest = hashlib.sha256()
    for path in sorted(p for p in events_dir.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()):
        digest.update(str(path.relative_to(events_dir)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def data_version_words(dataset: Any) -> str:
    """'data version 1.2.0, released …' when the dataset knows its version (`Dataset.version`,
    from the data-versioning work), else the files' content hash."""
    version = getattr(dataset, "version", None)
    in_words = getattr(version, "in_words", None)
    if callable(in_words):
        return str(in_words())
    return f"data version: unreleased, files sha256 {content_digest(Path(dataset.events_dir))}"


def slide_text(flt: EventFilter, count: int, *, version_words: str, link: str, today: date) -> SlideText:
    described = describe_filter(flt)
    subtitle = f"{count} events · " + (f"filtered by {described}" if described else "all events, no filters")
    credit = f"{PROJECT_CREDIT} · {version_words} · made {today.isoformat()} · {link}"
    return SlideText(title=TITLE, subtitle=subtitle, note=MARK_NOTE, credit=credit)


def render_image(
    figure: go.Figure,
    fmt: str,
    *,
    width: int = DEFAULT_WIDTH,
    height: int = DEFAULT_HEIGHT,
    scale: float = DEFAULT_SCALE,
) -> bytes:
    """SVG or PNG bytes through kaleido, with the system's Chromium (never a downloaded browser)."""
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r} is not one of {FORMATS}")
    if "BROWSER_PATH" not in os.environ and Path(SYSTEM_CHROMIUM).exists():
        os.environ["BROWSER_PATH"] = SYSTEM_CHROMIUM
    return bytes(figure.to_image(format=fmt, width=width, height=height, scale=scale))
