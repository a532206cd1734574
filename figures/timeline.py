"""The parallel-timeline figure and the counts figure, built from the events table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from figures.layout import (
    LANE_NAME_SIZE,
    LEFT_MARGIN,
    axis_colours,
    axis_name,
    lane_rows_layout,
    text_font,
    themed,
    wrapped_subtitle,
)
from figures.style import CATEGORY_SYMBOLS, LIGHT, Palette, Theme, palette
from pipeline.schema import (
    ACCESS_LABELS,
    CATEGORY_LABELS,
    DYAD_LABELS,
    SOURCE_KIND_LABELS,
    STATUS_LABELS,
    STATUS_SHORT_LABELS,
    Access,
    Category,
    Dyad,
    Precision,
    SourceKind,
)

# Above this many events the timeline shows monthly counts per lane instead of one mark
# per event: beyond it marks overlap into a solid band at full zoom and the payload
# passes several MB (see benchmarks/README.md). Narrowing the filters brings marks back.
MARK_LIMIT = 3000
ROW_HEIGHT = 1.0
LANE_GAP = 1.2
DEFAULT_RANGE = (date(1964, 1, 1), date(2026, 12, 31))
# Each lane's name sits in a band this many pixels high above the lane (the gap between lanes is made
# at least this high at the figure's height): the name from LANE_NAME_PAD px above the lane's top, the
# line between lanes at LANE_SEPARATOR_AT of the band.
LANE_NAME_PX = 26
LANE_NAME_PAD = 4
LANE_SEPARATOR_AT = 0.85
LEGEND_ENTRY_PX = 200  # a legend entry's text width: two fit a wide plot's width, one a phone's
LEGEND_ROW_PX = 19


@dataclass(frozen=True)
class TimelineOptions:
    lanes: tuple[str, ...] = (Dyad.KHM_PRK, Dyad.KHM_KOR, Dyad.CONTEXT)
    x_range: tuple[date, date] = DEFAULT_RANGE
    selected_id: str | None = None
    height: int = 620
    # The selected event's whole date span: a vertical rule across every lane (it may be hidden by a filter).
    rule: tuple[date, date] | None = None
    # "Around this event": the window drawn on the timeline, and its width in months for the label.
    window: tuple[date, date] | None = None
    window_months: int | None = None
    # The plot's width the in-chart band labels must fit at; a label that would not fit its band is left
    # out (every band is in the legend, on hover and in the relationship-history table).
    label_width_px: int = 1100
    title: str | None = None
    subtitle: str | None = None
    # "light" or "dark": the palette of every colour drawn (figures.style); images for print are light.
    theme: Theme = "light"


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


def lane_gap(lane_units: float, lanes: int, plot_px: float) -> float:
    """The gap between lanes (data units) that is LANE_NAME_PX pixels high when the y axis spans
    `lane_units` plus one gap per lane (each lane's name band) over `plot_px` pixels; at least LANE_GAP.
    Solves gap * plot_px / (lane_units + lanes * gap) = LANE_NAME_PX."""
    free = max(plot_px - lanes * LANE_NAME_PX, plot_px / 3)
    return max(LANE_GAP, LANE_NAME_PX * lane_units / free)


def lane_layout(
    events: pd.DataFrame,
    lanes: tuple[str, ...],
    min_gap: pd.Timedelta,
    *,
    plot_px: float | None = None,
    extra_units: float = 0.0,
) -> tuple[pd.Series, dict[str, tuple[float, float]], float]:
    """y position of every event, each lane's (bottom, top) band (lanes run top to bottom), and the gap
    between lanes. With `plot_px` (the plot's estimated height), the gap is made high enough for the
    lane names above the lanes (`extra_units`: the axis' height beyond the lanes and their gaps); else
    LANE_GAP."""
    rows_of: dict[str, tuple[pd.Index, list[int]]] = {}
    for lane in lanes:
        in_lane = events[events["dyad"] == lane].sort_values(["start", "end"])
        rows_of[lane] = (in_lane.index, _pack_rows(in_lane["start"], in_lane["end"], min_gap) if len(in_lane) else [])
    counts = [max(rows, default=0) + 1 for _index, rows in rows_of.values()]
    gap = LANE_GAP if plot_px is None else lane_gap(sum(counts) * ROW_HEIGHT + extra_units, len(lanes), plot_px)
    y = pd.Series(0.0, index=events.index)
    bands: dict[str, tuple[float, float]] = {}
    top = 0.0
    for (lane, (index, rows)), row_count in zip(rows_of.items(), counts, strict=True):
        bottom = top - row_count * ROW_HEIGHT
        y.loc[index] = pd.Series([top - (row + 0.5) * ROW_HEIGHT for row in rows], index=index, dtype=float)
        bands[lane] = (bottom, top)
        top = bottom - gap
    return y, bands, gap


def _subtitle(options: TimelineOptions) -> tuple[str, int]:
    """The subtitle in lines that fit a phone's chart, escaped; and the number of lines."""
    return wrapped_subtitle(_escape(options.subtitle or ""), 50)


def _top_margin(options: TimelineOptions) -> int:
    """Room for the title and its subtitle's lines."""
    return 70 + 15 * (_subtitle(options)[1] - 1) if options.title else 20


def estimated_plot_px(options: TimelineOptions, legend_entries: int) -> float:
    """The plot area's height in pixels, a little under what Plotly draws: the figure's height less its
    margins, the date ticks and the legend below it, one entry a row as on a phone (on a wide plot, two
    a row leave more)."""
    top = _top_margin(options)
    return max(options.height - top - 30 - 24 - LEGEND_ROW_PX * legend_entries, 120)


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
    for title, label, category, sources in zip(
        events["title"], events["date_label"], events["category"], events["sources"], strict=True
    ):
        texts.append(
            f"<b>{_escape(title)}</b><br>{_escape(label)} · {CATEGORY_LABELS[Category(category)]}"
            + _source_line(sources)
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


def _category_traces(
    rows: list[tuple[Any, ...]], category: str, selected_id: str | None, colours: Palette
) -> list[Trace]:
    """The whiskers (whole possible span of every date not exact to the day) and the marks of one
    category. `rows` are (id, start, end, exact, y, hover) tuples: plain Python, no per-call pandas."""
    colour = colours.categories[category]
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
                "line": {"color": colour, "width": 5},
                "opacity": 0.45,
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
                "line": {"width": 1.5, "color": colour},
            },
            "customdata": [row[0] for row in rows],
            "hovertext": [row[5] for row in rows],
            "hoverinfo": "text",
            "name": CATEGORY_LABELS[Category(category)],
            "legendgroup": category,
            "showlegend": False,
        }
    )
    return traces


def _legend_entry(name: str, symbol: str, colour: str, group: str, *, rank: int) -> Trace:
    """A legend-only trace: one consistent icon per entry, whatever mix of marks the data has."""
    return {
        "type": "scatter",
        "x": [None],
        "y": [None],
        "mode": "markers",
        "name": name,
        "legendgroup": group,
        "legendrank": rank,
        "showlegend": True,
        "hoverinfo": "skip",
        "marker": {"symbol": symbol, "size": 10, "color": colour, "line": {"width": 1.5, "color": colour}},
    }


def legend_traces(categories: Sequence[str], colours: Palette = LIGHT) -> list[Trace]:
    """Category = shape + colour (filled icon), then what filled and open mean, in neutral grey."""
    traces = [
        _legend_entry(CATEGORY_LABELS[Category(c)], CATEGORY_SYMBOLS[c], colour, c, rank=100 + i)
        for i, (c, colour) in enumerate(colours.categories.items())
        if c in categories
    ]
    grey = colours.precision
    traces.append(_legend_entry("Filled: exact day", "circle", grey, "precision-exact", rank=200))
    traces.append(_legend_entry("Open + bar: not to the day", "circle-open", grey, "precision-open", rank=201))
    return traces


def lane_names(bands: dict[str, tuple[float, float]], gap: float, colours: Palette) -> list[dict[str, object]]:
    """Each lane's name above the lane, at the plot's left edge: the label of an invisible line at the
    lane's top. A shape's label, not an annotation, so the phone rule that hides the band labels (all
    annotations of the timeline, views.compare.PAGE_CSS) leaves the lane names."""
    return [
        {
            "type": "line",
            "xref": "paper",
            "yref": "y",
            "x0": 0,
            "x1": 1,
            "y0": top,
            "y1": top,
            "line": {"width": 0, "color": "rgba(0,0,0,0)"},
            "layer": "above",
            "label": {
                "text": _escape(DYAD_LABELS[lane]),
                "textposition": "start",  # a line's label: at its start (the plot's left edge), above it
                "xanchor": "left",
                "yanchor": "bottom",
                "padding": LANE_NAME_PAD,
                "font": text_font(colours, LANE_NAME_SIZE),
            },
            "name": f"lane-name-{lane}",
        }
        for lane, (_bottom, top) in bands.items()
    ]


def _short_label(label: str) -> str:
    """'Lon Nol government / Khmer Republic (proclaimed 9 Oct 1970)' -> 'Lon Nol government'; the
    full label shows on hover."""
    return label.split(" (", 1)[0].split(" / ", 1)[0]


LABEL_CHAR_PX = 6.0  # average width of a 10 px label character, for the does-it-fit test
STRIP_HEIGHT = 1.1  # the regime strip above the lanes, where regime labels and their hover live


def _wrap(text: str, width: int = 80) -> str:
    """Hover text in lines of about `width` characters (escaped, joined with <br>)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return "<br>".join(_escape(part) for part in lines)


def band_hover(period: Any) -> str:
    """Label, dates, status, description and sources of one band."""
    status = STATUS_LABELS.get(period["status"], "") if period["kind"] == "status" else "Cambodia's regime"
    text = f"<b>{_wrap(period['label'])}</b><br>{_escape(period['date_label'])} · {_escape(status)}"
    if period.get("note"):
        text += "<br>" + _wrap(period["note"])
    sources = period.get("sources") or ()
    if len(sources):
        names = "; ".join(f"{s['publisher']}" + (f", {s['published']}" if s["published"] else "") for s in sources)
        text += "<br><i>Sources:</i> " + _wrap(names)
    return text


def _label_fits(text: str, start: pd.Timestamp, end: pd.Timestamp, x_range: tuple[date, date], width_px: int) -> bool:
    """Whether a label fits inside its band's visible part at the chart's width."""
    low, high = pd.Timestamp(x_range[0]), pd.Timestamp(x_range[1])
    visible = (min(end, high) - max(start, low)).days
    total = max((high - low).days, 1)
    return visible > 0 and visible / total * width_px >= len(text) * LABEL_CHAR_PX + 10


def label_candidates(label: str) -> tuple[str, ...]:
    """A band's label, then shorter forms taken from it, longest first: 'Lon Nol government / Khmer
    Republic (proclaimed 9 Oct 1970)' -> 'Lon Nol government', 'Khmer Republic'; 'Democratic Kampuchea
    (Khmer Rouge)' -> … 'Khmer Rouge'; 'UNTAC transitional period' -> … 'UNTAC'."""
    head, _, bracket = label.partition(" (")
    bracket = bracket.rstrip(")")
    forms = [_short_label(label), *(part.strip() for part in head.split(" / "))]
    if bracket and not any(ch.isdigit() for ch in bracket):
        forms.append(bracket.split(",")[0].strip())
    first = head.split()[0] if head.split() else ""
    if first.isupper() and len(first) > 1:
        forms.append(first)
    return tuple(dict.fromkeys(form for form in forms if form))


def _fitting_label(
    candidates: Sequence[str], start: pd.Timestamp, end: pd.Timestamp, x_range: tuple[date, date], width_px: int
) -> str:
    """The first candidate if it fits its band at the chart's width, else the longest shorter one that
    does ('' when none does)."""
    forms = [c for c in candidates if c]
    if not forms:
        return ""
    shorter = sorted((c for c in forms[1:] if len(c) < len(forms[0])), key=len, reverse=True)
    for text in (forms[0], *shorter):
        if _label_fits(text, start, end, x_range, width_px):
            return text
    return ""


def _band_polygon(start: Any, end: Any, bottom: float, top: float) -> tuple[list[Any], list[float]]:
    return [start, end, end, start, start], [bottom, bottom, top, top, bottom]


def _extent(bands: dict[str, tuple[float, float]], gap: float) -> tuple[float, float]:
    """The lanes' y extent: below the last lane, and up to the top of the first lane's name band (the
    regime strip sits on it)."""
    lower = min((b for b, _ in bands.values()), default=-1.0) - 0.5
    upper = max((t for _, t in bands.values()), default=0.0) + gap
    return lower, upper


def _band_shapes(
    periods: pd.DataFrame, bands: dict[str, tuple[float, float]], options: TimelineOptions, gap: float
) -> tuple[list[dict[str, object]], list[dict[str, object]], list[Trace]]:
    """Background bands: regime shading (full height) with a hoverable, labelled strip above the lanes,
    and each lane's status bands (filled areas that show their label, dates, description and sources on
    hover). A label is printed only where it fits its band at `options.label_width_px`."""
    shapes: list[dict[str, object]] = []
    notes: list[dict[str, object]] = []
    traces: list[Trace] = []
    x_range = options.x_range
    colours = palette(options.theme)
    lower, upper = _extent(bands, gap)
    regimes = periods[periods["kind"] == "regime"].sort_values("start").reset_index(drop=True)
    for index, period in regimes.iterrows():
        position = int(str(index))
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "y",
                "x0": period["start"],
                "x1": period["end"],
                "y0": lower,
                "y1": upper,
                "fillcolor": colours.regime_shades[position % 2],
                "line": {"width": 0},
                "layer": "below",
            }
        )
        x, y = _band_polygon(period["start"], period["end"], upper, upper + STRIP_HEIGHT)
        traces.append(
            {
                "type": "scatter",
                "x": x,
                "y": y,
                "mode": "lines",
                "fill": "toself",
                "fillcolor": colours.regime_strip[position % 2],
                "line": {"width": 0.5, "color": colours.separator},
                "hoveron": "fills",
                "hoverinfo": "text",
                "text": band_hover(period),
                "name": "Cambodia's regimes (top strip)",
                "legendgroup": "regime",
                "legendrank": 300,
                "showlegend": position == 0,
            }
        )
        label = _fitting_label(
            label_candidates(period["label"]), period["start"], period["end"], x_range, options.label_width_px
        )
        if label:
            notes.append(
                {
                    "x": max(period["start"], pd.Timestamp(x_range[0])),
                    "y": upper + STRIP_HEIGHT / 2,
                    "xref": "x",
                    "yref": "y",
                    "text": _escape(label),
                    "showarrow": False,
                    "xanchor": "left",
                    "yanchor": "middle",
                    "xshift": 4,
                    "font": text_font(colours, 10, colours.band_label),
                    "name": "band-label",
                }
            )
    statuses = periods[(periods["kind"] == "status") & periods["lane"].isin(list(bands))].sort_values("start")
    in_legend: set[str] = set()
    for _, period in statuses.iterrows():
        bottom, top = bands[str(period["lane"])]
        status = str(period["status"])
        x, y = _band_polygon(period["start"], period["end"], bottom, top)
        traces.append(
            {
                "type": "scatter",
                "x": x,
                "y": y,
                "mode": "lines",
                "fill": "toself",
                "fillcolor": colours.status_fills.get(status, "rgba(0,0,0,0)"),
                "line": {"width": 0},
                "hoveron": "fills",
                "hoverinfo": "text",
                "text": band_hover(period),
                "name": "Status: " + STATUS_LABELS.get(status, status),
                "legendgroup": f"status-{status}",
                "legendrank": 400 + list(colours.status_fills).index(status) if status in colours.status_fills else 499,
                "showlegend": status not in in_legend,
                "marker": {"color": colours.status_legend.get(status, colours.precision)},
            }
        )
        in_legend.add(status)
        label = _fitting_label(
            (STATUS_LABELS.get(status, ""), STATUS_SHORT_LABELS.get(status, "")),
            period["start"],
            period["end"],
            x_range,
            options.label_width_px,
        )
        if label:
            notes.append(
                {
                    "x": max(period["start"], pd.Timestamp(x_range[0])),
                    "y": bottom,
                    "xref": "x",
                    "yref": "y",
                    "text": _escape(label),
                    "showarrow": False,
                    "xanchor": "left",
                    "yanchor": "bottom",
                    "xshift": 3,
                    "yshift": 1,
                    "font": text_font(colours, 10, colours.status_label),
                    "name": "band-label",
                }
            )
    return shapes, notes, traces


