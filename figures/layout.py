"""Layout shared by the charts stacked under the timeline: one row per lane on the timeline's
date axis, with the same left margin, so years line up from chart to chart."""

from __future__ import annotations

from datetime import date
from typing import Any, Final

from figures.style import FONT_FAMILY
from pipeline.schema import DYAD_LABELS

# Left margin of the timeline and of every chart under it (the lane names fit in it).
LEFT_MARGIN: Final = 100


def lane_rows_layout(
    lanes: tuple[str, ...],
    x_range: tuple[date, date],
    *,
    title: str,
    y_title: str,
    y_max: float,
    y_min: float = 0.0,
    row_height: int = 110,
    subtitle: str = "",
) -> dict[str, Any]:
    """Stacked rows, one per lane, sharing one date axis and one y scale (same range in every row),
    with whole-number ticks."""
    rows = max(len(lanes), 1)
    spacing = 0.1 if rows > 1 else 0.0
    height = (1 - spacing * (rows - 1)) / rows
    span = max(y_max - y_min, 1.0)
    step = max(1, round(span / 4 + 0.49))
    layout: dict[str, Any] = {
        "height": 150 + row_height * rows,
        "margin": {"l": LEFT_MARGIN, "r": 10, "t": 85, "b": 30},
        "font": {"family": FONT_FAMILY, "size": 12},
        "plot_bgcolor": "white",
        "hovermode": "x unified",
        "title": {
            "text": title,
            "font": {"size": 13},
            "x": 0,
            "xanchor": "left",
            "subtitle": {"text": subtitle, "font": {"size": 11}},
        },
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0, "font": {"size": 12}},
        "xaxis": {
            "type": "date",
            "range": [x_range[0], x_range[1]],
            "gridcolor": "#eee",
            "anchor": f"y{rows}" if rows > 1 else "y",
        },
        "annotations": [],
        "barmode": "relative",
    }
    for row, lane in enumerate(lanes, start=1):
        top = 1 - (row - 1) * (height + spacing)
        layout["yaxis" if row == 1 else f"yaxis{row}"] = {
            "domain": [max(top - height, 0), top],
            "anchor": "x",
            "gridcolor": "#eee",
            "fixedrange": True,
            "range": [y_min - (0.5 if y_min < 0 else 0), y_max + 0.5],
            "dtick": step,
            "tickformat": "d",
            "zeroline": True,
            "zerolinecolor": "#888",
            "title": {"text": y_title, "font": {"size": 11}},
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
                "font": {"size": 12},
            }
        )
    return layout


def axis_name(row: int) -> str:
    return "y" if row == 1 else f"y{row}"
