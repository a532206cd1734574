"""Slide-ready images of the timeline: the words around the figure (title, filters, the
open/filled note, the credit line) and rendering through kaleido with the system's Chromium.

The texts are pure functions; `render_image` is the one place that starts a browser.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Final

import plotly.graph_objects as go

from pipeline.filters import EventFilter, describe_filter

TITLE: Final = "Cambodia and the two Koreas: events by lane"
MARK_NOTE: Final = (
    "Filled mark: dated to the day. Open mark with a bar: the date is a month, a year, a range, "
    "approximate or uncertain; the bar is the whole span it may fall in."
)
PROJECT_CREDIT: Final = "Source: Cambodia–Korea relations timeline (this project)"
FORMATS: Final = ("svg", "png")
DEFAULT_WIDTH, DEFAULT_HEIGHT, DEFAULT_SCALE = 1600, 900, 1.0
SYSTEM_CHROMIUM: Final = "/usr/bin/chromium"


@dataclass(frozen=True)
class SlideText:
    title: str
    subtitle: str  # the filters in words
    note: str  # what open and filled marks mean
    credit: str  # source, data version, date, permalink


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
