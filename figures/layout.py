"""Layout shared by the timeline and the charts stacked under it: the theme's colours, and one row per
lane on the timeline's date axis with the same left margin, so years line up from chart to chart.
Lane names sit above their lanes (not beside them), so the margin only holds the count ticks."""

from __future__ import annotations

from datetime import date
from typing import Any, Final

from figures.style import FONT_FAMILY, Palette
from pipeline.schema import DYAD_LABELS

# Left margin of the timeline and of every chart under it: room for the count charts' tick numbers
# and axis title; lane names are above the lanes, so a phone keeps most of its width for the plot.
LEFT_MARGIN: Final = 44
LANE_NAME_SIZE: Final = 12
SUBTITLE_LINE_CHARS: Final = 56  # a subtitle line that fits a phone's chart (about 340 px at 11 px)


def themed(palette: Palette) -> dict[str, Any]:
    """The layout keys every figure takes from its theme's palette. Streamlit's chart theme fills only
    the figure's template, so these explicit values win over it in the app."""
    return {
        "paper_bgcolor": palette.paper,
        "plot_bgcolor": palette.plot,
        "font": {"family": FONT_FAMILY, "color": palette.font},
        "modebar": dict(palette.modebar),
    }


def axis_colours(palette: Palette) -> dict[str, Any]:
    """Grid, zero line, tick and axis-title colours of one axis."""
    return {
        "gridcolor": palette.grid,
        "zerolinecolor": palette.zeroline,
        "linecolor": palette.separator,
        "tickcolor": palette.separator,
        "tickfont": {"color": palette.font},
        "title": {"font": {"color": palette.font}},
    }


def text_font(palette: Palette, size: int, colour: str | None = None) -> dict[str, Any]:
    return {"size": size, "color": colour or palette.font}


def wrapped_subtitle(text: str, width: int = SUBTITLE_LINE_CHARS) -> tuple[str, int]:
    """A ' · '-separated subtitle in lines of at most about `width` characters (Plotly does not wrap
    text, and a phone's chart is narrow), joined with <br>; and the number of lines."""
    lines: list[str] = []
    for part in text.split(" · "):
        if lines and len(lines[-1]) + 3 + len(part) <= width:
            lines[-1] += " · " + part
        else:
            lines.append(part)
    return "<br>".join(lines), max(len(lines), 1)


def lane_rows_layout(
    lanes: tuple[str, ...],
    x_range: tuple[date, date],
    palette: Palette,
    *,
    title: str,
    y_title: str,
    y_max: float,
    y_min: float = 0.0,
    row_height: int = 110,
    subtitle: str = "",
) -> dict[str, Any]:
    """Stacked rows, one per lane, sharing one date axis and one y scale (same range in every row),
    with whole-number ticks; each lane's name above its row."""
    rows = max(len(lanes), 1)
    spacing = 0.1 if rows > 1 else 0.0
    height = (1 - spacing * (rows - 1)) / rows
    span = max(y_max - y_min, 1.0)
    step = max(1, round(span / 4 + 0.49))
    base = themed(palette)
    subtitle_text, subtitle_lines = wrapped_subtitle(subtitle)
    extra = 14 * (subtitle_lines - 1)
    layout: dict[str, Any] = {
        **base,
        "height": 150 + extra + row_height * rows,
        "margin": {"l": LEFT_MARGIN, "r": 10, "t": 85 + extra, "b": 30},
        "font": {**base["font"], "size": 12},
        "hovermode": "x unified",
        "title": {
            "text": title,
            "font": text_font(palette, 13),
            "x": 0,
            "xanchor": "left",
            # At the figure's top, so a subtitle's further lines grow down into the taller margin
            # rather than onto the first lane's name.
            "yref": "container",
            "y": 1,
            "yanchor": "top",
            "pad": {"t": 12},
            "subtitle": {"text": subtitle_text, "font": text_font(palette, 11)},
        },
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0, "font": text_font(palette, 12)},
        "xaxis": {
            **axis_colours(palette),
            "type": "date",
            "range": [x_range[0], x_range[1]],
            "anchor": f"y{rows}" if rows > 1 else "y",
        },
        "annotations": [],
        "barmode": "relative",
    }
    for row, lane in enumerate(lanes, start=1):
        top = 1 - (row - 1) * (height + spacing)
        colours = axis_colours(palette)
        layout["yaxis" if row == 1 else f"yaxis{row}"] = {
            **colours,
            "domain": [max(top - height, 0), top],
            "anchor": "x",
            "fixedrange": True,
            "range": [y_min - (0.5 if y_min < 0 else 0), y_max + 0.5],
            "dtick": step,
            "tickformat": "d",
            "zeroline": True,
            # No automargin: a wider tick label must not push this chart's plot off the timeline's years.
            "automargin": False,
            "title": {"text": y_title, "font": text_font(palette, 11), "standoff": 4},
        }
        layout["annotations"].append(
            {
                "text": DYAD_LABELS[lane],
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": top,
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
                "font": text_font(palette, LANE_NAME_SIZE),
                "name": "lane-name",
            }
        )
    return layout


def axis_name(row: int) -> str:
    return "y" if row == 1 else f"y{row}"