def _selection_shapes(options: TimelineOptions, lower: float, upper: float) -> list[dict[str, object]]:
    """The selected event's date as a rule across every lane, and the "around" window (its width as
    the window's label: a shape label, so only band labels are annotations)."""
    colours = palette(options.theme)
    shapes: list[dict[str, object]] = []
    if options.window is not None:
        window: dict[str, object] = {
            "type": "rect",
            "xref": "x",
            "yref": "y",
            "x0": options.window[0],
            "x1": options.window[1],
            "y0": lower,
            "y1": upper,
            "fillcolor": colours.selection_window,
            "line": {"color": colours.selection, "width": 1, "dash": "dot"},
            "layer": "below",
            "name": "around-window",
        }
        if options.window_months:
            window["label"] = {
                "text": f"±{options.window_months} months",
                "textposition": "bottom left",
                "padding": 3,
                "font": text_font(colours, 10, colours.selection),
            }
        shapes.append(window)
    if options.rule is not None:
        start, end = pd.Timestamp(options.rule[0]), pd.Timestamp(options.rule[1])
        if end > start:
            shapes.append(
                {
                    "type": "rect",
                    "xref": "x",
                    "yref": "y",
                    "x0": start,
                    "x1": end + pd.Timedelta(days=1),
                    "y0": lower,
                    "y1": upper,
                    "fillcolor": colours.selection_span,
                    "line": {"width": 0},
                    "layer": "below",
                    "name": "selected-span",
                }
            )
        middle = start + (end - start) / 2
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "y",
                "x0": middle,
                "x1": middle,
                "y0": lower,
                "y1": upper,
                "line": {"color": colours.selection, "width": 1.5},
                "name": "selected-rule",
            }
        )
    return shapes


