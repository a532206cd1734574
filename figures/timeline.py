"""The parallel-timeline figure and the counts figure, built from the events table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from figures.style import CATEGORY_COLOURS, CATEGORY_SYMBOLS, FONT_FAMILY, REGIME_SHADES, STATUS_COLOURS
from pipeline.schema import (
    ACCESS_LABELS,
    DYAD_LABELS,
    SOURCE_KIND_LABELS,
    STATUS_LABELS,
    Access,
    Dyad,
    Precision,
    SourceKind,
    label,
)

# Above this many events the timeline shows monthly counts per lane instead of one mark
# per event: beyond it marks overlap into a solid band at full zoom and the payload
# passes several MB (see benchmarks/README.md). Narrowing the filters brings marks back.
MARK_LIMIT = 3000
ROW_HEIGHT = 1.0
LANE_GAP = 1.2
DEFAULT_RANGE = (date(1964, 1, 1), date(2026, 12, 31))


@dataclass(frozen=True)
class TimelineOptions:
    lanes: tuple[str, ...] = (Dyad.KHM_PRK, Dyad.KHM_KOR, Dyad.CONTEXT)
    x_range: tuple[date, date] = DEFAULT_RANGE
    selected_id: str | None = None
    height: int = 620


def _pack_rows(starts: pd.Series, ends: pd.Series, min_gap: pd.Timedelta) -> list[int]:
    """Greedy interval packing: the first row whose last mark ends before this one starts."""
    row_ends: list[pd.Timestamp] = []
    rows = []
    for start, end in zip(starts, ends, strict=True):
        for index, row_end in enumerate(row_ends):
            if start > row_end + min_gap:
                row_ends[index] = end
                rows.append(index)
                break
        else:
            row_ends.append(end)
            rows.append(len(row_ends) - 1)
    return rows


def lane_layout(
    events: pd.DataFrame, lanes: tuple[str, ...], min_gap: pd.Timedelta
) -> tuple[pd.Series, dict[str, tuple[float, float]]]:
    """y position of every event, and each lane's (bottom, top) band; lanes run top to bottom."""
    y = pd.Series(0.0, index=events.index)
    bands: dict[str, tuple[float, float]] = {}
    top = 0.0
    for lane in lanes:
        in_lane = events[events["dyad"] == lane].sort_values(["start", "end"])
        rows = _pack_rows(in_lane["start"], in_lane["end"], min_gap) if len(in_lane) else []
        row_count = max(rows, default=0) + 1
        bottom = top - row_count * ROW_HEIGHT
        y.loc[in_lane.index] = pd.Series(
            [top - (row + 0.5) * ROW_HEIGHT for row in rows], index=in_lane.index, dtype=float
        )
        bands[lane] = (bottom, top)
        top = bottom - LANE_GAP
    return y, bands


