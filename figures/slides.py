"""The timeline dressed for a slide or print: title, filters as subtitle, the open/filled note and
the credit line, all inside the image. Pure: a figure and texts in, a new figure out."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from figures.timeline import DEFAULT_RANGE, TimelineOptions, _escape, assembled, timeline_figure
from pipeline.filters import EventFilter
from pipeline.schema import Dyad
from pipeline.slides import SlideText


def slide_figure(figure: go.Figure, text: SlideText, *, width: int, height: int) -> go.Figure:
    """A copy of `figure` sized `width`×`height` with the slide's words around the plot."""
    data = [trace.to_plotly_json() for trace in figure.data]
    layout: dict[str, Any] = figure.layout.to_plotly_json()
    layout.update(
        {
            "width": width,
            "height": height,
            "paper_bgcolor": "white",
            "title": {
                "text": _escape(text.title),
                "subtitle": {"text": _escape(text.subtitle), "font": {"size": 14}},
                "x": 0.01,
                "xanchor": "left",
                "y": 0.985,
                "yanchor": "top",
                "font": {"size": 22},
            },
        }
    )
    margin = dict(layout.get("margin") or {})
    per_row = 4 if width >= 1200 else 2
    rows = -(-sum(1 for trace in data if trace.get("showlegend")) // per_row)
    margin.update({"t": 95, "b": 95 + 21 * rows})
    layout["margin"] = margin
    notes = list(layout.get("annotations") or [])
    for line, y_shift, size in ((text.note, -28, 12), (text.credit, -46, 11)):
        notes.append(
            {
                "text": _escape(line),
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 0,
                "xanchor": "left",
                "yanchor": "top",
                "yshift": y_shift,
                "showarrow": False,
                "font": {"size": size, "color": "#222"},
                "name": "slide-text",
            }
        )
    layout["annotations"] = notes
    # Under the plot: the tick labels, the note and credit lines, then the legend at the image's foot.
    legend = dict(layout.get("legend") or {})
    legend.update(
        {
            "orientation": "h",
            "yref": "container",
            "y": 0.005,
            "yanchor": "bottom",
            "x": 0.01,
            "entrywidth": 1 / per_row - 0.005,
            "entrywidthmode": "fraction",
        }
    )
    layout["legend"] = legend
    return assembled(data, layout)


def slide_timeline(
    shown: pd.DataFrame,
    periods: pd.DataFrame,
    flt: EventFilter,
    text: SlideText,
    *,
    width: int,
    height: int,
    event: str | None = None,
    today: date | None = None,
) -> go.Figure:
    """The timeline of the filtered events `shown`, on the filter's lanes and dates, as a slide."""
    today = today or date.today()
    lanes = tuple(d.value for d in Dyad if not flt.dyads or d.value in flt.dyads)
    x_range = (flt.date_from or DEFAULT_RANGE[0], flt.date_to or min(DEFAULT_RANGE[1], today))
    options = TimelineOptions(
        lanes=lanes, x_range=x_range, selected_id=event, label_width_px=width - 200, height=height
    )
    return slide_figure(timeline_figure(shown, periods, options), text, width=width, height=height)