def _band_legend_entries(periods: pd.DataFrame, lanes: tuple[str, ...]) -> int:
    """How many legend entries the bands add: the regime strip, and one per status shown."""
    regimes = int((periods["kind"] == "regime").any())
    statuses = periods.loc[(periods["kind"] == "status") & periods["lane"].isin(list(lanes)), "status"]
    return regimes + int(statuses.nunique())


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
    colours = palette(options.theme)
    categories = set(events["category"].astype(str))
    legend_entries = len(categories) + 2 + _band_legend_entries(periods, lanes)
    plot_px = estimated_plot_px(options, legend_entries)
    y, bands, gap = lane_layout(
        events, lanes, pd.Timedelta(days=max(30, total_days // 120)), plot_px=plot_px, extra_units=0.5 + STRIP_HEIGHT
    )
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
    shapes, notes, traces = _band_shapes(periods, bands, options, gap)
    for category in colours.categories:
        if category in rows_by_category:
            traces += _category_traces(rows_by_category[category], category, options.selected_id, colours)
    traces += legend_traces(list(rows_by_category), colours)
    return assembled(traces, _layout(options, bands, gap, shapes, notes))


def aggregated_timeline_figure(events: pd.DataFrame, periods: pd.DataFrame, options: TimelineOptions) -> go.Figure:
    """Monthly counts per lane, for event sets too large to draw one mark each."""
    lanes = tuple(lane for lane in options.lanes if lane in DYAD_LABELS)
    colours = palette(options.theme)
    plot_px = estimated_plot_px(options, _band_legend_entries(periods, lanes))
    gap = lane_gap(len(lanes) * 4 * ROW_HEIGHT + 0.5 + STRIP_HEIGHT, len(lanes), plot_px)
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
                    "width": 28 * 86_400_000,
                    "marker": {"color": colours.aggregate},
                    "name": DYAD_LABELS[lane],
                    "customdata": [int(n) for n in months],
                    "showlegend": False,
                    "hovertemplate": "%{x|%b %Y}: %{customdata} events<extra></extra>",
                }
            )
        top = bottom - gap
    shapes, notes, band_traces = _band_shapes(periods, bands, options, gap)
    traces = band_traces + traces
    # Above the plot, as a shape's label: the timeline's annotations are its band labels only.
    shapes.append(
        {
            "type": "line",
            "xref": "paper",
            "yref": "paper",
            "x0": 0,
            "x1": 1,
            "y0": 1,
            "y1": 1,
            "line": {"width": 0, "color": "rgba(0,0,0,0)"},
            "label": {
                "text": f"{len(events):,} events: monthly counts shown; narrow the filters below "
                f"{MARK_LIMIT:,} events to see each one",
                "textposition": "start",  # a line's label: at its start (the plot's left edge), above it
                "xanchor": "left",
                "yanchor": "bottom",
                "padding": 4,
                "font": text_font(colours, 12),
            },
            "name": "aggregate-note",
        }
    )
    return assembled(traces, _layout(options, bands, gap, shapes, notes))