def best_source(sources: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The source a reader should open first: the first original publisher's page, else the first."""
    return next((source for source in sources if source["is_original"]), sources[0] if sources else None)


def _source_line(sources: Sequence[Mapping[str, Any]]) -> str:
    best = best_source(sources)
    if best is None:
        return ""
    kind = SOURCE_KIND_LABELS[SourceKind(best["kind"])]
    via = "" if best["is_original"] else f", {ACCESS_LABELS[Access(best['access'])]}"
    more = f" (+{len(sources) - 1} more)" if len(sources) > 1 else ""
    return f"<br>Source: {_escape(best['publisher'])} ({kind}{via}){more}"


def _hover_text(events: pd.DataFrame) -> list[str]:
    texts = []
    for title, date_label, category, sources in zip(
        events["title"], events["date_label"], events["category"], events["sources"], strict=True
    ):
        texts.append(
            f"<b>{_escape(title)}</b><br>{_escape(date_label)} · {label('category', category)}" + _source_line(sources)
        )
    return texts


def _escape(text: str) -> str:
    """Plotly renders a small HTML subset in hover labels; data must show as literal text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


Trace = dict[str, Any]
_DRAWN_COLUMNS = (
    "id",
    "dyad",
    "start",
    "end",
    "precision",
    "approximate",
    "uncertain",
    "category",
    "title",
    "date_label",
    "sources",
)


def _category_traces(rows: list[tuple[Any, ...]], category: str, selected_id: str | None) -> list[Trace]:
    """The whiskers (whole possible span of every date not exact to the day) and the marks of one
    category. `rows` are (id, start, end, exact, y, hover) tuples: plain Python, no per-call pandas."""
    colour = CATEGORY_COLOURS[category]
    symbol = CATEGORY_SYMBOLS[category]
    span_x: list[object] = []
    span_y: list[float | None] = []
    for _id, start, end, exact, y, _hover in rows:
        if not exact:
            span_x += [start, end + pd.Timedelta(days=1), None]
            span_y += [y, y, None]
    traces: list[Trace] = []
    if span_x:
        traces.append(
            {
                "type": "scatter",
                "x": span_x,
                "y": span_y,
                "mode": "lines",
                "line": {"color": colour, "width": 5},  # pragma: no mutate
                "opacity": 0.45,  # pragma: no mutate
                "hoverinfo": "skip",
                "showlegend": False,
                "legendgroup": category,
            }
        )
    traces.append(
        {
            "type": "scatter",
            "x": [start + (end - start) / 2 for _i, start, end, _e, _y, _h in rows],
            "y": [row[4] for row in rows],
            "mode": "markers",
            "marker": {
                "symbol": [symbol if row[3] else f"{symbol}-open" for row in rows],
                "size": [16 if row[0] == selected_id else 10 for row in rows],
                "color": colour,
                "line": {"width": 1.5, "color": colour},  # pragma: no mutate
            },
            "customdata": [row[0] for row in rows],
            "hovertext": [row[5] for row in rows],
            "hoverinfo": "text",
            "name": label("category", category),
            "legendgroup": category,
        }
    )
    return traces


def _short_label(label: str) -> str:
    """'Lon Nol government / Khmer Republic (proclaimed 9 Oct 1970)' -> 'Lon Nol government'; the
    full label shows on hover."""
    return label.split(" (", 1)[0].split(" / ", 1)[0]


def _band_shapes(
    periods: pd.DataFrame, bands: dict[str, tuple[float, float]], x_range: tuple[date, date]
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    shapes: list[dict[str, object]] = []
    notes: list[dict[str, object]] = []
    lower = min((b for b, _ in bands.values()), default=0.0) - 0.5
    upper = max((t for _, t in bands.values()), default=0.0) + 0.5
    regimes = periods[periods["kind"] == "regime"].reset_index(drop=True)
    for index, period in regimes.iterrows():
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "y",
                "x0": period["start"],
                "x1": period["end"],
                "y0": lower,
                "y1": upper,
                "fillcolor": REGIME_SHADES[int(str(index)) % 2],  # pragma: no mutate
                "line": {"width": 0},  # pragma: no mutate
                "layer": "below",  # pragma: no mutate
            }
        )
        # Staggered in two rows so the labels of short regimes do not print over each other.
        notes.append(
            {
                "x": period["start"],
                "y": upper + 0.7 * (int(str(index)) % 2),
                "xref": "x",
                "yref": "y",
                "text": _escape(_short_label(period["label"])),
                "hovertext": _escape(period["label"]),
                "showarrow": False,  # pragma: no mutate
                "xanchor": "left",  # pragma: no mutate
                "yanchor": "bottom",  # pragma: no mutate
                "font": {"size": 10, "color": "#555"},  # pragma: no mutate
                "textangle": 0,  # pragma: no mutate
            }
        )
    statuses = periods[(periods["kind"] == "status") & periods["lane"].isin(list(bands))]
    for _, period in statuses.iterrows():
        bottom, top = bands[str(period["lane"])]
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "y",
                "x0": period["start"],
                "x1": period["end"],
                "y0": bottom,
                "y1": top,
                "fillcolor": STATUS_COLOURS.get(period["status"], "rgba(0,0,0,0)"),  # pragma: no mutate
                "line": {"width": 0},  # pragma: no mutate
                "layer": "below",  # pragma: no mutate
                "label": {
                    "text": _escape(STATUS_LABELS.get(period["status"], ""))
                    if (period["end"] - period["start"]).days > 4 * 365
                    else "",
                    "textposition": "bottom left",  # pragma: no mutate
                    "font": {"size": 9, "color": "#666"},  # pragma: no mutate
                },
            }
        )
    return shapes, notes


def assembled(traces: list[Trace], layout: dict[str, Any]) -> go.Figure:
    """The Figure, built from plain dicts without Plotly's per-property validation, which costs
    most of a rerun (tests validate every builder's output in full instead)."""
    return go.Figure(data=traces, layout=layout, _validate=False)


def timeline_figure(events: pd.DataFrame, periods: pd.DataFrame, options: TimelineOptions) -> go.Figure:
    """One mark per event on parallel lanes: points for exact days, whiskers for spans."""
    lanes = tuple(lane for lane in options.lanes if lane in DYAD_LABELS)
    events = events.loc[events["dyad"].isin(lanes), list(_DRAWN_COLUMNS)]  # only what is drawn: cheaper copies
    if len(events) > MARK_LIMIT:
        return aggregated_timeline_figure(events, periods, options)
    total_days = (options.x_range[1] - options.x_range[0]).days
    y, bands = lane_layout(events, lanes, pd.Timedelta(days=max(30, total_days // 120)))
    exact = (events["precision"] == Precision.DAY) & ~events["approximate"] & ~events["uncertain"]
    rows_by_category: dict[str, list[tuple[Any, ...]]] = {}
    for row in zip(
        events["id"],
        events["start"],
        events["end"],
        exact,
        y.loc[events.index],
        _hover_text(events),
        events["category"].astype(str),
        strict=True,
    ):
        rows_by_category.setdefault(row[6], []).append(row[:6])
    traces: list[Trace] = []
    for category in CATEGORY_COLOURS:
        if category in rows_by_category:
            traces += _category_traces(rows_by_category[category], category, options.selected_id)
    shapes, notes = _band_shapes(periods, bands, options.x_range)
    return assembled(traces, _layout(options, bands, shapes, notes))


def aggregated_timeline_figure(events: pd.DataFrame, periods: pd.DataFrame, options: TimelineOptions) -> go.Figure:
    """Monthly counts per lane, for event sets too large to draw one mark each."""
    lanes = tuple(lane for lane in options.lanes if lane in DYAD_LABELS)
    traces: list[Trace] = []
    bands: dict[str, tuple[float, float]] = {}
    top = 0.0
    for lane in lanes:
        in_lane = events[events["dyad"] == lane]
        months = in_lane["start"].dt.to_period("M").value_counts().sort_index()
        bottom = top - 4 * ROW_HEIGHT
        bands[lane] = (bottom, top)
        if len(months):
            traces.append(
                {
                    "type": "bar",
                    "x": list(months.index.to_timestamp()),
                    "y": list((months / months.max() * 4 * ROW_HEIGHT * 0.95).round(3)),
                    "base": bottom,
                    "width": 28 * 86_400_000,  # pragma: no mutate
                    "marker": {"color": "#0072B2"},
                    "name": label("dyad", lane),
                    "customdata": [int(n) for n in months],
                    "showlegend": False,
                    "hovertemplate": "%{x|%b %Y}: %{customdata} events<extra></extra>",
                }
            )
        top = bottom - LANE_GAP
    shapes, notes = _band_shapes(periods, bands, options.x_range)
    notes.append(
        {
            "text": f"{len(events):,} events: monthly counts shown; narrow the filters below "
            f"{MARK_LIMIT:,} events to see each one",
            "xref": "paper",
            "yref": "paper",
            "x": 0,
            "y": 1.08,
            "showarrow": False,  # pragma: no mutate
            "xanchor": "left",  # pragma: no mutate
            "font": {"size": 12},  # pragma: no mutate
        }
    )
    return assembled(traces, _layout(options, bands, shapes, notes))


def _layout(
    options: TimelineOptions,
    bands: dict[str, tuple[float, float]],
    shapes: list[dict[str, object]],
    notes: list[dict[str, object]],
) -> dict[str, Any]:
    tick_values = [(bottom + top) / 2 for bottom, top in bands.values()]
    tick_text = [label("dyad", lane) for lane in bands]
    lower = min((b for b, _ in bands.values()), default=-1.0) - 0.5
    upper = max((t for _, t in bands.values()), default=0.0) + 2.2
    separators = [
        {
            "type": "line",
            "xref": "paper",
            "yref": "y",
            "x0": 0,
            "x1": 1,
            "y0": bottom - LANE_GAP / 2,
            "y1": bottom - LANE_GAP / 2,
            "line": {"color": "#bbb", "width": 1},  # pragma: no mutate
        }
        for bottom, _top in list(bands.values())[:-1]
    ]
    return {
        "height": options.height,  # pragma: no mutate
        "margin": {"l": 10, "r": 10, "t": 40, "b": 30},  # pragma: no mutate
        "font": {"family": FONT_FAMILY, "size": 13},  # pragma: no mutate
        "plot_bgcolor": "white",  # pragma: no mutate
        "hovermode": "closest",  # pragma: no mutate
        "legend": {
            "orientation": "h",
            "yanchor": "top",
            "y": -0.06,
            "x": 0,
            "title": {"text": ""},
        },  # pragma: no mutate
        "shapes": [*shapes, *separators],
        "annotations": notes,
        "clickmode": "event+select",  # pragma: no mutate
        "dragmode": "zoom",  # pragma: no mutate
        "xaxis": {
            "type": "date",
            "range": [options.x_range[0], options.x_range[1]],
            "showgrid": True,  # pragma: no mutate
            "gridcolor": "#eee",  # pragma: no mutate
            "rangeslider": {"visible": False},  # pragma: no mutate
        },
        "yaxis": {
            "tickvals": tick_values,
            "ticktext": tick_text,
            "range": [lower, upper],
            "showgrid": False,  # pragma: no mutate
            "zeroline": False,  # pragma: no mutate
            "fixedrange": True,  # pragma: no mutate
            "automargin": True,  # pragma: no mutate
        },
        "uirevision": "timeline",  # pragma: no mutate
    }


def counts_figure(events: pd.DataFrame, lanes: tuple[str, ...], x_range: tuple[date, date]) -> go.Figure:
    """Events per year per lane, stacked by category, on the timeline's time axis.

    Only events whose span lies within one calendar year are counted: an event dated
    '1996/2018' belongs to no single year. The title says how many are left out.
    One row per lane, all sharing one date axis.
    """
    lanes = tuple(lane for lane in lanes if lane in DYAD_LABELS)
    one_year = events[(events["start"].dt.year == events["end"].dt.year) & events["dyad"].isin(lanes)]
    left_out = int(events["dyad"].isin(lanes).sum() - len(one_year))
    counts = (
        one_year.assign(year=one_year["start"].dt.year)
        .groupby(["dyad", "category", "year"], observed=True)
        .size()
        .rename("n")
        .reset_index()
    )
    parts = {
        (str(lane), str(category)): group
        for (lane, category), group in counts.groupby(["dyad", "category"], observed=True, sort=False)
    }
    rows = max(len(lanes), 1)
    spacing = 0.08
    height = (1 - spacing * (rows - 1)) / rows
    layout: dict[str, Any] = {
        "barmode": "stack",
        "height": 120 + 110 * len(lanes),  # pragma: no mutate
        "margin": {"l": 10, "r": 10, "t": 50, "b": 20},  # pragma: no mutate
        "font": {"family": FONT_FAMILY, "size": 12},  # pragma: no mutate
        "plot_bgcolor": "white",  # pragma: no mutate
        "showlegend": False,
        "title": {
            "text": f"Events per year (single-year events; {left_out} multi-year events not counted)",
            "font": {"size": 13},  # pragma: no mutate
        },
        "xaxis": {
            "type": "date",
            "range": [x_range[0], x_range[1]],
            "gridcolor": "#eee",  # pragma: no mutate
            "anchor": f"y{rows}" if rows > 1 else "y",
        },
        "annotations": [],
    }
    traces: list[Trace] = []
    for row, lane in enumerate(lanes, start=1):
        axis = "y" if row == 1 else f"y{row}"
        top = 1 - (row - 1) * (height + spacing)
        layout["yaxis" if row == 1 else f"yaxis{row}"] = {
            "domain": [max(top - height, 0), top],
            "anchor": "x",
            "rangemode": "tozero",  # pragma: no mutate
            "gridcolor": "#eee",  # pragma: no mutate
            "fixedrange": True,  # pragma: no mutate
        }
        layout["annotations"].append(
            {
                "text": label("dyad", lane),
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": top,
                "xanchor": "center",  # pragma: no mutate
                "yanchor": "bottom",  # pragma: no mutate
                "showarrow": False,  # pragma: no mutate
                "font": {"size": 12},  # pragma: no mutate
            }
        )
        for category, colour in CATEGORY_COLOURS.items():
            part = parts.get((lane, category))
            if part is None or part.empty:
                continue
            traces.append(
                {
                    "type": "bar",
                    "x": [f"{year}-07-01" for year in part["year"]],
                    "y": [int(n) for n in part["n"]],
                    "xaxis": "x",
                    "yaxis": axis,
                    "width": 300 * 86_400_000,  # pragma: no mutate
                    "marker": {"color": colour, "pattern": {"shape": _PATTERNS[category]}},
                    "name": label("category", category),
                    "legendgroup": category,
                    "showlegend": row == 1,
                    "hovertemplate": "%{x|%Y}: %{y} events<extra>" + label("category", category) + "</extra>",
                }
            )
    return assembled(traces, layout)


_PATTERNS = {
    category: shape
    for category, shape in zip(CATEGORY_COLOURS, ["", "/", "\\", "x", "-", "|", "+", ".", ""], strict=True)
}