def _layout(
    options: TimelineOptions,
    bands: dict[str, tuple[float, float]],
    gap: float,
    shapes: list[dict[str, object]],
    notes: list[dict[str, object]],
) -> dict[str, Any]:
    colours = palette(options.theme)
    lower, upper = _extent(bands, gap)
    # Between two lanes, above the lower lane's name.
    separators = [
        {
            "type": "line",
            "xref": "paper",
            "yref": "y",
            "x0": 0,
            "x1": 1,
            "y0": top + gap * LANE_SEPARATOR_AT,
            "y1": top + gap * LANE_SEPARATOR_AT,
            "line": {"color": colours.separator, "width": 1},
            "name": "lane-separator",
        }
        for _bottom, top in list(bands.values())[1:]
    ]
    selection_shapes = _selection_shapes(options, lower, upper)
    base = themed(colours)
    layout: dict[str, Any] = {
        **base,
        "height": options.height,
        "margin": {"l": LEFT_MARGIN, "r": 10, "t": _top_margin(options), "b": 30},
        "font": {**base["font"], "size": 13},
        "hovermode": "closest",
        "legend": {
            "orientation": "h",
            "yanchor": "top",
            # Below the date ticks also on a phone, where the one-column legend leaves a short plot.
            "y": -0.1,
            "x": 0,
            "title": {"text": ""},
            "font": text_font(colours, 12),
            "traceorder": "normal",
            # Fixed-width entries: two columns on a wide plot, one on a phone's (half a phone's plot
            # is too narrow for the longer names, which then overprinted their neighbours).
            "entrywidth": LEGEND_ENTRY_PX,
            "entrywidthmode": "pixels",
        },
        "shapes": [*shapes, *separators, *selection_shapes, *lane_names(bands, gap, colours)],
        "annotations": notes,  # band labels only (the phone CSS hides the timeline's annotations)
        "clickmode": "event+select",
        # No client-side zoom or pan (the axes are fixed): the Years filter zooms, so the band labels are
        # laid out again for the years shown and the link holds them. (A drag-to-select zoom would take
        # clicks on marks away: in Plotly's select mode a click arrives as an empty selection.)
        "dragmode": "zoom",
        "xaxis": {
            **axis_colours(colours),
            "type": "date",
            "range": [options.x_range[0], options.x_range[1]],
            "fixedrange": True,
            "showgrid": True,
            "rangeslider": {"visible": False},
        },
        "yaxis": {
            # The lanes are named above them (lane_names), not by tick labels beside them.
            "showticklabels": False,
            "ticks": "",
            "range": [lower, upper + STRIP_HEIGHT],
            "showgrid": False,
            "zeroline": False,
            "fixedrange": True,
            "automargin": False,
        },
        "uirevision": "timeline",
    }
    if options.title:
        layout["title"] = {
            "text": _escape(options.title),
            "x": 0,
            "xanchor": "left",
            "yref": "container",  # at the top: a wrapped subtitle grows down into the taller margin
            "y": 1,
            "yanchor": "top",
            "pad": {"t": 12},
            "font": text_font(colours, 16),
            "subtitle": {"text": _subtitle(options)[0], "font": text_font(colours, 12)},
        }
    return layout


def counts_figure(
    events: pd.DataFrame, lanes: tuple[str, ...], x_range: tuple[date, date], *, theme: Theme = "light"
) -> go.Figure:
    """Events per year per lane, stacked by category in the timeline's colours, on the timeline's time
    axis; one row per lane, every row on the same scale, whole-number ticks, its own legend.

    Only events whose span lies within one calendar year are counted: an event dated
    '1996/2018' belongs to no single year. The title says how many are left out. Colours are `theme`'s.
    """
    colours = palette(theme)
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
    per_year = counts.groupby(["dyad", "year"], observed=True)["n"].sum()
    y_max = float(per_year.max()) if len(per_year) else 1.0
    layout = lane_rows_layout(
        lanes,
        x_range,
        colours,
        y_title="events",
        y_max=y_max,
        title="Events per year, by category",
        subtitle=f"Same scale in every lane · single-year events only · {left_out} multi-year events not counted",
    )
    layout["barmode"] = "stack"
    traces: list[Trace] = []
    legend_done: set[str] = set()
    for row, lane in enumerate(lanes, start=1):
        for category, colour in colours.categories.items():
            part = parts.get((lane, category))
            if part is None or part.empty:
                continue
            label = CATEGORY_LABELS[Category(category)]
            traces.append(
                {
                    "type": "bar",
                    "x": [f"{year}-07-01" for year in part["year"]],
                    "y": [int(n) for n in part["n"]],
                    "xaxis": "x",
                    "yaxis": axis_name(row),
                    "width": 300 * 86_400_000,
                    "marker": {"color": colour, "line": {"width": 0}},
                    "name": label,
                    "legendgroup": category,
                    "showlegend": category not in legend_done,
                    "legendrank": 100 + list(colours.categories).index(category),
                    "hovertemplate": f"{DYAD_LABELS[lane]} · {label}: %{{y}} events<extra></extra>",
                }
            )
            legend_done.add(category)
    return assembled(traces, layout)
